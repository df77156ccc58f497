"""Keyword rules and importers added for the session-3 sources; the English-inflection curation rule.

Each test names an upstream row shape and the kidsafe category it must land in (or why it stays out),
so a loosened or dropped rule turns red here before it floods or empties a pack.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.engine import TextFilter
from filters.lexicon import Entry
from filters.normalize import Normalizer
from filters.tools import import_cuss, import_sensitive_lexicon, import_sensitive_word_dict, import_swsr
from filters.tools.curate import BenignText, Curator
from filters.tools.import_sensitive_word import map_tags
from filters.tools.keyword_rules import categorise_crime_only, categorise_strict, is_political
from filters.tools.sources import Source, load_sources


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return load_sources()


def test_crime_only_terms_are_placed_by_trade_verb_or_meaning() -> None:
    assert map_tags("出售虎头双管", {"4"}) == ("fraud", 2)  # an offer to sell: illicit trade advert
    assert map_tags("供应羰基镍qq", {"4"}) == ("violence", 2)  # a chemical on offer: poison/hazard
    assert map_tags("拐卖儿童", {"4"}) == ("violence", 3)
    assert map_tags("免费刷q币", {"4"}) == ("fraud", 2)  # the game-currency scam aimed at children
    assert map_tags("在家也能赚钱", {"4"}) == ("fraud", 2)
    assert map_tags("买春网站", {"4"}) == ("sexual", 2)
    assert categorise_crime_only("销售热线") is None  # the verb is all there is
    assert categorise_crime_only("卖车") is None and categorise_crime_only("公证处") is None
    assert map_tags("出售气枪", {"0", "4"}) is None  # politics tag wins


def test_strict_rule_takes_only_unambiguous_harm_from_mixed_lists() -> None:
    assert categorise_strict("乱伦小说") == ("sexual", 2)
    assert categorise_strict("百家乐在线平台") == ("gambling", 2)
    assert categorise_strict("订购迷魂烟") == ("drugs", 2)
    assert categorise_strict("军用枪支出售qq") == ("violence", 2)
    assert categorise_strict("偷拍幼女") == ("sexual", 3)
    for ordinary in ("言论自由", "食堂涨价", "航空母舰", "纳米比亚", "兼职"):
        assert categorise_strict(ordinary) is None, ordinary
    assert categorise_strict("www.cpw833.cn") is None and categorise_strict("www.se色情8.com") is None  # URLs stay out
    assert is_political("屌近平") and is_political("大法弟子")  # vulgar but political: left out


def test_mixed_files_yield_only_placed_terms(sources: dict[str, Source]) -> None:
    terms, skipped = import_sensitive_lexicon.read(sources["sensitive-lexicon"])
    mixed = [c for c in terms if not c.origin.startswith(("色情", "涉枪"))]
    assert len(mixed) > 500 and all(categorise_strict(c.term.lower()) == (c.category, c.severity) for c in mixed)
    assert not skipped  # the committed .harm.txt copies hold only lines the strict rule places
    dict_terms, _ = import_sensitive_word_dict.read(sources["sensitive-word-dict"])
    assert len(dict_terms) > 800 and not [c.term for c in dict_terms if is_political(c.term)]


def test_swsr_sexual_and_slur_mapping(sources: dict[str, Source]) -> None:
    assert import_swsr.categorise_swsr("阴唇") == ("sexual", 2)
    assert import_swsr.categorise_swsr("假阳具") == ("sexual", 2)  # SexHateLex's own sexual spellings
    assert import_swsr.categorise_swsr("你个懒趴") == ("bullying", 2)  # aimed at a person: an insult
    assert import_swsr.categorise_swsr("韩棒子") == ("bullying", 2)  # regional/ethnic slur
    assert import_swsr.categorise_swsr("干你娘") == ("bullying", 2)  # profanity aimed at a person
    assert import_swsr.categorise_swsr("缺心眼儿") == ("bullying", 1)  # mild: younger bands only
    terms, _ = import_swsr.read(sources["swsr"])
    assert len(terms) == 3016 and all(c.origin.startswith("SexHateLex.txt:") for c in terms)


def test_cuss_takes_sure_terms_and_leaves_ordinary_words_out(sources: dict[str, Source]) -> None:
    common = frozenset({"dumb", "welfare"})
    assert import_cuss.map_row("zipperhead", common) == ("bullying", 1)
    assert import_cuss.map_row("cocksucker", common) == ("sexual", 2)
    assert import_cuss.map_row("dumb", common) == "ordinary English word"
    assert import_cuss.map_row("zipperhead", frozenset({"*"})) == "ordinary English word"  # no wordfreq
    terms, skipped = import_cuss.read(sources["cuss"])
    assert terms and all(c.source == "cuss" for c in terms)
    assert any(why == "sureness 0" for _, why in skipped) and any(why == "sureness 1" for _, why in skipped)


def test_curation_rejects_a_term_whose_inflection_is_another_word(normalizer: Normalizer) -> None:
    entries = [Entry(t, "bullying", 1, "default", False, (), "test.bullying") for t in ("squa", "teste", "slut")]
    benign = BenignText(en_words=["squad", "tested", "slut", "sluts"])
    rejected = Curator(normalizer).curate(entries, benign)
    assert {entries[i].term for i in rejected} == {"squa", "teste"}  # slut+s is the term itself
    assert "squad" in rejected[0].evidence


@pytest.fixture(scope="module")
def packs_only() -> TextFilter:
    return TextFilter.load()


@pytest.mark.parametrize("text", ["XXX: provide complete list of token types.", "XXX Should add all their methods.",
                                  "Replace %xx escapes by their single-character equivalent.",
                                  "the suicide squad cast", "Lock objects can be tested for locking state"])
def test_developer_notes_and_inflections_are_not_blocked(packs_only: TextFilter, text: str) -> None:
    assert packs_only.check(text).action == "allow", [r.rule for r in packs_only.check(text).reasons]


@pytest.mark.parametrize("text", ["free xxx videos", "watch xxx movies tonight", "虎头双管出售", "韩棒子滚出去"])
def test_porn_context_and_new_terms_still_block(packs_only: TextFilter, text: str) -> None:
    assert packs_only.check(text).action == "block"


def test_every_new_source_file_is_pinned(sources: dict[str, Source]) -> None:
    for sid in ("swsr", "cuss", "sensitive-word-dict"):
        src = sources[sid]
        assert src.license in {"MIT", "Apache-2.0"} and len(src.commit) == 40
        for rel in src.files:
            assert Path(src.file(rel.split("/", 1)[1])).is_file()


def test_public_sets_have_provenance_and_valid_rows() -> None:
    from filters.evaluate import load_rows
    from filters.tools.build_classical_eval import SET as CLASSICAL
    from filters.tools.build_public_eval import BUILDERS, EVAL_LICENCES, MANIFEST, PUBLIC_DIR
    from filters.tools.sources import REDISTRIBUTABLE

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))["sets"]
    assert set(manifest) == set(BUILDERS) | {CLASSICAL}
    for name, pin in manifest.items():
        assert REDISTRIBUTABLE <= EVAL_LICENCES
        assert pin["license"] in EVAL_LICENCES and len(pin["commit"]) == 40 and pin["path"] and pin["repository"]
        rows = load_rows(PUBLIC_DIR / f"{name}.jsonl")
        if name == CLASSICAL:  # benign only; a poem line redacted as an address is a false positive
            assert len(rows) >= 500 and {r["expect"] for r in rows} == {"allow"}
            assert not any(r.get("redact_ok") for r in rows) and all(len(h) == 64 for h in pin["files"].values())
            continue
        assert len(rows) >= 450 and {r["expect"] for r in rows} == {"block", "allow"}  # Stormfront: 473
        assert all(r.get("redact_ok") for r in rows if r["expect"] == "allow")


def test_public_set_builder_checks_the_pin_and_samples_stably(tmp_path: Path) -> None:
    from filters.tools.build_public_eval import EvalSourceError, check_pin, sample, sms_rows

    raw = "Label\tSMS\n" + "".join(f"spam\tWIN a prize {i} now\nham\tsee you at {i}\n" for i in range(400))
    path = tmp_path / "SMSSpamCollection"
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(EvalSourceError, match="pinned"):
        check_pin(path, "0" * 64)
    rows = sms_rows(raw.encode("utf-8"))
    assert len(rows) == 600 and rows == sms_rows(raw.encode("utf-8"))  # same input, same sample
    assert sum(r["expect"] == "block" for r in rows) == 300
    assert sample([{"text": "x" * 501}, {"text": "a"}, {"text": "a"}], 5) == [{"text": "a"}]
