"""Curation against classical poems (filters/data/sources/benign/classical_poetry.txt, built by
filters/tools/build_poetry_benign.py from chinese-poetry/chinese-poetry, MIT).

- the curation text never shares an 8-character run with the classical_canon evaluation set, so that set
  stays independent of what curation rejected;
- an imported term that fires on a poem (浸淫, "to steep", in 浸淫不制偶成疾) is rejected with the poem as
  evidence, while a term no poem holds passes;
- the classical cross-word contexts of core terms (安禅制毒龙, 睡足交枝, 谗口交加, 愁杀人) are allowed, and the
  terms themselves still block.
"""

from __future__ import annotations

import json

import pytest

from filters.lexicon import Entry
from filters.tools import build_poetry_benign as poetry
from filters.tools.benign_text import classical_poetry
from filters.tools.curate import BenignText, Curator


@pytest.fixture(scope="module")
def poems() -> list[str]:
    return classical_poetry()


def test_curation_poems_do_not_overlap_the_eval_set(poems: list[str]) -> None:
    assert len(poems) >= 10_000
    held: set[str] = set()
    for line in poetry.EVAL.read_text(encoding="utf-8").splitlines():
        held |= poetry._shingles(json.loads(line)["text"])
    assert held
    assert not [p for p in poems if poetry._shingles(p) & held]


def test_a_term_that_fires_on_a_poem_is_rejected(normalizer, segmenter, poems: list[str]) -> None:
    entries = [Entry("浸淫", "sexual", 2, "default", False, (), "t.sexual"),
               Entry("约炮群", "sexual", 2, "default", True, (), "t.sexual")]
    found = Curator(normalizer, segmenter).curate(entries, BenignText(sentences={"classical poems": poems}))
    assert set(found) == {0}
    assert found[0].reason == "fires on benign text (classical poems)"
    assert any("浸淫" in poetry_line for poetry_line in found[0].evidence)


@pytest.mark.parametrize("text", ["薄暮空潭曲，安禪製毒龍。", "東風睡足交枝，正夢花、瑤釵燕股。",
                                  "讒口交加，市中可信有虎", "雨雪連陰惱殺人，梅花空度玉溪春", "龍樓鳳闕"])
def test_classical_contexts_of_core_terms_are_allowed(shipped_filter, text: str) -> None:
    assert not any(r.kind == "lexicon" for r in shipped_filter.check(text).reasons), text


@pytest.mark.parametrize("text", ["教你怎么制毒", "足交视频", "我要杀人", "龙凤楼凤服务"])
def test_the_core_terms_still_block(shipped_filter, text: str) -> None:
    assert shipped_filter.check(text).action == "block", text
