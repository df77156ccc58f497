"""Allow-contexts are checked on the view a hit came from (filters/allow_contexts.py), and the
false positives found on English prose and Chinese chat stay fixed with the shipped packs."""

from __future__ import annotations

import pytest

from filters.allow_contexts import is_raw, raw_covered, syllables_covered
from filters.lexicon import Entry
from filters.matcher import Matcher
from filters.normalize import Normalizer
from filters.segment import Segmenter


@pytest.fixture(scope="module")
def small_matcher(normalizer: Normalizer, segmenter: Segmenter) -> Matcher:
    entries = [
        Entry("去死", "bullying", 2, "default", True, ("去死胡同", "去私聊"), "t"),
        Entry("meth", "drugs", 2, "exact", True, (":meth:",), "t"),
    ]
    return Matcher(entries, normalizer, segmenter)


def _views(m: Matcher, text: str) -> list[tuple[str, str]]:
    return [(h.entry.term, h.view) for h in m.find(text)]


@pytest.mark.parametrize("text", ["我们去私聊吧", "去si聊", "qu si liao", "去私胡同", "qu si hu tong"])
def test_a_chinese_context_vetoes_homophone_and_pinyin_hits(small_matcher: Matcher, text: str) -> None:
    assert _views(small_matcher, text) == []


@pytest.mark.parametrize("text", ["你去死吧", "你去私吧", "qu si ba", "去si吧"])
def test_the_term_itself_and_other_homophones_still_match(small_matcher: Matcher, text: str) -> None:
    assert [t for t, _ in _views(small_matcher, text)] == ["去死"]


@pytest.mark.parametrize("text", ["See :meth:`Console.screen`.", "SEE :METH:`X`"])
def test_a_markup_context_is_checked_as_written(small_matcher: Matcher, text: str) -> None:
    assert _views(small_matcher, text) == []


@pytest.mark.parametrize("text", ["buy meth here", "meth: where to buy", "meth head", "(meth)"])
def test_a_markup_context_does_not_veto_plain_text(small_matcher: Matcher, text: str) -> None:
    assert [t for t, _ in _views(small_matcher, text)] == ["meth"]


def test_a_context_that_sounds_like_the_term_vetoes_only_as_written(normalizer: Normalizer,
                                                                     segmenter: Segmenter) -> None:
    m = Matcher([Entry("赌场", "gambling", 2, "default", True, ("肚肠",), "t")], normalizer, segmenter)
    assert _views(m, "肚肠") == []
    assert _views(m, "去du场玩") == [("赌场", "pinyin")] and _views(m, "du chang") == [("赌场", "pinyin")]


def test_helpers() -> None:
    assert is_raw(":meth:") and is_raw("sb/sth") and not is_raw("moby dick") and not is_raw("what doesn't kill you")
    assert raw_covered("a :meth:`x`", 3, 7, (":meth:",)) and not raw_covered("a meth", 2, 6, (":meth:",))
    code = "aabbcc"
    assert syllables_covered(code, 1, 2, ("bbcc",)) and not syllables_covered(code, 1, 2, ("abbc",))


# With the shipped packs: each row was blocked before this session's fixes (data or matcher).
FIXED_FALSE_POSITIVES = [
    "我们去私聊吧",  # 去死's homophone; allow-context 去私聊 (syllable-checked)
    "See :meth:`~rich.Console.screen` for a context manager.",  # Sphinx role; raw allow-context
    "<signature of Ty Coon>, 1 April 1989 Ty Coon, President of Vice",  # GPL-2 text; allow ty coon
    "she began to sob",  # s.o.b. folded to sob; rejected by eye
    "npm uses its own bundled version of node-gyp",  # gyp; allow node gyp
    "the branch it forked from",  # forked; rejected by eye
    "Windows(TM) is a trademark",  # tm; rejected by eye
    "we can assess it later",  # asses + s; allow assess
    "installing booby traps",  # boob/booby; allow booby trap
    "the blue footed booby is a bird",
    "help sb do sth",  # sb = somebody in learners' dictionaries
    "give sb a hand",
    "the Perl Mongers met",  # mong; allow mongers
    "pom poms for the cheerleaders",  # poms; rejected by eye
    "unused slots at the end of vectors",  # core "slots at" removed
    "电视的AV接口在哪里",  # av; allow av接口
    "the AV club meets on Friday",
    "the yin yang symbol",  # 淫样 spelt pinyin; rejected by eye
    "油甘果咀嚼后回甘 消食去腻的利器",  # 去你的 (homophones on for SWSR slur phrases); allow 去腻的 by sound
    "小红帽子",  # 红毛子's homophone is a dictionary word: homophones off, and allow 红帽子
    # idioms and words of the pypinyin phrase dictionary read as homophones of core terms
    "历久弥坚", "取人之长", "肚肠", "落照", "抢建", "轻省", "以弱制强", "众口交传",
]
STILL_BLOCKED = [
    "你去死吧", "你是sb", "you are sb", "buy meth", "日本av在线", "av", "she is a coon", "you cocksucker",
    "91porn", "亚洲一区二区", "人妻系列", "h本子", "国产自拍", "小日本", "黑人都是罪犯", "河南人偷井盖",
    "我想结束这一切", "我不配活着", "nobody would miss me", "wish i was dead", "fk you",
    "去你的吧", "台八子", "你不是冬西",  # SWSR slur phrases, also as homophones
    # a context that sounds exactly like the term (之长, 肚肠) vetoes only as written, not the disguises
    "你是个智樟", "你是zhi zhang", "去du场玩",
]


@pytest.mark.parametrize("text", FIXED_FALSE_POSITIVES)
def test_fixed_false_positives_pass(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", STILL_BLOCKED)
def test_harm_is_still_blocked(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
