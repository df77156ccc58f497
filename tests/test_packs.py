"""Schema and hygiene checks for every shipped word pack and the split-character table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from filters.categories import CATEGORIES
from filters.lexicon import PACKS_DIR, LexiconError, load_packs, parse_pack
from filters.normalize import Normalizer
from filters.tools.sources import REDISTRIBUTABLE

PACK_FILES = sorted(PACKS_DIR.glob("*.json"))
CHAIZI = Path(PACKS_DIR).parent / "chaizi.json"
README = PACKS_DIR / "README.md"
T2S = Path(PACKS_DIR).parent / "tables" / "t2s.tsv"
ENTRY_KEYS = {"term", "category", "severity", "match", "homophones", "allow"}
VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}\.\d+$")
LEET_OR_MASK = re.compile(r"[@$!|*#€]")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _sounds_inside(normalizer: Normalizer, folded: str, ctx: str) -> bool:
    """A Chinese context that holds the term's syllables (去私聊 for 去死) vetoes its homophone matches."""
    if not folded or not all(_is_cjk(c) for c in folded):
        return False
    enc = normalizer.tables.encode_syllables
    return enc(folded) in enc(normalizer.fold_text(ctx).strip(" "))


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in PACK_FILES}


@pytest.fixture(scope="module")
def traditional_chars() -> set[str]:
    rows = [line.split("\t") for line in T2S.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {r[0] for r in rows if len(r) == 2 and r[0] != r[1]}


def test_packs_exist_and_load() -> None:
    assert len(PACK_FILES) >= 5
    packs = load_packs()
    assert sum(len(p.entries) for p in packs) >= 2000


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_pack_header(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert doc["pack"] == path.stem, "the file name is the pack name"
    assert VERSION.match(doc["version"]), doc["version"]
    if "." in doc["pack"]:  # imported: SOURCE.CATEGORY, with the pinned source in the header
        src = doc["source"]
        assert set(src) >= {"repository", "commit", "path", "license"}
        assert re.fullmatch(r"[0-9a-f]{40}", src["commit"]) and src["repository"].startswith("https://github.com/")
        assert doc["license"] == src["license"] in REDISTRIBUTABLE
        assert src["commit"] in doc["provenance"] and src["repository"] in doc["provenance"]
    else:
        assert doc["license"] == "Apache-2.0"
    assert len(doc["description"]) > 20 and len(doc["provenance"]) > 100
    parse_pack(doc, path.name)  # the engine's own validation


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_entries_are_clean(path: Path, normalizer: Normalizer, traditional_chars: set[str]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for e in doc["entries"]:
        term = e["term"]
        if set(e) - ENTRY_KEYS:
            problems.append(f"{term}: unknown keys {set(e) - ENTRY_KEYS}")
        if e["category"] not in CATEGORIES or e["category"] == "pii":
            problems.append(f"{term}: category {e['category']}")
        if term != term.strip() or term != term.lower():
            problems.append(f"{term}: write terms trimmed and lower-case")
        if LEET_OR_MASK.search(term) or any("\uff01" <= c <= "\uff5e" for c in term):
            problems.append(f"{term}: disguised spelling (the normaliser handles leet, masks, full width)")
        if any(c in traditional_chars for c in term):
            problems.append(f"{term}: traditional characters (write simplified)")
        folded = normalizer.fold_text(term).strip(" ")
        cjk = [c for c in folded if _is_cjk(c)]
        if cjk and len(folded) < 2:
            problems.append(f"{term}: folds to a single character {folded!r}")
        if not cjk and len(folded) < 3 and e.get("match") != "exact":
            problems.append(f"{term}: short Latin terms must use match=exact")
        for ctx in e.get("allow", []):
            if folded not in normalizer.fold_text(ctx) and not _sounds_inside(normalizer, folded, ctx):
                problems.append(f"{term}: allow context {ctx!r} does not contain the term (or, for a Chinese "
                                "term, its sound), so it can never veto")
    assert not problems, "\n".join(problems)


def test_categories_covered(docs: dict[str, dict]) -> None:
    counts = {c: 0 for c in CATEGORIES if c != "pii"}
    langs = {c: set() for c in counts}
    for doc in docs.values():
        for e in doc["entries"]:
            counts[e["category"]] += 1
            langs[e["category"]].add("zh" if any(_is_cjk(ch) for ch in e["term"]) else "en")
    thin = {c: n for c, n in counts.items() if n < 30}
    assert not thin, f"categories with fewer than 30 terms: {thin}"
    assert all(v == {"zh", "en"} for v in langs.values()), langs


def test_no_duplicate_terms_across_packs(normalizer: Normalizer, docs: dict[str, dict]) -> None:
    seen: dict[str, str] = {}
    dups = []
    for name, doc in docs.items():
        for e in doc["entries"]:
            key = normalizer.fold_text(e["term"]).strip(" ")
            if key in seen:
                dups.append(f"{e['term']} in {name} and {seen[key]}")
            seen[key] = name
    assert not dups, dups


def test_no_politics_category(docs: dict[str, dict]) -> None:
    cats = {e["category"] for d in docs.values() for e in d["entries"]}
    assert not cats & {"politics", "political"}


def test_readme_counts_match(docs: dict[str, dict]) -> None:
    text = README.read_text(encoding="utf-8")
    for doc in docs.values():
        m = re.search(rf"^\|\s*`{re.escape(doc['pack'])}`\s*\|\s*(\d+)\s*\|", text, re.M)
        assert m, f"README.md has no row for pack {doc['pack']}"
        assert int(m.group(1)) == len(doc["entries"]), f"README count for {doc['pack']} is stale"


def test_bad_pack_is_refused() -> None:
    good = {"schema": 1, "pack": "x", "version": "1", "entries": [{"term": "色情", "category": "sexual"}]}
    parse_pack(good)
    for bad_entry in ({"term": "色情", "category": "politics"}, {"term": "色情", "category": "sexual", "severity": 4},
                      {"term": "", "category": "sexual"}, {"term": "x", "category": "sexual", "match": "fuzzy"}):
        with pytest.raises(LexiconError):
            parse_pack({**good, "entries": [bad_entry]})


def test_chaizi_table() -> None:
    doc = json.loads(CHAIZI.read_text(encoding="utf-8"))
    assert doc["provenance"] and doc["license"]
    table = doc["map"]
    assert len(table) >= 30
    for ch, parts in table.items():
        assert len(ch) == 1 and _is_cjk(ch), ch
        assert parts and all(isinstance(p, str) and len(p) >= 2 and ch not in p for p in parts), ch
    for must in ("奸", "妓", "嫖", "赌", "操"):
        assert must in table
