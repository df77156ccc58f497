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
    assert rows
    for row in rows:
        doc = json.loads((scan.PACKS_DIR / f"{row['pack']}.json").read_text(encoding="utf-8"))
        allow = {a for e in doc["entries"] if e["term"] == row["term"] for a in e.get("allow", [])}
        assert row["written"] in allow | set(overrides.get(row["term"], [])), row


@pytest.mark.parametrize("text", ["他老在王府井散步", "实际利率见表3", "这个键接触不好", "隔音效果差，门薄墙薄"])
def test_ordinary_phrases_heard_as_a_term_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", ["放学后我堵你", "你这个贱人", "他想强暴她", "你个捞仔"])
def test_the_terms_themselves_still_block(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
