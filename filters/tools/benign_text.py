"""Ordinary text the curation runs imported terms against (build time only).

- jieba's 20,000 most frequent words of 2+ characters (the `tools`/`test` extra installs jieba);
- the 30,000 most frequent English words from `wordfreq` (optional: skipped with a notice if absent);
- the benign rows of the device's embedded search corpus (device/data/corpus/*.jsonl);
- 12,000 classical poems and primer chunks (filters/data/sources/benign/classical_poetry.txt, built by
  filters/tools/build_poetry_benign.py from chinese-poetry/chinese-poetry, MIT), none overlapping the
  classical_canon evaluation set: classical texts use literally what slang lists hold (淫聲, 井底蛙, 花露逼);
- COLD's rows (../shared/data/cold/{train,dev}.csv): label 0 non-offensive, label 1 offensive;
- jieba's whole dictionary (word -> frequency) and the pinyin syllables of filters/data/tables/pinyin.tsv.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from filters.tools.curate import BenignText

REPO = Path(__file__).resolve().parent.parent.parent
CORPUS_DIR = REPO / "device" / "data" / "corpus"
COLD_DIR = REPO.parent / "shared" / "data" / "cold"
PINYIN_TABLE = REPO / "filters" / "data" / "tables" / "pinyin.tsv"
POETRY = REPO / "filters" / "data" / "sources" / "benign" / "classical_poetry.txt"
EN_TOP = 30_000


def english_words(n: int = EN_TOP) -> list[str]:
    try:
        from wordfreq import top_n_list
    except ImportError:
        print("note: wordfreq is not installed (pip install -e '.[tools]'); English vocabulary check skipped",
              file=sys.stderr)
        return []
    return [w for w in top_n_list("en", n) if w.isalpha()]


def corpus_benign(directory: Path = CORPUS_DIR) -> list[str]:
    out = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("label") == "benign":
                out.append(f"{row.get('title', '')} {row.get('snippet', '')}".strip())
    return out


def classical_poetry(path: Path = POETRY) -> list[str]:
    if not path.exists():
        print(f"note: {path} not found; classical poetry check skipped", file=sys.stderr)
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def cold_rows(directory: Path = COLD_DIR) -> tuple[list[str], list[str]]:
    safe, offensive = [], []
    for name in ("train.csv", "dev.csv"):
        path = directory / name
        if not path.exists():
            print(f"note: {path} not found; COLD check skipped for it", file=sys.stderr)
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                (safe if row.get("label") == "0" else offensive).append(row.get("TEXT") or "")
    return safe, offensive


def pinyin_syllables(path: Path = PINYIN_TABLE) -> frozenset[str]:
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        out.update(s for s in line.split("\t", 1)[1].split(",") if s)
    return frozenset(out)


def jieba_dictionary() -> dict[str, int]:
    import jieba

    out: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
    return out


def load_benign() -> BenignText:
    from filters.evaluate import jieba_top_words

    safe, offensive = cold_rows()
    return BenignText(
        zh_words=jieba_top_words(), en_words=english_words(),
        sentences={"search corpus": corpus_benign(), "classical poems": classical_poetry()},
        cold_safe=safe, cold_offensive=offensive, pinyin_syllables=pinyin_syllables(),
        dictionary=jieba_dictionary(),
    )
