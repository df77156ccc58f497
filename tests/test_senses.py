"""Ordinary senses (filters/senses.py): the Cock in a fable is a rooster; the insult still matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.senses import Senses

FABLE_LINES = [
    "The Cock flew up to a branch of the tree while the hens slept below.",
    "A COCK, scratching in the farmyard for his hens, found a shiny stone.",
    "A miller and his son were driving their Ass to the fair to sell him.",
    "The old man untied the faggot and gave each of his sons a stick to break.",
    "The bitch lay in the kennel with her whelps all around her.",
    "Pussy put out her paw very slowly to catch the mouse.",
    "One morning the wise old Cock looked down and saw the Fox waiting under the tree.",
    "On the island we watched a blue-footed booby feed her chick by the nest.",
    "In the old story Balaam's ass could talk like a person.",
    "After school I weed the flower beds and pull out the dandelions.",
]

INSULTS = [
    "you stupid bitch",
    "suck my cock",
    "shut up faggot",
    "what a dumb ass you are",
    "Hot Teen Takes The Cock",
    "I want the Cock now",
    "you are a bitch and a dog",
    "show me your boobies",
    "smoke weed every day",
    "let's get high on weed in the garden",
]


@pytest.mark.parametrize("text", FABLE_LINES)
def test_a_fable_word_in_its_ordinary_sense_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", INSULTS)
def test_the_insult_or_obscenity_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


def test_a_malformed_senses_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "senses.json"
    bad.write_text('{"senses": {}}', encoding="utf-8")
    with pytest.raises(KeyError):
        Senses.load(bad)


@pytest.mark.parametrize("text", [
    "a flock of tits came to the bird feeder",
    "Dick Van Dyke sang in the film",
    "The Dutch boy put his finger in the dyke to stop the flood",
])
def test_birds_and_embankments_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", ["big tits", "show me your tits", "she is a dyke", "you stupid dyke"])
def test_the_obscene_sense_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


# 'negro' (session 9): a slur in today's English, the name used in civil-rights era history and in names
# (the Negro Leagues, spirituals, the Rio Negro). The names and the capitalised historical usage pass.
@pytest.mark.parametrize("text", [
    "My grandfather collected cards of the Negro League baseball stars",
    "Our choir sang two Negro spirituals at the school concert last night",
    "The boat went up the Rio Negro deep into the rain forest",
    "The history book says that a Negro newspaper in Chicago reported on the march every week",
])
def test_the_historical_name_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", [
    "more negro crime on the news tonight",
    "the negroes are ruining this town",
    "get that negro out of here",
])
def test_the_slur_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
