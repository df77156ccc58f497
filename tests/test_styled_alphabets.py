"""Every styled Latin alphabet Unicode defines folds to plain letters (filters/tables.py's fold table), read from
Python's unicodedata rather than a hand list: mathematical bold, italic, script, fraktur, double-struck,
sans-serif and monospace letters, circled, parenthesised, squared and negative circled / squared letters,
regional indicator symbols and full-width letters. An obscenity written in any of them is the word; ordinary
words written in them stay ordinary. (tests/test_styled_letters.py holds the hand-picked cases without a
decomposition: small capitals and look-alikes.)"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pytest

from filters.normalize import Normalizer

_LETTER = re.compile(r"^(?P<style>.*\b(?:LATIN|MATHEMATICAL|REGIONAL INDICATOR SYMBOL)\b.*?) (?:SMALL |CAPITAL )?"
                     r"(?:LETTER )?(?P<letter>[A-Z])$")
# the Unicode blocks whose letters are styled Latin: Mathematical Alphanumeric Symbols, Enclosed Alphanumerics
# and their supplement (regional indicators included), Halfwidth and Fullwidth Forms
_BLOCKS = ((0x1D400, 0x1D800), (0x2460, 0x2500), (0x1F100, 0x1F200), (0xFF00, 0xFF60))


# The mathematical alphabets have holes where the letter was encoded earlier in Letterlike Symbols (U+2100-214F:
# SCRIPT CAPITAL B, BLACK-LETTER CAPITAL C, DOUBLE-STRUCK CAPITAL C, PLANCK CONSTANT for italic h); a hole is
# filled with the Letterlike character whose NFKC is that letter and whose name has the style's word
_HOLE_WORDS = {"SCRIPT": "SCRIPT", "FRAKTUR": "BLACK-LETTER", "DOUBLE-STRUCK": "DOUBLE-STRUCK", "ITALIC": "PLANCK"}


def _alphabets() -> dict[str, dict[str, str]]:
    """Style name -> {plain letter: styled character}, for every style with all 26 letters."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for lo, hi in _BLOCKS:
        for cp in range(lo, hi):
            m = _LETTER.match(unicodedata.name(chr(cp), ""))
            if m and "WITH" not in m.group("style"):
                case = "CAPITAL" if "CAPITAL" in unicodedata.name(chr(cp)) else "SMALL"
                out[f"{m.group('style')} {case}"][m.group("letter").lower()] = chr(cp)
    letterlike = [chr(cp) for cp in range(0x2100, 0x2150)]
    for style, letters in out.items():
        word = next((w for k, w in _HOLE_WORDS.items() if style.startswith("MATHEMATICAL") and k in style
                     and "BOLD" not in style and "SANS" not in style), None)
        if word is None or len(letters) == 26:
            continue
        for c in set("abcdefghijklmnopqrstuvwxyz") - set(letters):
            want = c.upper() if style.endswith("CAPITAL") else c
            fill = [ch for ch in letterlike
                    if unicodedata.normalize("NFKC", ch) == want and word in unicodedata.name(ch)]
            if fill:
                letters[c] = fill[0]
    return {style: letters for style, letters in out.items() if len(letters) == 26}


ALPHABETS = _alphabets()


def test_the_table_is_read_from_unicodedata() -> None:
    # bold, italic, bold italic, script, bold script, fraktur, double-struck, bold fraktur, sans-serif (4),
    # monospace (each in two cases), circled, parenthesised, squared, negative circled / squared, regional
    # indicators, full width: far more than any hand list
    assert len(ALPHABETS) >= 36, sorted(ALPHABETS)


@pytest.mark.parametrize("style", sorted(ALPHABETS))
def test_every_styled_letter_folds_to_its_plain_letter(normalizer: Normalizer, style: str) -> None:
    wrong = {c: normalizer.fold_text(s).strip() for c, s in ALPHABETS[style].items()
             if normalizer.fold_text(s).strip() != c}
    assert not wrong, wrong


@pytest.mark.parametrize("style", sorted(ALPHABETS))
def test_obscenity_in_every_style_blocks_and_ordinary_words_pass(shipped_filter, style: str) -> None:  # noqa: ANN001
    def styled(text: str) -> str:
        return "".join(ALPHABETS[style].get(c, c) for c in text)

    assert shipped_filter.check(styled("fuck you")).action == "block"
    assert shipped_filter.check(styled("you are a bitch")).action == "block"
    assert shipped_filter.check(styled("good morning class")).action == "allow"
