"""Sound-alike curation (filters/tools/soundalike_scan.py): ordinary phrases heard as a term are vetoed."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from filters.tools import soundalike_scan as scan


def test_selection_rules() -> None:
    k = lambda written: ("bullying", "堵你", written)  # noqa: E731
    clean = Counter({k("读你"): 1, k("毒你"): 1, k("du你"): 3})
    noisy = Counter({k("独你"): 1, k("渡你"): 2, k("赌你"): 4})
    harm = Counter({k("毒你"): 1, k("赌你"): 1})
    found = scan.select(clean, noisy, harm, terms={"堵你", "渡你"})
    assert found == {k("读你"): 1, k("赌你"): 4}
    # 毒你: seen as harm as often as in ordinary text; 独你: once in noisy text only; 渡你: itself a term;
    # du你: typed pinyin


def test_every_proposal_is_an_allow_context_in_the_shipped_packs() -> None:
    rows = json.loads(scan.PROPOSALS.read_text(encoding="utf-8"))["proposals"]
    overrides = json.loads(scan.OVERRIDES.read_text(encoding="utf-8"))["allow"]
    wide = scan.widened()
    assert rows
    for row in rows:
        doc = json.loads((scan.PACKS_DIR / f"{row['pack']}.json").read_text(encoding="utf-8"))
        allow = {a for e in doc["entries"] if e["term"] == row["term"] for a in e.get("allow", [])}
        allow |= set(overrides.get(row["term"], []))
        assert set(scan.allow_forms(row["written"], wide)) <= allow, row
        if row["written"] in wide:  # a known disguise: never allowed as written alone
            assert row["written"] not in allow, row


def test_a_known_disguise_is_allowed_only_in_its_wider_phrases() -> None:
    wide = {"黑去": ["天黑去", "摸黑去"]}
    assert scan.allow_forms("黑去", wide) == ["天黑去", "摸黑去"]
    assert scan.allow_forms("读你", wide) == ["读你"]


@pytest.mark.parametrize("text", ["这些黑去真恶心", "黑去滚出中国", "你们这群黑去"])
def test_the_slur_written_as_its_sound_alike_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    """黑去 is how people write 黑蛆 to get past filters: the ordinary phrases that hold it are allowed, not it."""
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", ["天黑去公园散步", "停电了，我们摸黑去厕所", "别黑来黑去的，有什么意思"])
def test_ordinary_phrases_holding_the_sound_alike_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "allow", shipped_filter.check(text).reasons


@pytest.mark.parametrize("text", ["他老在王府井散步", "实际利率见表3", "这个键接触不好", "隔音效果差，门薄墙薄"])
def test_ordinary_phrases_heard_as_a_term_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", ["放学后我堵你", "你这个贱人", "他想强暴她", "你个捞仔"])
def test_the_terms_themselves_still_block(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
