"""Disguise a text the way evaders do, so the classifier learns to see through it.

Each disguise takes (text, rng) and returns the disguised text, or None when it does not apply
(no Chinese characters to convert, no letters to leet, ...). `Augmenter.apply` picks one (sometimes
two) applicable disguises by weight. The tables (homophones, leet, emoji, separators, keywords)
are data: models/corpus/templates/_augment.json.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import opencc
from pypinyin import Style, lazy_pinyin

HAN_RE = re.compile(r"[\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]{3,}")

Disguise = Callable[[str, random.Random], "str | None"]


def _han_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if HAN_RE.match(ch)]


class Augmenter:
    """Applies the disguises listed in the tables; deterministic for a given rng."""

    def __init__(self, tables: dict) -> None:
        self.homophones: dict[str, list[str]] = tables["homophones"]
        self.leet: dict[str, list[str]] = tables["leet"]
        self.emoji: list[str] = tables["emoji"]
        self.separators: list[str] = tables["separators"]
        self.zero_width: list[str] = tables["zero_width"]
        self.masks: list[str] = tables["masks"]
        self.en_keywords: set[str] = {w.lower() for w in tables["en_keywords"]}
        self.weights: dict[str, dict[str, float]] = tables["weights"]
        self._s2t = opencc.OpenCC("s2t")
        self.disguises: dict[str, Disguise] = {
            "separator": self.separator,
            "emoji_insert": self.emoji_insert,
            "zero_width": self.zero_width_insert,
            "fullwidth": self.fullwidth,
            "traditional": self.traditional,
            "pinyin_mix": self.pinyin_mix,
            "pinyin_tone": self.pinyin_tone,
            "pinyin_full": self.pinyin_full,
            "homophone": self.homophone,
            "leet": self.leetspeak,
            "mask": self.mask,
            "spaced_letters": self.spaced_letters,
            "case_mix": self.case_mix,
        }
        for lang, table in self.weights.items():
            unknown = set(table) - set(self.disguises)
            if unknown:
                raise ValueError(f"_augment.json weights[{lang}]: unknown disguises {sorted(unknown)}")

    # --- choosing where -------------------------------------------------------------------
    def _key_span(self, text: str, rng: random.Random) -> tuple[int, int]:
        """A short span to disguise: around a keyword character/word if there is one."""
        for m in WORD_RE.finditer(text):
            if m.group(0).lower() in self.en_keywords and rng.random() < 0.8:
                return m.span()
        keys = [i for i, ch in enumerate(text) if ch in self.homophones]
        if keys and rng.random() < 0.8:
            i = rng.choice(keys)
            start = max(0, i - rng.randint(0, 1))
            return start, min(len(text), i + rng.randint(2, 3))
        if len(text) <= 2:
            return 0, len(text)
        start = rng.randrange(0, len(text) - 1)
        return start, min(len(text), start + rng.randint(2, 5))

    def _interleave(self, text: str, rng: random.Random, fillers: list[str], whole: bool) -> str | None:
        start, end = (0, len(text)) if whole else self._key_span(text, rng)
        chunk = text[start:end]
        if len(chunk.replace(" ", "")) < 2:
            return None
        filler = rng.choice(fillers)
        out = filler.join(ch for ch in chunk if ch != " ") if filler.strip() else " ".join(chunk.replace(" ", ""))
        return text[:start] + out + text[end:]

    # --- the disguises --------------------------------------------------------------------
    def separator(self, text: str, rng: random.Random) -> str | None:
        return self._interleave(text, rng, self.separators, whole=rng.random() < 0.25)

    def emoji_insert(self, text: str, rng: random.Random) -> str | None:
        start, end = self._key_span(text, rng)
        if end - start < 2:
            return None
        pos = rng.randint(start + 1, end - 1)
        return text[:pos] + rng.choice(self.emoji) + text[pos:]

    def zero_width_insert(self, text: str, rng: random.Random) -> str | None:
        start, end = self._key_span(text, rng)
        if end - start < 2:
            return None
        zw = rng.choice(self.zero_width)
        return text[:start] + zw.join(text[start:end]) + text[end:]

    def fullwidth(self, text: str, rng: random.Random) -> str | None:
        if not re.search(r"[A-Za-z0-9]", text):
            return None
        start, end = (0, len(text)) if rng.random() < 0.5 else self._key_span(text, rng)
        conv = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text[start:end])
        out = text[:start] + conv + text[end:]
        return out if out != text else None

    def traditional(self, text: str, rng: random.Random) -> str | None:
        out = self._s2t.convert(text)
        return out if out != text else None

    def _pinyin_replace(self, text: str, rng: random.Random, style: Style) -> str | None:
        han = _han_positions(text)
        if not han:
            return None
        keys = [i for i in han if text[i] in self.homophones]
        pool = keys if keys and rng.random() < 0.85 else han
        picks = sorted(set(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2))))))
        chars = list(text)
        for i in picks:
            py = lazy_pinyin(chars[i], style=style, errors="ignore")
            if py and py[0]:
                chars[i] = py[0]
        out = "".join(chars)
        return out if out != text else None

    def pinyin_mix(self, text: str, rng: random.Random) -> str | None:
        style = Style.FIRST_LETTER if rng.random() < 0.15 else Style.NORMAL
        return self._pinyin_replace(text, rng, style)

    def pinyin_tone(self, text: str, rng: random.Random) -> str | None:
        return self._pinyin_replace(text, rng, Style.TONE)

    def pinyin_full(self, text: str, rng: random.Random) -> str | None:
        """The whole text (or a keyword span of it) typed in toneless pinyin: `wo xiang kan se qing`."""
        if not _han_positions(text):
            return None
        start, end = (0, len(text)) if rng.random() < 0.5 else self._key_span(text, rng)
        sep = rng.choice((" ", "", " "))
        py = sep.join(p for p in lazy_pinyin(text[start:end], errors=lambda chars: [chars]) if p.strip())
        py = re.sub(r"\s*([^\w\s])\s*", r"\1", py)
        out = text[:start] + py + text[end:]
        return out if out != text else None

    def homophone(self, text: str, rng: random.Random) -> str | None:
        keys = [i for i, ch in enumerate(text) if ch in self.homophones]
        if not keys:
            return None
        picks = set(rng.sample(keys, k=min(len(keys), rng.choice((1, 1, 2, 3)))))
        out = "".join(rng.choice(self.homophones[ch]) if i in picks else ch for i, ch in enumerate(text))
        return out if out != text else None

    def _word_span(self, text: str, rng: random.Random) -> tuple[int, int] | None:
        words = list(WORD_RE.finditer(text))
        if not words:
            return None
        keyed = [m for m in words if m.group(0).lower() in self.en_keywords]
        m = rng.choice(keyed) if keyed and rng.random() < 0.85 else rng.choice(words)
        return m.span()

    def leetspeak(self, text: str, rng: random.Random) -> str | None:
        span = self._word_span(text, rng)
        if span is None:
            return None
        start, end = (0, len(text)) if rng.random() < 0.2 else span
        conv = "".join(
            rng.choice(self.leet[c.lower()]) if c.lower() in self.leet and rng.random() < 0.7 else c
            for c in text[start:end]
        )
        out = text[:start] + conv + text[end:]
        return out if out != text else None

    def mask(self, text: str, rng: random.Random) -> str | None:
        span = self._word_span(text, rng)
        if span is not None and span[1] - span[0] >= 3:
            start, end = span
            i = rng.randint(start + 1, end - 2)
            n = 1 if rng.random() < 0.7 else min(2, end - 1 - i)
            return text[:i] + rng.choice(self.masks) * n + text[i + n :]
        keys = [i for i, ch in enumerate(text) if ch in self.homophones]
        if not keys:
            return None
        i = rng.choice(keys)
        return text[:i] + rng.choice(self.masks) + text[i + 1 :]

    def spaced_letters(self, text: str, rng: random.Random) -> str | None:
        span = self._word_span(text, rng)
        if span is None:
            return None
        start, end = span
        return text[:start] + rng.choice((" ", " ", ".", "-")).join(text[start:end]) + text[end:]

    def case_mix(self, text: str, rng: random.Random) -> str | None:
        if not re.search(r"[A-Za-z]", text):
            return None
        mode = rng.random()
        if mode < 0.4:
            out = text.upper()
        else:
            out = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
        return out if out != text else None

    # --- entry point ----------------------------------------------------------------------
    def apply(self, text: str, lang: str, rng: random.Random) -> tuple[str, list[str]]:
        """Disguise `text` once (sometimes twice); returns the new text and the disguises used."""
        used: list[str] = []
        rounds = 2 if rng.random() < 0.2 else 1
        for _ in range(rounds):
            table = dict(self.weights[lang])
            for name in used:
                table.pop(name, None)
            while table:
                names = sorted(table)
                name = rng.choices(names, weights=[table[n] for n in names])[0]
                out = self.disguises[name](text, rng)
                if out is not None and out != text:
                    text = out
                    used.append(name)
                    break
                table.pop(name)
        return text, used
