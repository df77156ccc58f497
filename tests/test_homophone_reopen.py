"""Sound-alikes of slurs that ordinary text never sounds like (filters/homophone_reopen.py and its table):
found by the syllable scan in the view `sound_alike` although their entry has homophones off, and blocking
only when the model agrees (filters/fusion.py's corroboration). The sentences are our own."""

from __future__ import annotations

import pytest
from recording_model import ConstantModel, RecordingModel

from filters import homophone_reopen
from filters.engine import TextFilter
from filters.lexicon import load_packs
from filters.normalize import Views

CLOAKED = "你这个亩人真恶心"  # 亩人 sounds like the slur 幕刃 (mu ren) and is no word
ORDINARY = "牧人赶着羊群回家"  # 牧人 (a herdsman) has the same sound and is a word


def _views(tf: TextFilter, text: str) -> list[tuple[str, str, str]]:
    hits = tf._lexicon.matcher.find_many([Views(text, tf.normalizer)])[0]
    return [(h.entry.term, h.view, h.matched) for h in hits]


@pytest.fixture(scope="module")
def packs() -> list:
    return load_packs()


def test_a_reopened_slur_is_heard_in_its_own_view(shipped_filter) -> None:  # noqa: ANN001
    assert ("幕刃", homophone_reopen.VIEW, "亩人") in _views(shipped_filter, CLOAKED)
    with homophone_reopen.trial({}):  # the reading off: the homophones-off veto drops it
        assert not any(view == homophone_reopen.VIEW for _, view, _ in _views(shipped_filter, CLOAKED))


def test_an_ordinary_word_of_the_same_sound_is_not_the_slur(shipped_filter) -> None:  # noqa: ANN001
    assert _views(shipped_filter, ORDINARY) == []
    assert "牧人" in homophone_reopen.reopened()["幕刃"]


def test_a_sound_alike_blocks_only_when_the_model_agrees(packs: list) -> None:
    agrees = TextFilter(packs, classifier=ConstantModel(0.6))
    disagrees = TextFilter(packs, classifier=ConstantModel(0.1))
    v = agrees.check(CLOAKED)
    assert v.action == "block" and [r.rule for r in v.reasons] == ["model:bullying_or_hate"]
    assert disagrees.check(CLOAKED).action == "allow"
    assert TextFilter(packs).check(CLOAKED).action == "allow"  # weak evidence: no block on the word lists alone
    assert agrees.check(ORDINARY).action == "allow"
    with homophone_reopen.trial({}):
        assert agrees.check(CLOAKED).action == "allow"  # 0.6 is far below the model's own threshold


def test_a_term_sounding_like_a_common_word_is_heard_only_where_nothing_written_is_that_words(
        shipped_filter) -> None:  # noqa: ANN001
    """女拳 sounds like 女权: 钕全 and 女圈 are the slur cloaked; 女权 itself and 钕权 (权 is 女权's) are not."""
    for term, word in (("女拳", "女权"), ("嘿人", "黑人"), ("操你", "草拟")):
        theirs = homophone_reopen.common_sound()[term]
        assert word in homophone_reopen.reopened()[term] and set(word) <= set(theirs + term)
    for cloaked in ("她就是个钕全，整天挑事", "那些女圈又来带节奏了"):
        assert ("女拳", homophone_reopen.VIEW) in [(t, v) for t, v, _ in _views(shipped_filter, cloaked)], cloaked
    for ordinary in ("她支持钕权运动", "女权主义的历史", "妇女权益保障法", "她是一个女全能冠军"):
        assert not any(t == "女拳" for t, _, _ in _views(shipped_filter, ordinary)), ordinary


def test_every_reopened_term_is_a_homophones_off_term_of_the_packs(packs: list, shipped_filter) -> None:  # noqa: ANN001
    fold = shipped_filter.normalizer.fold_text
    off = {fold(e.term).strip(" ") for p in packs for e in p.entries if not e.homophones}
    table = homophone_reopen.reopened()
    assert len(table) > 100 and not set(table) - off


def test_a_term_written_is_not_another_term_of_its_sound_cloaked(shipped_filter) -> None:  # noqa: ANN001
    """女拳 (severity 1) written as itself is not 女犬 (severity 2) cloaked: no sound_alike evidence raises it."""
    assert "女拳" in homophone_reopen.reopened()["女犬"]
    assert [(t, v) for t, v, _ in _views(shipped_filter, "她们都是女拳")] == [("女拳", "fold")]


def test_the_model_is_shown_the_sound_alike_read_as_the_slur(packs: list) -> None:
    """As with emoji and misspellings, the model sees the cloak read back (亩人 as 幕刃) beside the text as
    written, and the less safe scores count; a text without a sound-alike is asked once."""
    model = RecordingModel(lambda t: "幕刃" in t)
    tf = TextFilter(packs, classifier=model)
    plain = "今天和同学出去玩好开心真的"
    verdicts = tf.check_many([CLOAKED, plain])
    assert "你这个幕刃真恶心" in model.seen and CLOAKED in model.seen
    assert model.seen.count(plain) == 1 and len(model.seen) == 3
    assert [v.action for v in verdicts] == ["block", "allow"]


def test_a_short_text_is_not_shown_to_the_model_read_as_the_slur(packs: list) -> None:
    """Below MIN_UNITS_ALONE units (a word or idiom by itself: 耍单儿 heard as 刷单儿) the sound-alike reading is not
    scored: the model would judge the slur, not the text, where nothing else in it says what it means."""
    model = RecordingModel(lambda t: "幕刃" in t)
    tf = TextFilter(packs, classifier=model)
    short = "亩人滚"
    assert ("幕刃", homophone_reopen.VIEW) in [(t, v) for t, v, _ in _views(tf, short)]
    tf.check_many([short])
    assert short in model.seen and not any("幕刃" in t for t in model.seen)


def test_an_idiom_written_whole_is_itself_not_a_reopened_slur(shipped_filter) -> None:  # noqa: ANN001
    """Idioms of jieba's and pypinyin's dictionaries that hold a reopened slur's sound are its contexts (session 16):
    漏卮难满 holds nan man (南满), 品竹调丝 holds diao si (屌丝). The cloak written alone is still heard."""
    for term, idiom, text in (("南满", "漏卮难满", "这份预算就像漏卮难满，怎么补也补不上"),
                              ("屌丝", "品竹调丝", "爷爷退休以后品竹调丝，日子过得很悠闲")):
        assert idiom in homophone_reopen.reopened()[term]
        assert not any(t == term for t, _, _ in _views(shipped_filter, text)), text
    assert ("南满", homophone_reopen.VIEW) in [(t, v) for t, v, _ in _views(shipped_filter, "那些南瞒又来带节奏了")]


def test_the_tool_takes_only_dictionary_words_longer_than_the_term_as_contexts(shipped_filter) -> None:  # noqa: ANN001
    """摸门不着 (mo men bu zhao) holds 默们's sound and is longer: a context. 摸门 has the term's own length, the
    classic cloak's shape: not a context (nor does it leave the term off). 默们 written is the term, not heard."""
    from filters.tools import homophone_reopen as tool

    terms = {"默们", "幕刃"}
    found = tool.holders(shipped_filter, ["摸门不着", "摸门", "默们", "木人石心", "天气很好"],
                         {"默们": "x", "幕刃": "y"}, terms)
    assert found == {"默们": {"摸门不着"}, "幕刃": {"木人石心"}}
