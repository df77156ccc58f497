"""Are disguised spellings of the pack terms caught? A probe of the matcher's views on real pack terms.

For a stable sample of the terms of the imported packs (filters/data/packs/SOURCE.CATEGORY.json), or
with --core of the hand-curated core packs, each term is written in every disguise class of
filters/tools/disguise_forms.py (spaced, dotted, stretched, leet, masked and styled letters; pinyin,
initials, homophones, split characters), and the word lists alone (no model, so the figure is the
matcher's) are asked whether they block it. The figure per class is what to fix first.
It also explains the misses of the held-out imported terms (filters/data/eval/public/heldout_terms.jsonl,
never in a pack): a held-out term is caught only when the packs hold a term inside it, so a miss is
a term whose words no pack holds (the reason printed is the closest such evidence).

Run: `python -m filters.tools.disguise_probe [--core] [--per-source N] [--show N]` (needs the tools extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filters.tools import disguise_forms

PACKS_DIR = Path(__file__).resolve().parent.parent / "data" / "packs"
CHAIZI = Path(__file__).resolve().parent.parent / "data" / "chaizi.json"


def _stable(term: str) -> int:
    return int.from_bytes(hashlib.sha256(term.encode("utf-8")).digest()[:4], "big")


def sample_terms(per_source: int, core: bool = False) -> dict[str, list[tuple[str, str]]]:
    """source -> [(term, category)]: a stable sample of each imported source's pack terms, or (core) of
    each hand-curated core pack's terms (the source is then the pack's category)."""
    by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted(PACKS_DIR.glob("*.json")):
        pack = json.loads(path.read_text(encoding="utf-8"))
        imported = "." in pack["pack"]
        if imported == core:
            continue
        source = pack["pack"].split(".", 1)[0]
        by_source[source] += [(e["term"], e["category"]) for e in pack["entries"]]
    return {s: sorted(ts, key=lambda t: _stable(t[0]))[:per_source] for s, ts in by_source.items()}


def _is_cjk(term: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in term)


class Disguiser:
    """Writes a term in each disguise (None where the disguise does not apply to it)."""

    def __init__(self) -> None:
        from pypinyin import Style, lazy_pinyin

        from filters.tables import Tables

        self._pinyin = lambda t: lazy_pinyin(t, style=Style.NORMAL)
        tables = Tables()
        self._readings = tables.raw_readings
        from filters.tools.benign_text import jieba_dictionary

        freq = jieba_dictionary()  # a disguise uses a common character: the most frequent ones first
        by_sound: dict[str, list[str]] = defaultdict(list)
        for ch, syl in sorted(self._readings.items(), key=lambda kv: -freq.get(kv[0], 0)):
            if "\u4e00" <= ch <= "\u9fff" and freq.get(ch, 0) >= 1000:
                by_sound[syl].append(ch)
        self._by_sound = by_sound
        self._chaizi = {k: v for k, v in json.loads(CHAIZI.read_text(encoding="utf-8"))["map"].items()
                        if isinstance(v, list) and v}

    def zh(self) -> dict[str, Callable[[str], str | None]]:
        return disguise_forms.chinese(self._pinyin, self._homophone, self._split)

    @staticmethod
    def en() -> dict[str, Callable[[str], str | None]]:
        return disguise_forms.english()

    def _homophone(self, term: str) -> str | None:
        for i, ch in enumerate(term):
            others = [c for c in self._by_sound.get(self._readings.get(ch, ""), []) if c != ch]
            if others:
                return term[:i] + others[0] + term[i + 1:]
        return None

    def _split(self, term: str) -> str | None:
        for i, ch in enumerate(term):
            if ch in self._chaizi:
                return term[:i] + self._chaizi[ch][0] + term[i + 1:]
        return None

    def forms(self, term: str) -> Iterator[tuple[str, str]]:
        if _is_cjk(term) and len(term) >= 2:
            table = self.zh()
        elif term.isascii() and term.replace(" ", "").isalpha():
            table = self.en()
        else:
            return
        for view, make in table.items():
            form = make(term)
            if form and form != term:
                yield view, form


def probe(tf: Any, terms: dict[str, list[tuple[str, str]]]) -> tuple[Counter, Counter, list[tuple[str, str, str, str]]]:
    """(caught per view, tried per view, [(source, view, term, form) missed])."""
    dis = Disguiser()
    caught: Counter = Counter()
    tried: Counter = Counter()
    misses = []
    for source, rows in terms.items():
        for term, _cat in rows:
            if tf.check(term).action != "block":
                continue  # the plain term does not block (a mild term for this band): not a disguise question
            for view, form in dis.forms(term):
                tried[view] += 1
                if tf.check(form).action == "block":
                    caught[view] += 1
                else:
                    misses.append((source, view, term, form))
    return caught, tried, misses


def explain_heldout(tf: Any, rows: list[dict[str, Any]]) -> Counter:
    """Why each missed held-out term misses: no pack term inside it, or a term vetoed, or a mild one."""
    why: Counter = Counter()
    for row in rows:
        v = tf.check(row["text"])
        if v.action == "block":
            continue
        if any(r.kind == "lexicon" for r in v.reasons):
            why["a pack term inside it, not blocking at this band"] += 1
        elif row["lang"] == "en":
            why["English: no pack word inside it (compounds, rare slurs)"] += 1
        elif any(c.isdigit() or c.isascii() and c.isalpha() for c in row["text"]):
            why["Chinese with Latin/digits: an advert (qq..., 64式...) whose item no pack names"] += 1
        else:
            why["Chinese: no pack term inside it (names, rare words, phrasings)"] += 1
    return why


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.disguise_probe", description=__doc__.splitlines()[0])
    ap.add_argument("--per-source", type=int, default=200, help="terms sampled per imported source (default 200)")
    ap.add_argument("--show", type=int, default=30, help="misses to list")
    ap.add_argument("--core", action="store_true", help="probe the core packs, not the imported")
    args = ap.parse_args(argv)
    from filters.engine import TextFilter
    from filters.eval_public import heldout_rows

    tf = TextFilter.load()  # word lists only: the matcher's own figure
    caught, tried, misses = probe(tf, sample_terms(args.per_source, core=args.core))
    total_c, total_t = sum(caught.values()), sum(tried.values())
    kind = "core" if args.core else "imported"
    print(f"== disguised {kind} terms (word lists only, {args.per_source} terms per pack/source) ==")
    print(f"caught: {total_c}/{total_t} = {100 * total_c / max(1, total_t):.1f}%")
    for view in sorted(tried, key=lambda v: caught[v] / tried[v]):
        print(f"  {view:<18} {caught[view]:>4}/{tried[view]:<4} = {100 * caught[view] / tried[view]:5.1f}%")
    by = Counter((s, v) for s, v, _, _ in misses)
    print("misses by source and view: " + ", ".join(f"{s}/{v} {n}" for (s, v), n in by.most_common(12)))
    for s, v, term, form in misses[: args.show]:
        print(f"  MISS [{s}/{v}] {term!r} -> {form!r}")
    rows = heldout_rows()
    if rows:
        blocked = sum(tf.check(r["text"]).action == "block" for r in rows)
        print(f"\n== held-out imported terms (never in a pack), word lists only: {blocked}/{len(rows)} blocked ==")
        for reason, n in explain_heldout(tf, rows).most_common():
            print(f"  {n:>4}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
