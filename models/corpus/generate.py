"""Write the classifier's training corpus: `python -m models.corpus.generate`.

Steps: load templates -> hold out ~15% of templates per (label, language), and ~15% of the
sentence-like slot values (used by held-out templates only) -> share each
(label, language) row budget among its templates -> fill slots -> vary end punctuation ->
prefix a label-neutral opener to ~10% ->
disguise ~30% of rows -> drop duplicates, label conflicts and rows containing a dev-set text ->
drop held-out rows that equal a
training row (also after removing spaces/punctuation and case) -> write gzipped JSONL
(models/data/corpus/{train,heldout}.jsonl.gz) and copy the COLD rows used into models/data/cold/.
Deterministic for a given --seed; prints counts per label, language and split.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from models.corpus import COLD_DIR, CORPUS_DIR, LABELS, LANGS, SPLITS, TEMPLATE_DIR
from models.corpus.augment import Augmenter
from models.corpus.expand import allocate, choose_heldout, sample, split_parts, stable_int, template_rng
from models.corpus.loader import (
    Template,
    TemplateError,
    load_augment_tables,
    load_eval_texts,
    load_exclusions,
    load_templates,
    load_wrappers,
)

SEED = 20260601
HELDOUT_FRACTION = 0.15
AUGMENT_FRACTION = 0.30
ZH_SHARE = 0.70
SIZE_CAP = 4_800_000  # bytes; committed files stay under 5 MB
TARGETS: dict[str, int] = {  # rows per label, train + held-out, before de-duplication
    "safe": 46000,
    "sexual": 6000,
    "violence_or_self_harm": 6000,
    "bullying_or_hate": 6500,
    "grooming": 5500,
    "fraud": 6000,
    "gambling_or_drugs": 5000,
}
COLD_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "cold"
COLD_FILES = ("train.csv", "dev.csv", "LICENSE", "README.md")
END_PUNCT = {"zh": ["", "", "", "？", "?", "。", "！", "~", "!!", "…"], "en": ["", "", "", "?", ".", "!", "!!"]}
STRIP_RE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class Row:
    text: str
    label: str
    lang: str
    source: str
    split: str

    def to_json(self) -> str:
        return json.dumps(
            {"text": self.text, "label": self.label, "lang": self.lang, "source": self.source},
            ensure_ascii=False,
        )


def squash(text: str) -> str:
    """Comparison key: NFKC, lower case, no spaces/punctuation/symbols."""
    return STRIP_RE.sub("", unicodedata.normalize("NFKC", text).lower())


def vary_end(text: str, lang: str, rng: random.Random) -> str:
    """Vary the final punctuation (child queries often have none)."""
    if rng.random() < 0.5:
        return text
    base = text.rstrip("？?。.!！~")
    if not base:
        return text
    return base + rng.choice(END_PUNCT[lang])


def add_opener(text: str, lang: str, openers: dict[str, list[str]], rng: random.Random) -> str:
    """Prefix a label-neutral opener (wake word, filler), as voice transcripts and chats often have."""
    choices = openers.get(lang) or []
    if not choices:
        return text
    sep = rng.choice(("，", " ", "，", "")) if lang == "zh" else rng.choice((", ", " "))
    return rng.choice(choices) + sep + text


def build_rows(
    templates: list[Template],
    augmenter: Augmenter,
    seed: int = SEED,
    scale: float = 1.0,
    wrappers: tuple[float, dict[str, list[str]]] = (0.0, {}),
) -> list[Row]:
    """All rows, train and held-out, before de-duplication."""
    held = choose_heldout(templates, HELDOUT_FRACTION, seed)
    split_of = {t.tid: "heldout" if t.tid in held else "train" for t in templates}
    groups: dict[tuple[str, str], list[Template]] = {}
    for t in templates:
        restricted = replace(t, parts=split_parts(t.parts, split_of[t.tid], HELDOUT_FRACTION))
        groups.setdefault((t.label, t.lang), []).append(restricted)
    rows: list[Row] = []
    for (label, lang), group in sorted(groups.items()):
        share = ZH_SHARE if lang == "zh" else 1.0 - ZH_SHARE
        budget = int(TARGETS[label] * share * scale)
        for t, n in zip(group, allocate(group, budget), strict=True):
            rng = template_rng(seed, t)
            split = split_of[t.tid]
            for text in sample(t, n, rng):
                text = vary_end(text, lang, rng)
                source = f"tpl:{t.tid}"
                if rng.random() < wrappers[0]:
                    text = add_opener(text, lang, wrappers[1], rng)
                if rng.random() < AUGMENT_FRACTION:
                    text, used = augmenter.apply(text, lang, rng)
                    if used:
                        source += "+" + "+".join(used)
                rows.append(Row(text, label, lang, source, split))
    return rows


def dedupe(rows: list[Row], exclude: list[str] = (), exclude_equal: list[str] = ()) -> tuple[list[Row], Counter]:
    """Drop exact duplicates, texts seen under two labels, rows equal to or containing an excluded
    (dev-set) text, rows equal to an `exclude_equal` text (the filter's eval sets), and held-out rows
    that match training (all compared after `squash`)."""
    stats: Counter = Counter()
    excluded = {squash(t) for t in exclude}
    equal_only = {squash(t) for t in exclude_equal} - {""}
    contained = [k for k in excluded if len(k) >= 4]
    labels_of: dict[str, set[str]] = {}
    for r in rows:
        labels_of.setdefault(r.text, set()).add(r.label)
    squashed_labels: dict[str, set[str]] = {}
    for r in rows:
        squashed_labels.setdefault(squash(r.text), set()).add(r.label)
    train_keys = {squash(r.text) for r in rows if r.split == "train"}
    seen: set[str] = set()
    out: list[Row] = []
    for r in rows:
        key = squash(r.text)
        if key in excluded or any(k in key for k in contained):
            stats["dev_set_text"] += 1
            continue
        if key in equal_only:
            stats["eval_set_text"] += 1
            continue
        if len(labels_of[r.text]) > 1 or len(squashed_labels[key]) > 1:
            stats["label_conflict"] += 1
            continue
        if r.text in seen or not key:
            stats["duplicate"] += 1
            continue
        if r.split == "heldout" and key in train_keys:
            stats["heldout_matches_train"] += 1
            continue
        seen.add(r.text)
        out.append(r)
    return out, stats


def write_split(rows: list[Row], split: str, out_dir: Path) -> Path:
    """Write one split as `<split>.jsonl.gz` (byte-identical for identical rows: mtime 0)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = ("\n".join(r.to_json() for r in rows) + "\n").encode("utf-8")
    gz = out_dir / f"{split}.jsonl.gz"
    with open(gz, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(payload)
    if gz.stat().st_size > SIZE_CAP:
        raise RuntimeError(f"{gz} is {gz.stat().st_size:,} bytes, over the {SIZE_CAP:,}-byte cap; lower TARGETS")
    (out_dir / f"{split}.jsonl").unlink(missing_ok=True)  # a stale plain copy would shadow nothing but confuse
    return gz


def copy_cold(source: Path = COLD_SOURCE, dest: Path = COLD_DIR) -> list[Path]:
    """Copy the COLD files used (train, dev, LICENSE, README) unchanged; [] if not available."""
    if not all((source / name).exists() for name in COLD_FILES):
        return []
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in COLD_FILES:
        target = dest / name
        if not target.exists() or target.read_bytes() != (source / name).read_bytes():
            shutil.copyfile(source / name, target)
        copied.append(target)
    return copied


def generate(
    out_dir: Path = CORPUS_DIR, seed: int = SEED, scale: float = 1.0, template_dir: Path = TEMPLATE_DIR
) -> tuple[dict[str, list[Row]], Counter]:
    """Build and write the corpus; returns the rows of each split and what de-duplication dropped."""
    templates = load_templates(template_dir)
    augmenter = Augmenter(load_augment_tables(template_dir))
    rows = build_rows(templates, augmenter, seed, scale, load_wrappers(template_dir))
    rows, stats = dedupe(rows, load_exclusions(template_dir), load_eval_texts())
    by_split: dict[str, list[Row]] = {s: [r for r in rows if r.split == s] for s in SPLITS}
    for split, items in by_split.items():
        items.sort(key=lambda r: stable_int(str(seed), "order", r.text))
        write_split(items, split, out_dir)
    return by_split, stats


def report(by_split: dict[str, list[Row]], templates: list[Template]) -> str:
    """A counts table: rows per label x (split, language), and templates per label."""
    n_tpl = Counter(t.label for t in templates)
    lines = [
        f"{'label':24s} {'templates':>9s} " + " ".join(f"{s[:5]}/{lg:>2s}".rjust(9) for s in SPLITS for lg in LANGS)
    ]
    counts = Counter((r.label, r.split, r.lang) for rows in by_split.values() for r in rows)
    for label in LABELS:
        cells = " ".join(f"{counts[(label, s, lg)]:9d}" for s in SPLITS for lg in LANGS)
        lines.append(f"{label:24s} {n_tpl[label]:9d} {cells}")
    totals = " ".join(f"{sum(counts[(lb, s, lg)] for lb in LABELS):9d}" for s in SPLITS for lg in LANGS)
    lines.append(f"{'total':24s} {len(templates):9d} {totals}")
    aug = sum(1 for rows in by_split.values() for r in rows if "+" in r.source)
    total = sum(len(v) for v in by_split.values())
    lines.append(f"disguised rows: {aug} of {total} ({aug / max(total, 1):.0%})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.corpus.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="output folder (default models/data/corpus)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every row budget")
    parser.add_argument("--no-cold", action="store_true", help="do not copy COLD into models/data/cold")
    parser.add_argument("--templates", type=Path, default=TEMPLATE_DIR, help="template folder (default: built-in)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        print("--scale must be positive / --scale 必须大于 0", file=sys.stderr)
        return 2
    try:
        templates = load_templates(args.templates)
        by_split, stats = generate(args.out, args.seed, args.scale, args.templates)
    except (TemplateError, RuntimeError, OSError) as exc:
        print(f"corpus generation failed / 语料生成失败: {exc}", file=sys.stderr)
        return 1
    print(report(by_split, templates))
    print("dropped:", dict(stats))
    for split in SPLITS:
        p = args.out / f"{split}.jsonl.gz"
        print(f"wrote {p} ({p.stat().st_size:,} bytes)")
    if not args.no_cold:
        copied = copy_cold()
        print(f"COLD: {'copied to ' + str(COLD_DIR) if copied else 'source not found, skipped'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
