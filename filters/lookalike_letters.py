"""Letters of other scripts written for the Latin letter they look like, read as that letter (fսck, ᖴᑌᑕK, fцck).

Unicode's confusables data lists, for each letter, the Latin letter it can be taken for; the fold view already
reads the Cyrillic, Greek and styled letters people use most (filters/data/tables/homoglyphs.json), but it drops
the rest (Armenian ս, Cherokee Ꭺ, Canadian syllabics ᑌ, faux-Cyrillic ц), which leaves "f ck". Those letters are
read here, in a text's second reading (filters/readings.py), and only inside a word that is otherwise Latin:
a word of ASCII letters and such letters, with at least one ASCII letter, or letters of two or more other
scripts mixed. A word written wholly in one other script (Armenian, Cyrillic, Cherokee text) is left as it is.

The table is data (filters/data/tables/lookalike_letters.json, built by filters/tools/lookalike_letters.py from
Unicode's confusables.txt); each letter is one code point read as one ASCII letter, so the reading has the
text's length and its positions.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from filters import regex_cache

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "lookalike_letters.json"
_CJK = "\u3400-\u9fff\uf900-\ufaff"  # Chinese next to a Latin word is a boundary (你是fսck)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """Letter -> ASCII letter, validated, and the patterns of one of those letters below U+10000 and above
    (a character class with astral members is ~80x slower to search in CPython: searched only when the
    text has an astral character at all)."""
    table = json.loads(TABLE.read_text(encoding="utf-8"))["map"]
    for letter, latin in table.items():
        if len(letter) != 1 or letter.isascii() or len(latin) != 1 or not ("a" <= latin <= "z"):
            raise ValueError(f"{TABLE.name}: {letter!r} -> {latin!r} is not one letter read as one ASCII letter")
    bmp = "".join(re.escape(c) for c in table if ord(c) < 0x10000) or "\x00"
    astral = "".join(re.escape(c) for c in table if ord(c) >= 0x10000) or "\x00"
    return table, regex_cache.compile(f"[{bmp}]"), regex_cache.compile(f"[{astral}]")


_ASTRAL = regex_cache.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _homoglyphs() -> frozenset[str]:
    """The letters the fold view already reads as Latin ones (filters/data/tables/homoglyphs.json)."""
    table = json.loads((TABLE.parent / "homoglyphs.json").read_text(encoding="utf-8"))["map"]
    return frozenset(k for k, v in table.items() if v.isascii())


_WORD = regex_cache.compile(rf"[^\W\d_{_CJK}]+")  # a run of letters other than Chinese characters


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """"LATIN" for a Latin letter (ASCII or accented: é); otherwise the first word of its Unicode name
    (ARMENIAN, CHEROKEE, CYRILLIC: also for the Cyrillic а that the fold reads as a)."""
    if ch.isascii() or unicodedata.normalize("NFKD", ch)[:1].isascii():
        return "LATIN"
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def read(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` with the look-alike letters of otherwise Latin words read as Latin letters (the same length), and
    the positions read; (`text`, ()) when there are none."""
    if text.isascii():
        return text, ()
    table, bmp, astral = _table()
    if bmp.search(text) is None and (_ASTRAL.search(text) is None or astral.search(text) is None):
        return text, ()
    out: list[str] | None = None
    where: list[int] = []
    for m in _WORD.finditer(text):
        token = m.group()
        odd = [i for i, c in enumerate(token) if c in table]
        if not odd:
            continue
        scripts = {_script(c) for c in token}
        if "LATIN" not in scripts and len(scripts) < 2:
            continue  # a word wholly in one other script: that script's text (Armenian, Russian)
        if any(c not in table and _script(c) != "LATIN" and c not in _homoglyphs() for c in token):
            continue  # other letters of another script that read as nothing Latin: not a Latin word
        if out is None:
            out = list(text)
        for i in odd:
            out[m.start() + i] = table[token[i]]
            where.append(m.start() + i)
    return ("".join(out), tuple(where)) if out is not None else (text, ())
