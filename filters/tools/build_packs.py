"""`make packs`: rebuild the imported word packs from the pinned sources in filters/data/sources/.

For each source (filters/data/sources/sources.json, in the order there) its importer yields terms
with a kidsafe category and severity; each term is cleaned (filters/tools/term_clean.py), dropped if
the hand-curated packs or an earlier source already have it, held out for the public evaluation set
(1 in HOLDOUT_EVERY, by a stable hash), and curated against ordinary text (filters/tools/curate.py).
Written: one pack per source and category (filters/data/packs/SOURCE.CATEGORY.json, rule names
`lexicon:SOURCE.CATEGORY:TERM`), the review file of rejected terms with evidence
(filters/data/sources/review.jsonl), the build summary (filters/data/sources/summary.json), the
held-out terms (filters/data/eval/public/heldout_terms.jsonl) and the pack table in
filters/data/packs/README.md. Same inputs, same output: run it twice and git sees no change.

Run: `make packs` (or `python -m filters.tools.build_packs`; --no-curate skips curation).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from filters.lexicon import PACKS_DIR, Entry, load_pack
from filters.normalize import Normalizer
from filters.tools import (
    import_cuss,
    import_dsojevic_profanity,
    import_ldnoobw,
    import_rustrict,
    import_sensitive_lexicon,
    import_sensitive_word,
    import_sensitive_word_dict,
    import_surge_profanity,
    import_swsr,
    import_toolgood,
)
from filters.tools.curate import DICT_MIN_FREQ
from filters.tools.keyword_rules import is_political
from filters.tools.pack_readme import write_readme_table
from filters.tools.sources import SOURCES_DIR, Candidate, load_sources
from filters.tools.term_clean import TermCleaner

VERSION = "2026.12.01.1"  # bump when the importers, the rules or the sources change
IMPORTERS = {
    "sensitive-word": import_sensitive_word.read,
    "surge-profanity": import_surge_profanity.read,
    "dsojevic-profanity": import_dsojevic_profanity.read,
    "ldnoobw": import_ldnoobw.read,
    "sensitive-lexicon": import_sensitive_lexicon.read,
    "swsr": import_swsr.read,
    "sensitive-word-dict": import_sensitive_word_dict.read,
    "cuss": import_cuss.read,
    "rustrict": import_rustrict.read,
    "toolgood-words": import_toolgood.read,
}
# Imported phrases of 4+ Chinese characters (3+ in SWSR's slur pack) also match homophone spellings
# (草你八辈祖宗 for 操你八辈祖宗, 翠情药品 for 催情药品, 台八子 for 台巴子): slurs and adverts are disguised that
# way. A phrase keeps homophones only if curation passes it with them on and no dictionary word sounds like it
# (sounds_like_a_word: the lists hold disguised spellings of ordinary words, 大胸弟 for 大兄弟). Shorter ones
# stay off: three characters read by sound collide with ordinary text (我草拟 ~ 我操你, 大师兄 ~ 大湿胸, 你骂得 ~
# 你妈的, 也占到 ~ 野战刀). (Session 6 had them on for SWSR's slur phrases only.)
HOMOPHONE_MIN_CHARS = 4
SLUR_PACKS = frozenset({"swsr.bullying"})
SLUR_MIN_CHARS = 3
HOLDOUT_EVERY = 100  # 1 in 100 (was 50 before the real-text public sets existed)
OVERRIDES = SOURCES_DIR / "curation.json"
REVIEW = SOURCES_DIR / "review.jsonl"
SUMMARY = SOURCES_DIR / "summary.json"
HELDOUT = PACKS_DIR.parent / "eval" / "public" / "heldout_terms.jsonl"


def is_imported(pack_name: str) -> bool:
    return "." in pack_name


def held_out(term: str) -> bool:
    return int(hashlib.sha256(term.encode("utf-8")).hexdigest()[:8], 16) % HOLDOUT_EVERY == 0


def core_keys(cleaner: TermCleaner, packs_dir: Path) -> set[str]:
    keys = set()
    for path in sorted(packs_dir.glob("*.json")):
        if not is_imported(path.stem):
            keys.update(cleaner.fold_key(e.term) for e in load_pack(path).entries)
    return keys


def collect(cleaner: TermCleaner, packs_dir: Path) -> tuple[list[Candidate], list[Candidate], dict, list[dict]]:
    """(kept, held out, per-source stats, review rows for terms left out before curation)."""
    sources = load_sources()
    seen = core_keys(cleaner, packs_dir)
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8")) if OVERRIDES.exists() else {}
    by_eye = overrides.get("reject", {})
    kept: list[Candidate] = []
    heldout: list[Candidate] = []
    stats: dict[str, Counter] = {}
    review: list[dict] = []
    for sid, read in IMPORTERS.items():
        st = stats.setdefault(sid, Counter())
        candidates, skipped = read(sources[sid])
        st["read"] = len(candidates) + len(skipped)
        for _term, why in skipped:
            st[f"left out: {why.split(' (')[0]}"] += 1
        for cand in candidates:
            cleaned = cleaner.clean(cand.term, cand.match)
            if isinstance(cleaned, str):
                st[f"left out: {cleaned.split(' (')[0]}"] += 1
                continue
            term, match = cleaned
            if is_political(term):
                st["left out: politics"] += 1
                continue
            key = cleaner.fold_key(term)
            if key in seen:
                st["duplicate"] += 1
                continue
            seen.add(key)
            cand = Candidate(term, cand.category, cand.severity, sid, cand.origin, match)
            if term in by_eye:
                st["rejected"] += 1
                review.append(_review_row(cand, f"rejected by eye: {by_eye[term]}", []))
            elif held_out(term):
                st["held out"] += 1
                heldout.append(cand)
            else:
                kept.append(cand)
    return kept, heldout, stats, review


def _entry(c: Candidate) -> Entry:
    return Entry(c.term, c.category, c.severity, c.match, c.homophones, (), f"{c.source}.{c.category}")


def wants_homophones(c: Candidate) -> bool:
    least = SLUR_MIN_CHARS if f"{c.source}.{c.category}" in SLUR_PACKS else HOMOPHONE_MIN_CHARS
    return len(c.term) >= least and all("\u4e00" <= ch <= "\u9fff" for ch in c.term)


def curate_with_homophones(curator: Any, kept: list[Candidate], benign: Any) -> dict[int, Any]:
    """Curation rejections by index; a phrase that fails only with homophones on keeps them off, and so
    does one whose homophone reading is a word of jieba's whole dictionary (红帽子 for 红毛子) or fires on a
    COLD non-offensive row (国科大毕业证 for 达毕业证)."""
    kept[:] = [replace(c, homophones=wants_homophones(c)) for c in kept]
    rejected = curator.curate([_entry(c) for c in kept], benign)
    retry = [i for i in rejected if kept[i].homophones]
    if retry:
        plain = curator.curate([_entry(replace(kept[i], homophones=False)) for i in retry], benign)
        for j, i in enumerate(retry):
            kept[i] = replace(kept[i], homophones=False)
            if j not in plain:
                del rejected[i]
    for i in sounds_like_a_word(curator, kept, benign):
        kept[i] = replace(kept[i], homophones=False)
    return rejected


def sounds_like_a_word(curator: Any, kept: list[Candidate], benign: Any) -> set[int]:
    """Indexes of homophone entries whose homophone or pinyin match fires on a dictionary word, or (outside
    SLUR_PACKS) on any COLD non-offensive row (the 2-row rule of curation is for a term as written; a reading
    by sound that fires once on ordinary chat is already a coincidence)."""
    from filters.matcher import Matcher

    on = [i for i, c in enumerate(kept) if c.homophones]
    if not on:
        return set()
    entries = [_entry(kept[i]) for i in on]
    by_id = {id(e): i for e, i in zip(entries, on, strict=True)}
    matcher = Matcher(entries, curator.norm, curator.seg)
    shortest = min(SLUR_MIN_CHARS, HOMOPHONE_MIN_CHARS)
    texts = [w for w, freq in benign.dictionary.items() if freq >= DICT_MIN_FREQ and len(w) >= shortest]
    out = set()
    for text in texts:
        out.update(by_id[id(h.entry)] for h in matcher.find(text) if h.view in ("syllable", "pinyin"))
    # SWSR's slur phrases keep the 2-row rule: COLD's non-offensive rows quote slurs (脂那豬 in a row about
    # wartime propaganda), and their sound-alike spellings are how they are really written
    for text in benign.cold_safe:
        out.update(by_id[id(h.entry)] for h in matcher.find(text)
                   if h.view in ("syllable", "pinyin") and h.entry.pack not in SLUR_PACKS)
    return out


def _review_row(c: Candidate, reason: str, evidence: list[str]) -> dict:
    return {"term": c.term, "pack": f"{c.source}.{c.category}", "severity": c.severity, "origin": c.origin,
            "reason": reason, "evidence": evidence}


def _entry_doc(c: Candidate, allow: dict[str, list[str]]) -> dict:
    doc: dict = {"term": c.term, "category": c.category, "severity": c.severity}
    if c.match != "default":
        doc["match"] = c.match
    # imported terms: homophone keys of tens of thousands of terms flood false hits; only slur phrases
    # that passed curation with them (wants_homophones) keep them
    doc["homophones"] = c.homophones
    if c.term in allow:
        doc["allow"] = list(allow[c.term])
    return doc


def write_packs(kept: list[Candidate], packs_dir: Path) -> dict[str, int]:
    sources = load_sources()
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8")) if OVERRIDES.exists() else {}
    allow = overrides.get("allow", {})
    for old in packs_dir.glob("*.json"):
        if is_imported(old.stem):
            old.unlink()
    groups: dict[str, list[Candidate]] = {}
    for c in kept:
        groups.setdefault(f"{c.source}.{c.category}", []).append(c)
    counts = {}
    for name, cands in sorted(groups.items()):
        src = sources[cands[0].source]
        doc = {
            "schema": 1, "pack": name, "version": VERSION,
            "description": f"{cands[0].category} terms imported from {src.repository.split('github.com/')[-1]}.",
            "provenance": src.provenance(), "license": src.license,
            "source": {"repository": src.repository, "commit": src.commit, "path": src.path,
                       "license": src.license},
            "entries": [_entry_doc(c, allow) for c in sorted(cands, key=lambda c: c.term)],
        }
        (packs_dir / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n",
                                                encoding="utf-8")
        counts[name] = len(cands)
    return counts


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows),
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.build_packs", description=__doc__.splitlines()[0])
    ap.add_argument("--no-curate", action="store_true", help="skip curation against ordinary text (fast)")
    ap.add_argument("--packs", type=Path, default=PACKS_DIR, help="packs folder to write")
    args = ap.parse_args(argv)
    if importlib.util.find_spec("wordfreq") is None:
        # Without it the cuss importer leaves out every unplaced term (~500) and curation skips the English
        # vocabulary: the packs would silently differ from the committed ones.
        print("build_packs: wordfreq is not installed; run `make packs` (it installs the tools extra) or "
              "pip install -e '.[tools]'.\nbuild_packs：未安装 wordfreq，请运行 `make packs`。", file=sys.stderr)
        return 2
    norm = Normalizer()
    cleaner = TermCleaner(norm)
    kept, heldout, stats, review = collect(cleaner, args.packs)
    print(f"imported {len(kept)} candidate terms ({len(heldout)} held out for evaluation)", file=sys.stderr)
    if not args.no_curate:
        from filters.tools.benign_text import load_benign
        from filters.tools.curate import Curator

        overrides = json.loads(OVERRIDES.read_text(encoding="utf-8")) if OVERRIDES.exists() else {}
        promoted = set(overrides.get("promote", {}))
        benign = load_benign()
        print(f"curating against {len(benign.zh_words)} + {len(benign.en_words)} words, "
              f"{sum(len(v) for v in benign.sentences.values())} corpus rows, {len(benign.cold_safe)} COLD safe rows",
              file=sys.stderr)
        rejected = curate_with_homophones(Curator(norm), kept, benign)
        keep = []
        for i, c in enumerate(kept):
            rej = rejected.get(i)
            if rej is None or c.term in promoted:
                keep.append(c)
            else:
                stats[c.source]["rejected"] += 1
                review.append(_review_row(c, rej.reason, rej.evidence))
        kept = keep
    for c in kept:
        stats[c.source]["kept"] += 1
        stats[c.source][f"kept {c.category}"] += 1
    counts = write_packs(kept, args.packs)
    write_jsonl(REVIEW, sorted(review, key=lambda r: (r["pack"], r["term"])))
    write_jsonl(HELDOUT, [{"text": c.term, "expect": "block", "cat": c.category, "trick": f"heldout:{c.source}",
                           "lang": "en" if c.term.isascii() else "zh", "origin": c.origin}
                          for c in sorted(heldout, key=lambda c: (c.source, c.term))])
    SUMMARY.write_text(json.dumps({"version": VERSION, "packs": counts,
                                   "sources": {k: dict(sorted(v.items())) for k, v in stats.items()}},
                                  ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    write_readme_table(args.packs)
    for sid, st in stats.items():
        print(f"{sid}: read {st['read']}, kept {st['kept']}, duplicates {st['duplicate']}, "
              f"rejected {st['rejected']}, held out {st['held out']}", file=sys.stderr)
    print(f"wrote {len(counts)} packs, {sum(counts.values())} terms; review: {REVIEW}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
