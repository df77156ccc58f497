"""Benchmark corpora and lexicons, built deterministically from data already on the machine.

Mixed Chinese/English text: COLD comments (../shared/data/cold) and English prose taken from the
docstrings of Python's standard library, interleaved line by line and repeated to the wanted size.
A scale lexicon: the shipped packs plus synthetic terms (random common-character bigrams to 4-grams
and English letter strings) up to the wanted number of terms.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from filters.lexicon import Entry, Pack, load_packs

ROOT = Path(__file__).resolve().parent.parent
COLD = ROOT.parent / "shared" / "data" / "cold" / "train.csv"


FALLBACK_LINE = "今天我们学习了关于恐龙的知识，老师讲得很有趣。"


def cold_source() -> str:
    """Where the Chinese lines come from, for a benchmark's report: a corpus without COLD (a tree exported
    without ../shared beside it) is 60% one built-in sentence, and every speed figure looks ~2x better."""
    if COLD.exists():
        return f"COLD comments from {COLD}"
    return (f"WARNING: {COLD} is missing, so 60% of the lines are ONE built-in sentence: these figures are "
            "not comparable with runs on the real corpus (put ../shared beside the tree)")


def chinese_lines() -> list[str]:
    if not COLD.exists():
        print(cold_source(), file=sys.stderr)
        return [FALLBACK_LINE] * 1000
    with COLD.open(encoding="utf-8-sig") as fh:
        return [row["TEXT"].strip() for row in csv.DictReader(fh) if row.get("TEXT", "").strip()]


def english_lines() -> list[str]:
    import importlib

    lines: list[str] = []
    for mod in sorted(sys.stdlib_module_names):
        if mod.startswith("_") or mod in {"antigravity", "this", "idlelib", "tkinter", "turtle"}:
            continue
        try:
            m = importlib.import_module(mod)
        except Exception:
            continue
        docs = [m.__doc__ or ""]
        for name in dir(m)[:200]:
            obj = getattr(m, name, None)
            doc = getattr(obj, "__doc__", None) if callable(obj) else None
            if isinstance(doc, str):
                docs.append(doc)
        for doc in docs:
            for para in doc.split("\n\n"):
                para = " ".join(para.split())
                if 40 <= len(para) <= 400:
                    lines.append(para)
    return sorted(set(lines))


def mixed_corpus(min_chars: int = 10_000_000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    zh, en = chinese_lines(), english_lines()
    out: list[str] = []
    total = 0
    while total < min_chars:
        line = rng.choice(zh) if rng.random() < 0.6 else rng.choice(en)
        out.append(line)
        total += len(line)
    return out


def scale_lexicon(min_terms: int = 20_000, seed: int = 11) -> tuple[list[Pack], int]:
    """Shipped packs + synthetic terms; returns (packs, number of synthetic terms)."""
    packs = load_packs()
    have = sum(len(p.entries) for p in packs)
    rng = random.Random(seed)
    zh = "".join(chinese_lines()[:5000])
    common = sorted({c for c in zh if "\u4e00" <= c <= "\u9fff"})
    entries: list[Entry] = []
    seen: set[str] = set()
    while have + len(entries) < min_terms:
        if rng.random() < 0.75:
            term = "".join(rng.choice(common) for _ in range(rng.randint(3, 4)))
        else:
            term = "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(3))
        if term not in seen:
            seen.add(term)
            entries.append(Entry(term, "violence", 2, "default", False, (), "synthetic"))
    synth = Pack("synthetic", "0", tuple(entries), "benchmark filler", "random", "n/a", "")
    return [*packs, synth], len(entries)
