"""Session 18, English (issue 7): profanity spellings, kind words about self-harm, hate without a slur.

Own phrasings only, written from the kinds the issue names (profanity test suites of other filters: fk, a$$,
Unicode-styled letters) and from HateCheck's published functionality list (Röttger et al. 2021: negated hateful
statements, counter-speech quoting or referring to hate, threats, calls to harm); no row of any data set.
"""

from __future__ import annotations

import pytest

from filters.engine import TextFilter
from models import MODEL_PATH

# spellings a child's chat or a profanity test suite uses (issue 7): each must be blocked by the word lists alone
PROFANITY = [
    "𝒇𝒖𝒄𝒌", "🅵🆄🅲🅺", "f.u.c.k", "phuck", "sh1t", "b!tch", "fvck", "fk off", "such an a$$", "𝓯𝓾𝓬𝓴", "ⓕⓤⓒⓚ",
    "kiss my azz", "you dumbazz", "shut up azz", "a55hole", "f-u-c-k you",
]
# telling someone not to hurt themselves is care, not bullying (pack allow-contexts, urge_to_die_en's unless)
KIND_ABOUT_SELF_HARM = [
    "Don't ever kill yourself, you matter to us.",
    "Please don't kill yourself, talk to someone tonight.",
    "You should never kill yourself over a bad test mark.",
]
STILL_BULLYING = [
    "Why don't you kill yourself",
    "go kill yourself loser",
    "kill yourself, nobody wants you here",
]
ORDINARY_WORDS = ["I love jazz music", "The razzle dazzle show was fun", "pizza with extra mozzarella"]


@pytest.fixture(scope="module")
def with_model() -> TextFilter:
    return TextFilter.load(model_path=MODEL_PATH)


@pytest.mark.parametrize("text", PROFANITY + STILL_BULLYING)
def test_profanity_spellings_and_urges_are_blocked_by_the_lists(shipped_filter: TextFilter, text: str) -> None:
    v = shipped_filter.check(text)
    assert v.action == "block" and "bullying" in v.categories, [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", KIND_ABOUT_SELF_HARM + ORDINARY_WORDS)
def test_kind_words_and_ordinary_words_pass(with_model: TextFilter, text: str) -> None:
    v = with_model.check(text)
    assert v.action == "allow", [(r.rule, r.score) for r in v.reasons]
