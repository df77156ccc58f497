"""Letter-like symbols used to style obscenity fold to plain letters (filters/data/tables/homoglyphs.json):
small capitals, the negative circled / negative squared capital letters and the regional indicator
letters (🇫🇺🇨🇰) have no Unicode decomposition to a letter, so NFKC alone leaves them alone and the word
lists never saw the word."""

from __future__ import annotations

import pytest

from filters.normalize import Normalizer

STYLED = ["🅕🅤🅒🅚", "🅵🆄🅲🅺", "ꜰᴜᴄᴋ", "ғυcĸ", "ƒuck", "🇫🇺🇨🇰"]


@pytest.mark.parametrize("text", STYLED)
def test_styled_letters_fold_to_the_word(normalizer: Normalizer, text: str) -> None:
    assert normalizer.fold_text(text).strip() == "fuck"


@pytest.mark.parametrize("text", [*STYLED, "🅿🅾🆁🅽", "🅟🅞🅡🅝", "𝐟𝐮𝐜𝐤", "ⓕⓤⓒⓚ"])
def test_styled_obscenity_is_blocked(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(f"{text} you")
    assert v.action == "block", [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", ["🅰️ blood type", "🅿️ parking here", "ʀᴇᴀᴅ ᴛʜɪs ʙᴏᴏᴋ", "中国加油🇨🇳", "🇺🇸 🇬🇧 🇯🇵 flags"])
def test_styled_ordinary_text_passes(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "allow"
