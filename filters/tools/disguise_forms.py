"""Disguised forms of a term, one function per disguise class (for filters/tools/disguise_probe.py).

English classes: spaced, dotted and underscored letters (f u c k, f.u.c.k, f_u_c_k), spaced letters
joined with an article (a r e t a r d), a stretched letter (fuuuck), leetspeak with digits (sh1t) and
with symbols (a$$, @ss), a mask (f*ck), stand-in letters (slvt: v for u; fxck, fuxk: x for a letter),
upper case, and styled letters: mathematical bold, italic,
script, fraktur, double-struck, sans-serif and monospace, full width, circled, parenthesized,
small capitals, squared and regional-indicator letters.
Chinese classes: pinyin joined, spaced and mixed with characters, spaced characters, characters with
symbols between them, a written homophone, split characters (拆字), pinyin initials (sq for 色情).
Each maker returns None where the class does not apply to the term.
"""

from __future__ import annotations

from collections.abc import Callable

Maker = Callable[[str], "str | None"]

# lower-case a of each mathematical alphabet (Unicode block 1D400); holes are letters that live in
# Letterlike Symbols instead (italic h, script e g o ...)
_MATH_A = {"math bold": 0x1D41A, "math italic": 0x1D44E, "math script": 0x1D4B6, "math fraktur": 0x1D51E,
           "math double-struck": 0x1D552, "math sans-serif": 0x1D5BA, "math sans bold": 0x1D5EE,
           "math monospace": 0x1D68A}
_MATH_HOLES = {("math italic", "h"): "\u210e", ("math script", "e"): "\u212f", ("math script", "g"): "\u210a",
               ("math script", "o"): "\u2134"}
_SMALL_CAPS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ", strict=True))
LEET_DIGITS = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7"}
LEET_SYMBOLS = {"a": "@", "s": "$", "i": "!"}


def _letters(term: str, make: Callable[[str], str]) -> str:
    return "".join(make(c) if "a" <= c <= "z" else c for c in term)


def _math(name: str) -> Maker:
    base = _MATH_A[name]
    return lambda t: _letters(t, lambda c: _MATH_HOLES.get((name, c)) or chr(base + ord(c) - 97))


def _offset(base: int) -> Maker:
    return lambda t: _letters(t, lambda c: chr(base + ord(c) - 97))


def _first(table: dict[str, str], every: bool = False) -> Maker:
    def make(t: str) -> str | None:
        out = "".join(table.get(c, c) for c in t) if every else None
        if out is None:
            i = next((i for i, c in enumerate(t) if c in table), None)
            out = None if i is None else t[:i] + table[t[i]] + t[i + 1:]
        return out if out != t else None
    return make


def _between(sep: str) -> Maker:
    return lambda t: sep.join(t.replace(" ", "")) if len(t.replace(" ", "")) >= 3 else None


def _mask(t: str) -> str | None:
    i = next((i for i, c in enumerate(t[1:-1], 1) if c in "aeiou"), None)
    return None if i is None else t[:i] + "*" + t[i + 1:]


_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def _v_for_u(t: str) -> str | None:
    """The first u between two consonants written v (slut -> slvt)."""
    i = next((i for i in range(1, len(t) - 1) if t[i] == "u" and {t[i - 1], t[i + 1]} <= _CONSONANTS), None)
    return None if i is None else t[:i] + "v" + t[i + 1:]


def _x_for_letter(t: str) -> str | None:
    """A c before k, else the first vowel between two consonants, written x (fuck -> fuxk, dick -> dxck)."""
    i = t.find("ck")
    if i < 0:
        i = next((i for i in range(1, len(t) - 1) if t[i] in "aeiou" and {t[i - 1], t[i + 1]} <= _CONSONANTS), -1)
    return None if i < 0 else t[:i] + "x" + t[i + 1:]


def _stretch(t: str) -> str | None:
    i = next((i for i, c in enumerate(t) if c in "aeiouy"), None)
    return None if i is None else t[:i] + t[i] * 4 + t[i + 1:]


def english() -> dict[str, Maker]:
    makers: dict[str, Maker] = {
        "spaced letters": _between(" "),
        "dotted letters": _between("."),
        "underscored letters": _between("_"),
        "spaced after an article": lambda t: "what a " + " ".join(t.replace(" ", "")),
        "stretched letter": _stretch,
        "leet digits": _first(LEET_DIGITS),
        "leet symbols": _first(LEET_SYMBOLS),
        "leet everywhere": _first({**LEET_DIGITS, **LEET_SYMBOLS}, every=True),
        "mask": _mask,
        "v for u": _v_for_u,
        "x for a letter": _x_for_letter,
        "upper case": lambda t: t.upper(),
    }
    makers.update({name: _math(name) for name in _MATH_A})
    makers.update({
        "full width": lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t),
        "circled": _offset(0x24D0),
        "parenthesized": _offset(0x249C),
        "small capitals": lambda t: _letters(t, lambda c: _SMALL_CAPS[c]),
        "squared": _offset(0x1F130),
        "negative squared": _offset(0x1F170),
        "regional indicator": lambda t: " ".join(chr(0x1F1E6 + ord(c) - 97) if "a" <= c <= "z" else c for c in t),
    })
    return makers


def chinese(pinyin: Callable[[str], list[str]], homophone: Maker, split: Maker) -> dict[str, Maker]:
    """pinyin(term) -> toneless syllables; homophone and split: one character replaced."""
    return {
        "pinyin joined": lambda t: "".join(pinyin(t)),
        "pinyin spaced": lambda t: " ".join(pinyin(t)),
        "pinyin mixed": lambda t: pinyin(t[0])[0] + t[1:],
        "pinyin initials": lambda t: "".join(s[0] for s in pinyin(t)),
        "spaced characters": lambda t: " ".join(t),
        "symbols between": lambda t: "*".join(t),
        "homophone": homophone,
        "split characters": split,
    }
