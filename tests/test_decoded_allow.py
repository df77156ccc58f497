"""An allow-context vetoes a match of the plain spelling only (filters/matcher_decoded.py): "the ass
carried the load" is a donkey, but nobody writes a donkey as a$$, so "such an a$$" is the insult. A
masked word (a**) keeps the veto: its other readings (all, add) are ordinary."""

from __future__ import annotations

import pytest

from filters.lexicon import Entry
from filters.matcher import Matcher
from filters.normalize import Normalizer
from filters.segment import Segmenter

DONKEY = ("an ass", "the ass", "balaam's ass", "wild ass")


@pytest.fixture(scope="module")
def ass_matcher(normalizer: Normalizer, segmenter: Segmenter) -> Matcher:
    return Matcher([Entry("ass", "bullying", 1, "exact", True, DONKEY, "t")], normalizer, segmenter)


@pytest.mark.parametrize("text", ["such an a$$", "the a$$", "what an @ss", "you a$$"])
def test_a_leet_match_is_not_vetoed_by_a_plain_context(ass_matcher: Matcher, text: str) -> None:
    assert [(h.entry.term, h.view) for h in ass_matcher.find(text)] == [("ass", "leet")]


@pytest.mark.parametrize("text", ["the ass carried the load", "Balaam's ass spoke", "such an ass", "a wild ass"])
def test_the_plain_spelling_keeps_its_veto(ass_matcher: Matcher, text: str) -> None:
    assert ass_matcher.find(text) == []


@pytest.mark.parametrize("text", ["such an a$$", "the a$$", "you are such an a$$", "what an @ss"])
def test_shipped_packs_block_leet_ass_in_donkey_contexts(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", ["the ass carried the load", "Balaam's ass", "the wild ass of Asia",
                                  "such an a**"])
def test_shipped_packs_keep_donkeys_and_masks_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [r.rule for r in v.reasons]


def test_a_masked_or_stretched_word_keeps_its_veto_beside_a_leet_one(normalizer: Normalizer,
                                                                       segmenter: Segmenter) -> None:
    m = Matcher([Entry("bastard", "bullying", 2, "word", True, ("bastard sword",), "t"),
                 Entry("ass", "bullying", 1, "exact", True, DONKEY, "t")], normalizer, segmenter)
    for text in ["a b*stard sword, you a$$", "the baaastard sword and the a$$"]:
        assert [(h.entry.term, h.view) for h in m.find(text)] == [("ass", "leet")], text
