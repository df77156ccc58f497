"""filters/engine.py `_sound_reading`: the text the model is shown with each sound-alike cloak read as its term
takes the term from the hit itself (carried on the screened text), not from the Reason's rule string, so a rule
string of another shape (a pack name with a colon, a renamed prefix) cannot change what the model sees. The
sentence is our own (as in tests/test_homophone_reopen.py)."""

from __future__ import annotations

from dataclasses import replace

from recording_model import RecordingModel

from filters import homophone_reopen
from filters.engine import TextFilter, _sound_reading
from filters.lexicon import load_packs
from filters.policy import DEFAULT_POLICY

CLOAKED = "你这个亩人真恶心"  # 亩人 sounds like the slur 幕刃 (mu ren) and is no word


def test_the_reading_takes_the_term_from_the_hit_not_the_rule_string() -> None:
    tf = TextFilter(load_packs(), classifier=RecordingModel(lambda t: False))
    screened = tf._screen(tf._lexicon.matcher, CLOAKED, DEFAULT_POLICY)
    assert any(r.view == homophone_reopen.VIEW for r in screened.evidence)
    assert _sound_reading(screened) == "你这个幕刃真恶心"
    # a rule string that no longer ends in the term: the reading is the same
    screened.evidence = [replace(r, rule="lexicon:x") if r.view == homophone_reopen.VIEW else r
                         for r in screened.evidence]
    assert _sound_reading(screened) == "你这个幕刃真恶心"


def test_a_text_without_a_sound_alike_has_no_reading() -> None:
    tf = TextFilter(load_packs(), classifier=RecordingModel(lambda t: False))
    screened = tf._screen(tf._lexicon.matcher, "今天和同学出去玩好开心真的", DEFAULT_POLICY)
    assert _sound_reading(screened) is None
