"""English obfuscated profanity the matcher missed at the end of session 6 (its rows, harmful and benign, are
in tests/test_real_harm_misses.py):

- stand-in letters (filters/disguise.py): v for u between consonants (slvt, cvnt), x for a letter between
  consonants or before k (fxck, fuxk, prxck);
- a masked token with several readings is read each way until one matches (sl*t: slit, slot, slut; and
  "sl*t machines for real money" is still the gambling phrase);
- ordinary words that are insults only when disguised (pr1ck, h0e, t1ts: match "disguised" in the core
  packs): the plain word (prick a finger, a garden hoe) is left alone.
Each harmful row was allowed before its fix, and each plain word blocked with the disguised-only filter
removed (seen red).
"""

from __future__ import annotations

import pytest

from filters.lexicon import LexiconError, parse_pack


def test_disguised_only_term_needs_a_disguise(shipped_filter) -> None:
    """The same word written plainly has no word-list reason; disguised it names the core term."""
    plain = shipped_filter.check("what a prick")
    assert not any(r.rule == "lexicon:bullying:prick" for r in plain.reasons)
    leet = shipped_filter.check("what a pr1ck")
    assert [r.view for r in leet.reasons if r.rule == "lexicon:bullying:prick"] == ["leet"]


def test_a_masked_token_is_read_each_way(shipped_filter) -> None:
    """sl*t reads slit first (the word most terms use), then slot, then slut: each text gets the reading that
    matches it, with that reading's category."""
    assert shipped_filter.check("you sl*t").categories == ["sexual"]
    assert shipped_filter.check("sl*t machines for real money").categories == ["gambling"]


def test_disguised_mode_is_for_english_terms_only() -> None:
    doc = {"schema": 1, "pack": "t", "version": "1",
           "entries": [{"term": "色情", "category": "sexual", "match": "disguised"}]}
    with pytest.raises(LexiconError, match="English terms only"):
        parse_pack(doc)


def test_stand_in_hint_matches_what_the_case_insensitive_shape_matched() -> None:
    """disguise._STAND_IN_HINT spells both cases out (faster than re.IGNORECASE): each of its character
    classes matches exactly the code points the case-insensitive class matched (the long s, the Kelvin sign)."""
    import re

    from filters import disguise

    c, both = disguise._C, disguise._C_ANY_CASE
    candidates = [chr(cp) for cp in range(0x110000)
                  if any(f(chr(cp)).isascii() for f in (str.lower, str.upper, str.casefold))]
    for loose, exact in ((f"[{c}]", f"[{both}]"), ("[vx]", "[vxVX]"), ("x", "[xX]"), ("k", "[kK\u212a]")):
        folded = {ch for ch in candidates if re.fullmatch(loose, ch, re.I)}
        assert folded == {ch for ch in candidates if re.fullmatch(exact, ch)}, loose
    assert disguise.token_hint("SLVT") and disguise.token_hint("\u017flvt") and disguise.token_hint("FXCK")
    assert not disguise.token_hint("Solvent")
