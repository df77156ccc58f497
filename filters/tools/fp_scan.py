"""A wide false-positive scan: ordinary text the filter should let through, and what it flags in it.

Fixes for one false positive must not just move the problem, so this reads far more ordinary text than
`make eval` does and prints every flag with the rule and the *view* it came from (fold, split, pinyin,
syllable, leet, mask, stretch): a hit through a disguise view on ordinary text is almost always false.

- English: sentences of the docstrings and package descriptions (METADATA) of every Python package
  installed beside kidsafe (read with `ast`, never imported) and of /usr/share/doc's README/markdown files;
- Chinese: every word of jieba's whole dictionary (349k words and names) and COLD's non-offensive rows.

Run: `python -m filters.tools.fp_scan [--limit N] [--show N] [--no-model] [--only en|zh]`. Build/report
time only (needs the `tools` extra for jieba); a diagnostic, so there is no target: read the hits.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filters.eval_public import _sentences, module_docstrings
from filters.tools.benign_text import cold_rows, jieba_dictionary

DOC_DIR = Path("/usr/share/doc")


def english_doc_sentences(limit: int) -> list[str]:
    """Distinct sentences of installed packages' docstrings and descriptions, and of /usr/share/doc."""
    site = Path(sysconfig.get_paths()["purelib"])
    seen: dict[str, None] = {}
    texts: list[Iterator[str]] = []
    for meta in sorted(site.glob("*.dist-info/METADATA")):
        texts.append(iter([meta.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[-1]]))
    for path in sorted(site.rglob("*.py")):
        texts.append(module_docstrings(path, errors="replace"))
    for path in sorted(DOC_DIR.rglob("*")) if DOC_DIR.is_dir() else []:
        if path.is_file() and (path.suffix in (".md", ".txt", ".rst") or path.name.startswith("README")):
            texts.append(iter([path.read_text(encoding="utf-8", errors="replace")]))
    for it in texts:
        for text in it:
            for s in _sentences(text):
                if s.isascii():
                    seen.setdefault(s)
            if len(seen) >= limit:
                return list(seen)[:limit]
    return list(seen)


def scan(tf: Any, texts: list[str]) -> list[tuple[str, list[str]]]:
    """(text, ["rule@view", ...]) for every text the filter does not simply allow (PII left aside)."""
    out = []
    for text in texts:
        v = tf.check(text)
        reasons = [f"{r.rule}@{r.view or r.kind}" for r in v.reasons if r.blocking]
        if v.action == "block" and reasons:
            out.append((text, reasons))
    return out


def report(name: str, texts: list[str], flagged: list[tuple[str, list[str]]], show: int) -> None:
    n = len(texts)
    print(f"\n== {name} ==\nflagged: {len(flagged)}/{n} = {100 * len(flagged) / max(1, n):.2f}%")
    views = Counter(r.rsplit("@", 1)[1] for _, rs in flagged for r in rs)
    rules = Counter(r for _, rs in flagged for r in rs)
    print("by view: " + ", ".join(f"{k} {v}" for k, v in views.most_common()))
    print("top rules: " + ", ".join(f"{k} {v}" for k, v in rules.most_common(show)))
    disguised = [(t, rs) for t, rs in flagged if any(not r.endswith(("@fold", "@model")) for r in rs)]
    print(f"flags through a disguise view ({len(disguised)}):")
    for t, rs in disguised[:show]:
        print(f"  {'; '.join(rs[:3])}\t{t[:100]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.fp_scan", description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=100_000, help="English sentences to read (default 100,000)")
    ap.add_argument("--show", type=int, default=40, help="hits to list per set")
    ap.add_argument("--no-model", action="store_true", help="word lists only (default: the shipped model on)")
    ap.add_argument("--only", choices=("en", "zh"), default=None)
    args = ap.parse_args(argv)
    from filters.evaluate import load_filter

    tf = load_filter(args.no_model)
    if args.only != "zh":
        texts = english_doc_sentences(args.limit)
        report("English doc sentences (installed packages, /usr/share/doc)", texts, scan(tf, texts), args.show)
    if args.only != "en":
        words = sorted(jieba_dictionary())
        report("jieba whole dictionary (words and names)", words, scan(tf, words), args.show)
        safe, _ = cold_rows()
        report("COLD non-offensive rows", safe, scan(tf, safe), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
