"""How often the co-occurrence rules (filters/combos.py) fire on ordinary text, and on labelled sets.

    python -m filters.tools.combo_report [--show 10] [--rules DIR] [--measure FILE.jsonl ...] [--odd-too]

Benign references (every firing is a false positive to fix in filters/data/combos/*.json):
COLD's non-offensive rows (../shared/data/cold), filters/data/eval/extra_traps.jsonl, the benign rows
of ../shared/eval/dev.jsonl, the device's embedded search corpus, English prose (standard-library
docstrings and OS licence texts), jieba's top-20k words, pypinyin's phrase dictionary, the safe rows
of the classifier's generated corpus (children asking about a scam or a secret), and the benign
(ham / neither / not sexist) rows of the public eval set.
Measured only, never tuned to: the harmful rows of the public eval set (filters/data/eval/public),
printed as how many rows a rule caught, and the held-out half of the classifier's generated corpus
(models/data/corpus/heldout.jsonl.gz, harmful rows of the fraud / grooming / self-harm template files).
`--measure FILE.jsonl` adds a local labelled set that must not be committed (e.g. a research-only scam
corpus): one JSON object a line with "text" and an optional "label"; it prints the rows caught per label.
Only the combo rules are run here, not the whole filter; `python -m filters.evaluate` gives the whole
filter's figures.

Held-out discipline: counts are split into even rows (index 0, 2, 4, ... of each set, in its order: may be
read for design) and odd rows (held out). Only even rows are ever listed by default; `--odd-too` also
lists odd rows of sets that may be read. Sets never to be read at all (`NEVER_READ`: Stormfront, OLID,
SOS-1K, HateCheck) print counts only, whatever the flags.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from filters.combo_rules import COMBOS_DIR
from filters.combos import ComboMatcher
from filters.normalize import Normalizer, Views
from filters.segment import Segmenter

EVAL_DIR = Path(__file__).resolve().parent.parent / "data" / "eval"
TRAINING_CORPUS = Path(__file__).resolve().parent.parent.parent / "models" / "data" / "corpus"
DEV = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "eval" / "dev.jsonl"
# sets whose rows nobody reads (counts only): matched case-insensitively in the set's name
NEVER_READ = ("stormfront", "olid", "sos-1k", "sos1k", "hatecheck")


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def corpus_safe_rows() -> list[str]:
    """The "safe" rows of the classifier's generated corpus (children's questions, contrast sentences)."""
    import gzip

    out = []
    for path in sorted(TRAINING_CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            out.extend(r["text"] for r in map(json.loads, fh) if r.get("label") == "safe")
    return out


def benign_sets() -> list[tuple[str, list[str]]]:
    from filters import eval_public as pub
    from filters.evaluate import jieba_top_words
    from filters.tools.benign_text import cold_rows, corpus_benign

    public = [(title.split(",")[0], [r["text"] for r in rows if r["expect"] == "allow"])
              for title, rows in pub.real_text_sets()]
    return [
        ("COLD non-offensive rows (train+dev)", cold_rows()[0]),
        ("extra_traps.jsonl", [r["text"] for r in _jsonl(EVAL_DIR / "extra_traps.jsonl")]),
        ("dev.jsonl benign", [r["text"] for r in _jsonl(DEV) if r.get("expect") == "allow"]),
        ("embedded search corpus (benign)", corpus_benign()),
        ("English prose (stdlib docstrings, licences)", pub.stdlib_prose() + pub.licence_prose()),
        ("jieba top-20k words", jieba_top_words()),
        ("pypinyin phrases", pub.pypinyin_phrases()),
        ("generated training corpus, safe rows (models/data/corpus)", corpus_safe_rows()),
        *[(f"public benign: {t}", rows) for t, rows in public],
    ]


def harmful_sets() -> list[tuple[str, list[str]]]:
    from filters import eval_public as pub

    out = [(f"public harmful: {t.split(',')[0]}", [r["text"] for r in rows if r["expect"] == "block"])
           for t, rows in pub.real_text_sets()]
    out.append(("extra_harmful.jsonl", [r["text"] for r in _jsonl(EVAL_DIR / "extra_harmful.jsonl")]))
    return out + heldout_template_sets()


def heldout_template_sets(families: tuple[str, ...] = ("fraud", "grooming", "self_harm"),
                          ) -> list[tuple[str, list[str]]]:
    """Harmful rows of the generated corpus's held-out templates, one set per template file of the families."""
    path = TRAINING_CORPUS / "heldout.jsonl.gz"
    if not path.exists():
        return []
    import gzip

    by_file: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            template = str(row.get("source", "")).split(":", 1)[-1].split(".", 1)[0]
            if row.get("label") != "safe" and any(f in template for f in families):
                by_file.setdefault(template, []).append(row["text"])
    return [(f"held-out corpus templates: {name}", rows) for name, rows in sorted(by_file.items())]


def measured_sets(paths: list[Path]) -> list[tuple[str, list[str]]]:
    """Local labelled sets (--measure): one set per file and label."""
    out: dict[str, list[str]] = {}
    for path in paths:
        for row in _jsonl(path):
            out.setdefault(f"{path.name}: {row.get('label', 'all')}", []).append(row["text"])
    return list(out.items())


def fired(combos: ComboMatcher, norm: Normalizer, texts: Iterable[str]) -> list[tuple[int, str, list[str]]]:
    """(row index, text, rule names) for every text at least one rule fires on."""
    out = []
    for i, t in enumerate(texts):
        hits = combos.find(Views(t, norm))
        if hits:
            out.append((i, t, [h.rule.rule_id for h in hits]))
    return out


def never_read(name: str) -> bool:
    """Is this a set whose rows are never read (counts only)?"""
    low = name.lower()
    return any(k in low for k in NEVER_READ)


def describe(name: str, kind: str, n: int, hits: list[tuple[int, str, list[str]]], show: int = 0,
             odd_too: bool = False) -> list[str]:
    """The report's lines for one set: counts split even / odd (held out), per rule, then at most `show`
    rows that fired: even rows only unless `odd_too`, and none at all from a never-read set."""
    even = sum(1 for i, _, _ in hits if i % 2 == 0)
    by_rule = Counter(r for _, _, rules in hits for r in rules)
    hidden = never_read(name)
    lines = [f"\n== {name}{' (never read: counts only)' if hidden else ''} ==",
             f"fired on {len(hits)}/{n} {kind} rows (even {even}/{(n + 1) // 2}, odd held out "
             f"{len(hits) - even}/{n // 2}) {dict(by_rule)}"]
    if hidden or show <= 0:
        return lines
    listed = [h for h in hits if odd_too or h[0] % 2 == 0]
    lines += [f"  {'even' if i % 2 == 0 else 'ODD'} {i}\t{rules[0]}\t{text[:100]!r}"
              for i, text, rules in listed[:show]]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.combo_report", description=__doc__.splitlines()[0])
    ap.add_argument("--rules", type=Path, default=COMBOS_DIR, help="folder of rule files")
    ap.add_argument("--show", type=int, default=10, help="firings to list per benign set (even rows only)")
    ap.add_argument("--odd-too", action="store_true",
                    help="also list odd (held-out) rows of sets that may be read; never for design")
    ap.add_argument("--no-harmful", action="store_true", help="skip the labelled harmful sets")
    ap.add_argument("--measure", type=Path, action="append", default=[],
                    help="a local JSONL set (text, label) to measure, never committed")
    args = ap.parse_args(argv)
    norm = Normalizer()
    combos = ComboMatcher.load(args.rules, normalizer=norm, segmenter=Segmenter())
    print(f"rules: {len(combos.rules)} in {combos.versions()}")
    total = total_fired = 0
    for name, texts in benign_sets():
        hits = fired(combos, norm, texts)
        total += len(texts)
        total_fired += len(hits)
        print("\n".join(describe(name, "benign", len(texts), hits, args.show, args.odd_too)))
    print(f"\nbenign total: {total_fired}/{total} = {100 * total_fired / max(1, total):.3f}%")
    if not args.no_harmful:
        for name, texts in harmful_sets() + measured_sets(args.measure):
            hits = fired(combos, norm, texts)
            print("\n".join(describe(f"{name} (measured only)", "harmful", len(texts), hits)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
