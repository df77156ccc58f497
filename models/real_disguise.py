"""Disguised copies of real Chinese training rows, so the model sees real hate the way evaders spell it.

The written corpus is already disguised (models/corpus/augment.py) but its sentences are our own;
the real comments (COLD, SWSR) were only seen as written. Real disguised hate keeps the sentence and
changes its key characters. This module does the same to a share of the real Chinese rows — harmful
and benign alike, with the same procedure and rate, so that "odd spelling" carries no label:

- **where**: 1-3 Chinese characters per row, drawn with a weight that grows with how much more often
  the character occurs in offensive than in safe rows of the given training rows (so insults and
  slur characters are picked most, the very frequent function characters never);
- **how** (one per picked character): a homophone (another common character with the same toneless
  reading: 黑 -> 嘿, 男 -> 蝻), the character's toneless pinyin (河南 -> he南), pinyin initials of a
  two-character word (傻逼 -> sb), an emoji that stands for the character (狗 -> 🐶), or its split
  form (拆字, filters/data/chaizi.json: 妈 -> 女马).

What the device's featurizer folds away by itself (spaces, punctuation, emoji between characters,
zero-width characters, traditional characters, full-width letters; filters/features.py) is not
done here: it would give the same features as the original row. The emoji and initials tables are
data: models/data/disguise/disguise.json. Homophones come from filters/data/tables/pinyin.tsv
(readings) and segdict.tsv (character frequencies from jieba's dictionary).

A second kind of copy (`homophone_copies`, session 12) spreads homophones over the whole sentence the
way homophone-cloaked comments are written: each Chinese character of the row is replaced, with a
per-row rate drawn from HOMOPHONE_RATE (about a fifth of the characters on average), by another common
character of the same toneless reading. The character n-grams then mostly differ from the original
while the pinyin syllable features stay (filters/feature_pinyin.py), so the model learns to let the
syllables carry the verdict. Harmful and benign rows alike, as above.

Deterministic: each row's choices come from a hash of its text and the seed.
"""

from __future__ import annotations

import json
import math
import random
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLES = REPO / "filters" / "data" / "tables"
CHAIZI = REPO / "filters" / "data" / "chaizi.json"
DISGUISE_TABLE = Path(__file__).resolve().parent / "data" / "disguise" / "disguise.json"
HAN = re.compile(r"[\u4e00-\u9fff]")
COMMON_CHARS = 4000  # homophones are drawn from this many most frequent characters
FUNCTION_CHARS = 25  # the most frequent characters of the rows are never picked (的, 是, 了, ...)
HOMOPHONE_RATE = (0.10, 0.30)  # share of a row's Chinese characters replaced by homophone_copies, uniform per row
WAYS = {"homophone": 0.45, "pinyin": 0.2, "initials": 0.1, "emoji": 0.15, "chaizi": 0.1}


@cache
def _readings() -> dict[str, str]:
    out = {}
    for line in (TABLES / "pinyin.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, readings = line.split("\t")
            out[char] = readings.split(",")[0]
    return out


@cache
def _char_frequency() -> dict[str, int]:
    freq: Counter[str] = Counter()
    for line in (TABLES / "segdict.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, count = line.split("\t")
            for ch in word:
                freq[ch] += int(count)
    return dict(freq)


@cache
def _homophones() -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """Reading -> (common characters with that default reading, sampling weights)."""
    freq = _char_frequency()
    readings = _readings()
    common = [c for c, _ in sorted(freq.items(), key=lambda kv: -kv[1]) if HAN.fullmatch(c)][:COMMON_CHARS]
    groups: dict[str, list[str]] = defaultdict(list)
    for ch in common:
        if ch in readings:
            groups[readings[ch]].append(ch)
    return {r: (tuple(cs), tuple(math.sqrt(freq[c]) for c in cs)) for r, cs in groups.items()}


@cache
def _tables() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    doc = json.loads(DISGUISE_TABLE.read_text(encoding="utf-8"))
    chaizi = json.loads(CHAIZI.read_text(encoding="utf-8"))["map"]
    return doc["emoji_for_char"], doc["initials_for_word"], chaizi


@dataclass(frozen=True)
class CharWeights:
    """How likely each character is to be disguised (learned from labelled rows, label-blind in use)."""

    weight: dict[str, float]

    @classmethod
    def from_rows(cls, rows: Iterable[dict], function_chars: int = FUNCTION_CHARS, min_rows: int = 5) -> CharWeights:
        """Weights from labelled rows: the `function_chars` most frequent characters and those in
        fewer than `min_rows` rows get none (never picked)."""
        df_off: Counter[str] = Counter()
        df_safe: Counter[str] = Counter()
        n_off = n_safe = 0
        for row in rows:
            chars = set(HAN.findall(row["text"]))
            if row["label"] == "safe":
                df_safe.update(chars)
                n_safe += 1
            else:
                df_off.update(chars)
                n_off += 1
        total = df_off + df_safe
        function = {c for c, _ in total.most_common(function_chars)}
        weight = {}
        for ch, n in total.items():
            if ch in function or n < min_rows:
                continue
            ratio = ((df_off[ch] + 1) / (n_off + 2)) / ((df_safe[ch] + 1) / (n_safe + 2))
            weight[ch] = min(max(ratio, 0.5), 8.0) ** 2
        return cls(weight)


def _homophone(ch: str, rng: random.Random) -> str | None:
    reading = _readings().get(ch)
    if reading is None or reading not in _homophones():
        return None
    chars, weights = _homophones()[reading]
    options = [(c, w) for c, w in zip(chars, weights, strict=True) if c != ch]
    if not options:
        return None
    return rng.choices([c for c, _ in options], weights=[w for _, w in options])[0]


def _disguise_at(text: str, i: int, rng: random.Random) -> tuple[str, int, int] | None:
    """(replacement, start, end) for the character at i, or None when no way applies."""
    emoji, initials, chaizi = _tables()
    ch = text[i]
    ways = dict(WAYS)
    while ways:
        way = rng.choices(list(ways), weights=list(ways.values()))[0]
        ways.pop(way)
        if way == "homophone" and (sub := _homophone(ch, rng)):
            return sub, i, i + 1
        if way == "pinyin" and ch in _readings():
            return _readings()[ch], i, i + 1
        if way == "emoji" and ch in emoji:
            return rng.choice(emoji[ch]), i, i + 1
        if way == "chaizi" and ch in chaizi:
            return rng.choice(chaizi[ch]), i, i + 1
        if way == "initials":
            for start in (i - 1, i, i - 2):
                for size in (2, 3):
                    word = text[max(start, 0): max(start, 0) + size]
                    if start >= 0 and word in initials:
                        return rng.choice(initials[word]), start, start + size
            pair = text[i: i + 2]
            if len(pair) == 2 and all(c in _readings() for c in pair):
                return "".join(_readings()[c][0] for c in pair), i, i + 2
    return None


def disguise(text: str, weights: CharWeights, rng: random.Random) -> str | None:
    """The text with 1-3 key characters disguised, or None when it has no character to disguise."""
    positions = [i for i, ch in enumerate(text) if ch in weights.weight]
    if not positions:
        return None
    k = min(len(positions), rng.choices((1, 2, 3), weights=(0.5, 0.35, 0.15))[0])
    picked: list[int] = []
    pool = list(positions)
    for _ in range(k):
        i = rng.choices(pool, weights=[weights.weight[text[j]] for j in pool])[0]
        picked.append(i)
        pool.remove(i)
    edits = []
    taken: set[int] = set()
    for i in sorted(picked):
        if i in taken:
            continue
        edit = _disguise_at(text, i, rng)
        if edit and not taken.intersection(range(edit[1], edit[2])):
            edits.append(edit)
            taken.update(range(edit[1], edit[2]))
    out = text
    for sub, start, end in sorted(edits, key=lambda e: -e[1]):
        out = out[:start] + sub + out[end:]
    return out if out != text else None


def disguised_copies(rows: list[dict], fraction: float, seed: int, weights: CharWeights | None = None) -> list[dict]:
    """Disguised copies of about `fraction` of the Chinese rows (any label, same rate), each with
    the row's label and `source` + "+disguise"."""
    if fraction <= 0:
        return []
    weights = weights or CharWeights.from_rows(rows)
    out = []
    for row in rows:
        if row.get("lang", "zh") != "zh":
            continue
        rng = random.Random(zlib.crc32(row["text"].encode("utf-8"), seed))
        if rng.random() >= fraction:
            continue
        text = disguise(row["text"], weights, rng)
        if text is not None:
            out.append({**row, "text": text, "source": f"{row.get('source', '')}+disguise"})
    return out


def homophone_text(text: str, rate: float, rng: random.Random) -> str | None:
    """The text with each Chinese character replaced by a same-reading common character with probability
    `rate`, or None when nothing changed."""
    out = []
    for ch in text:
        sub = _homophone(ch, rng) if HAN.fullmatch(ch) and rng.random() < rate else None
        out.append(sub or ch)
    changed = "".join(out)
    return changed if changed != text else None


def homophone_copies(rows: list[dict], fraction: float, seed: int,
                     rate: tuple[float, float] = HOMOPHONE_RATE, harmful_only: bool = False) -> list[dict]:
    """Whole-sentence homophone copies of about `fraction` of the Chinese rows (any label, same rate; with
    `harmful_only`, of the rows not labelled safe only: session 14), each with the row's label and `source` +
    "+homophone". A row's draw does not depend on the other rows, so harmful_only keeps exactly the harmful
    copies of the default."""
    if fraction <= 0:
        return []
    out = []
    for row in rows:
        if row.get("lang", "zh") != "zh" or (harmful_only and row.get("label") == "safe"):
            continue
        rng = random.Random(zlib.crc32(row["text"].encode("utf-8"), seed ^ 0x40A0))
        if rng.random() >= fraction:
            continue
        text = homophone_text(row["text"], rng.uniform(*rate), rng)
        if text is not None:
            out.append({**row, "text": text, "source": f"{row.get('source', '')}+homophone"})
    return out
