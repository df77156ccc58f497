"""Importers map public lists to kidsafe categories with their provenance; curation rejects ordinary words."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from filters.entry_table import EntryChain, EntryTable
from filters.lexicon import PACKS_DIR, Entry, load_pack
from filters.normalize import Normalizer
from filters.tools import import_dsojevic_profanity, import_ldnoobw, import_surge_profanity
from filters.tools.build_packs import (
    HELDOUT,
    REVIEW,
    SUMMARY,
    curate_with_homophones,
    held_out,
    is_imported,
    wants_homophones,
)
from filters.tools.curate import BenignText, Curator, reads_as_pinyin
from filters.tools.import_sensitive_word import map_tags
from filters.tools.keyword_rules import is_political
from filters.tools.sources import SOURCES_DIR, Candidate, Source, SourceError, load_sources
from filters.tools.term_clean import TermCleaner

IMPORTED = sorted(p for p in PACKS_DIR.glob("*.json") if is_imported(p.stem))


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return load_sources()


def test_sensitive_word_tags_map_to_categories() -> None:
    assert map_tags("冰毒出售", {"1", "4"}) == ("drugs", 2)
    assert map_tags("成人电影下载", {"2"}) == ("sexual", 2)
    assert map_tags("网上真钱赌博", {"3", "4"}) == ("gambling", 2)
    assert map_tags("出售气枪铅弹", {"4"}) == ("violence", 2)
    assert map_tags("2012高考答案出售", {"4"}) == ("fraud", 2)  # exam answers, not guns
    assert map_tags("公证处", {"4"}) is None  # crime, but which crime? left out
    assert map_tags("随便什么", {"0"}) is None and map_tags("出售气枪", {"0", "4"}) is None  # politics
    assert map_tags("2硝基甲苯", {"1"}) == ("drugs", 1)  # bare chemistry is mild
    assert map_tags("慢性毒药直销", {"1", "2", "4"}) == ("drugs", 2)


def test_surge_and_dsojevic_rows(sources: dict[str, Source]) -> None:
    surge, skipped = import_surge_profanity.read(sources["surge-profanity"])
    by_term = {c.term: c for c in surge}
    assert by_term["motherfucker"].category == "sexual" and by_term["motherfucker"].severity == 3
    assert by_term["bastardish"].category == "bullying" and by_term["bastardish"].severity == 1
    assert all(c.source == "surge-profanity" and c.origin.startswith("profanity_en.csv:") for c in surge)
    assert any("political" in why for _, why in skipped)
    ds, _ = import_dsojevic_profanity.read(sources["dsojevic-profanity"])
    spellings = {c.term: c for c in ds}
    assert spellings["2 girls 1 cup"].category == "sexual" and spellings["2 girls 1 cup"].severity == 3
    assert spellings["batty boy"].category == "bullying"


def test_ldnoobw_has_no_categories_so_keywords_place_terms(sources: dict[str, Source]) -> None:
    terms, skipped = import_ldnoobw.read(sources["ldnoobw"])
    placed = {c.term: c.category for c in terms}
    assert placed.get("三级片") == "sexual"
    assert skipped and all("unmapped" in why for _, why in skipped)


def test_sources_are_pinned_and_redistributable(sources: dict[str, Source], tmp_path: Path) -> None:
    for src in sources.values():
        assert len(src.commit) == 40 and (SOURCES_DIR / src.license_file).is_file()
        for rel in src.files:
            src.file(rel.split("/", 1)[1])  # sha256 matches the pin
    pinned = sources["ldnoobw"]
    tampered = dataclasses.replace(pinned, files={k: "0" * 64 for k in pinned.files})
    with pytest.raises(SourceError, match="changed since"):
        tampered.file("en")
    manifest = json.loads((SOURCES_DIR / "sources.json").read_text(encoding="utf-8"))
    manifest["sources"][0]["license"] = "CC-BY-NC-ND-4.0"  # ToxiCN's licence: may not be shipped
    bad = tmp_path / "sources.json"
    bad.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SourceError, match="licence"):
        load_sources(bad)


@pytest.mark.parametrize("path", IMPORTED, ids=lambda p: p.name)
def test_imported_packs_name_their_source(path: Path, sources: dict[str, Source]) -> None:
    pack = load_pack(path)
    source_id, category = pack.name.split(".")
    src = sources[source_id]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["source"] == {"repository": src.repository, "commit": src.commit, "path": src.path,
                             "license": src.license}
    assert {e.category for e in pack.entries} == {category}
    # homophone keys of imported terms stay off, except phrases of 3+ characters that passed curation
    assert all(wants_homophones(_candidate(e, source_id)) for e in pack.entries if e.homophones)
    assert not [e.term for e in pack.entries if is_political(e.term)]


def _candidate(e: Entry, source: str) -> Candidate:
    return Candidate(e.term, e.category, e.severity, source, "test", e.match, e.homophones)


def test_slur_phrases_keep_homophones_only_where_curation_passes_them(normalizer: Normalizer) -> None:
    def cand(term: str, source: str = "swsr") -> Candidate:
        return Candidate(term, "bullying", 2, source, "test")

    kept = [cand("台巴子"), cand("你不是东西"), cand("港灿仔"), cand("催情药品", "sensitive-word"), cand("巴子")]
    benign = BenignText(zh_words=["你不是冬西", "港灿仔"])  # a homophone of one phrase; the other phrase itself
    rejected = curate_with_homophones(Curator(normalizer), kept, benign)
    # a phrase of any source keeps homophones (翠情药品 is 催情药品) unless curation fails it with them on
    assert [c.homophones for c in kept] == [True, False, False, True, False]
    assert set(rejected) == {2, 4}  # 港灿仔 fires on ordinary text as written; 巴子 has two characters
    curated = Curator(normalizer).curate([Entry("台巴子", "bullying", 2, "default", True, (), "swsr.bullying")],
                                         BenignText())
    assert not curated
    # a homophone reading that is a word of the whole dictionary turns homophones off (洪毛子 stands in for
    # one here; a real one such as 红帽子 is already dropped at match time: 帽子 is a common word around the
    # changed character, filters/homophone_rules.ordinary_reading)
    kept = [cand("红毛子"), cand("台巴子")]
    assert not curate_with_homophones(Curator(normalizer), kept, BenignText(dictionary={"洪毛子": 8, "台巴": 3}))
    assert [c.homophones for c in kept] == [False, True]
    # so does a reading by sound that fires on one COLD non-offensive row (国科大毕业证 for 达毕业证)
    kept = [cand("达毕业证", "sensitive-word"), cand("催情药品", "sensitive-word")]
    safe = BenignText(cold_safe=["你从哪里看到这个项目既发国科大毕业证也发学位证的？"])
    assert not curate_with_homophones(Curator(normalizer), kept, safe)
    assert [c.homophones for c in kept] == [False, True]


def test_term_cleaning(normalizer: Normalizer) -> None:
    clean = TermCleaner(normalizer).clean
    assert clean("色情電影") == ("色情电影", "default")  # traditional -> simplified
    assert clean("  Ｐｏｒｎ  Site ") == ("porn site", "default")  # NFKC, case, spaces
    assert clean("f*ck").startswith("disguised") and clean("@ss").startswith("disguised")
    assert clean("色") == "a single character after folding"
    assert clean("xxx") == ("xxx", "exact")  # short English words match whole words only
    assert clean("1992年5月13日") == "a date" and clean("💋💋") == "no letters"


def test_curation_rejects_terms_that_flag_ordinary_text(normalizer: Normalizer) -> None:
    entries = [Entry(t, c, 2, "default", False, (), f"test.{c}") for t, c in (
        ("庄家", "gambling"), ("大波", "sexual"), ("赌球网", "gambling"), ("crow", "bullying"),
        ("wang", "sexual"), ("motherfucker", "sexual"), ("处男", "sexual"))]
    benign = BenignText(
        zh_words=["庄家", "轩然大波", "大熊猫"], en_words=["crowd", "motherfucker"],
        sentences={"corpus": ["What is The Crow and the Pitcher about?"]},
        cold_safe=["上次看到这个，我还是个处男", "你是处男吗"], cold_offensive=[],
        pinyin_syllables=frozenset({"wang", "da", "bo"}),
    )
    rejected = Curator(normalizer).curate(entries, benign)
    reasons = {entries[i].term: r.reason for i, r in rejected.items()}
    assert set(reasons) == {"庄家", "大波", "crow", "wang", "处男"}
    # the same entries as compact tables (a pack's `entries`: a new Entry object at every access)
    compact = Curator(normalizer).curate(EntryChain(EntryTable([e], e.pack) for e in entries), benign)
    assert {i: (r.reason, r.evidence) for i, r in compact.items()} == {
        i: (r.reason, r.evidence) for i, r in rejected.items()}
    assert "common word" in reasons["庄家"] and "轩然大波" in rejected[1].evidence
    assert "COLD" in reasons["处男"] and "pinyin" in reasons["wang"]
    assert reads_as_pinyin("dong", frozenset({"dong"})) and not reads_as_pinyin("fuck", frozenset({"fu"}))


def test_curation_does_not_read_the_sound_alike_view(normalizer: Normalizer) -> None:
    """The homophone_reopen table is made from the packs curation writes: were curation to read its view, a
    table change would drop a term at the next `make packs` and the term's absence would bring it back the build
    after. A term whose only hit on benign text is a sound_alike reading therefore passes; the same text
    written as the term itself still rejects it."""
    from filters import homophone_reopen

    entry = Entry("仙女婊", "bullying", 2, "default", False, (), "test.bullying")
    cloaked = BenignText(sentences={"corpus": ["你这个鲜女表真恶心"]})  # 鲜女表 sounds like 仙女婊
    with homophone_reopen.trial({"仙女婊": frozenset()}):
        from filters.matcher import Matcher
        from filters.segment import Segmenter

        views = {h.view for h in Matcher([entry], normalizer, Segmenter()).find(cloaked.sentences["corpus"][0])}
        assert views == {homophone_reopen.VIEW}  # the matcher does hear it in that view
        assert Curator(normalizer).curate([entry], cloaked) == {}
        written = BenignText(sentences={"corpus": ["你这个仙女婊真恶心"]})
        assert set(Curator(normalizer).curate([entry], written)) == {0}


def test_build_outputs_agree_with_the_packs() -> None:
    summary = json.loads(SUMMARY.read_text(encoding="utf-8"))
    counts = {p.stem: len(load_pack(p).entries) for p in IMPORTED}
    assert summary["packs"] == counts and sum(counts.values()) >= 30_000
    kept = {e.term for p in IMPORTED for e in load_pack(p).entries}
    review = [json.loads(line) for line in REVIEW.read_text(encoding="utf-8").splitlines()]
    assert review and all(r["reason"] and r["term"] not in kept for r in review)
    assert all(r["evidence"] for r in review if not r["reason"].startswith("rejected by eye"))
    heldout = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    assert heldout and all(held_out(r["text"]) and r["text"] not in kept for r in heldout)


def test_build_packs_refuses_to_run_without_wordfreq(monkeypatch, capsys) -> None:  # noqa: ANN001
    """Without wordfreq the packs would silently differ (the cuss importer leaves ~500 terms out)."""
    import importlib.util

    from filters.tools import build_packs

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "wordfreq" else real(name, *a))
    assert build_packs.main(["--packs", "/nonexistent-never-written"]) == 2
    assert "make packs" in capsys.readouterr().err
