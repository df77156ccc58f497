"""The normaliser: each disguise folds to the plain form, and offsets map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filters.normalize import Normalizer


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＳＥＸ视频", " sex视频 "),  # full-width + case
        ("Hello, WORLD!!", " hello world "),
        ("café naïve", " cafe naive "),  # diacritics
        ("dǔ博", " du博 "),  # pinyin tone marks
        ("pоrn", " porn "),  # Cyrillic о
        ("ρorn", " porn "),  # Greek rho
        ("黃色小說", " 黄色小说 "),  # traditional -> simplified
        ("色 情 漫 画", " 色情漫画 "),  # spaces between characters
        ("色💋情", " 色情 "),  # emoji between characters
        ("色\u200d情", " 色情 "),  # zero-width joiner
        ("色\u200b情", " 色情 "),  # zero-width space
        ("自.残-方_法", " 自残方法 "),  # symbols
        ("色色色情情情", " 色情 "),  # repeated characters
        ("妈妈", " 妈妈 "),  # doubled words stay doubled
        ("n u d e pics", " nude pics "),  # spaced-out letters
        ("𝐬𝐞𝐱", " sex "),  # mathematical bold letters (NFKC)
        ("①②", " 12 "),
        ("", "  "),
    ],
)
def test_fold(normalizer: Normalizer, text: str, folded: str) -> None:
    assert normalizer.fold_text(text) == folded


@pytest.mark.parametrize("text", ["色💋情直播", "ＳＥＸ 视频", "n u d e pics", "黃色小說!!", "a\u0301b", "x\x00y\x1fz"])
def test_exact_view_matches_fast_view(normalizer: Normalizer, text: str) -> None:
    view = normalizer.fold_view(text)
    assert view.text == normalizer.fold_text(text)
    assert len(view.offsets) == len(view.text)


def test_offsets_point_at_original_characters(normalizer: Normalizer) -> None:
    text = "看色💋情直播"
    view = normalizer.fold_view(text)
    i = view.text.index("色情")
    a, b = view.span(i, i + 2)
    assert text[a:b] == "色💋情"


def test_pinyin_runs_next_to_chinese_become_syllables(normalizer: Normalizer) -> None:
    fold = normalizer.fold_text("约pao吗")
    source, offsets = normalizer.syllable_source(fold)
    assert source != fold and offsets is not None
    assert normalizer.syllable_source(normalizer.fold_text("iPhone手机"))[1] is None  # not pinyin


_ALPHABET = st.sampled_from(list("abcxyz019 .,*!@色情大麻路口交通ＳＥＸ黃說💋\u200d\u3000-_ü"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_fast_and_exact_modes_agree(normalizer: Normalizer, text: str) -> None:
    view = normalizer.fold_view(text)
    assert view.text == normalizer.fold_text(text)
    for a, b in view.offsets:
        assert 0 <= a <= b <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_folds_without_error(normalizer: Normalizer, text: str) -> None:
    view = normalizer.fold_view(text)
    assert len(view.offsets) == len(view.text)
    assert view.text.startswith(" ") and view.text.endswith(" ")
