"""Real harm the filter missed, each with its benign neighbour: disguises the matcher missed at the end of
session 5, and vocabulary of real harmful text the packs lacked (porn-site SEO titles, sex slang, card
gambling, paid-posting and task scams, loan and bank-card trade, curses: session 6 core terms).

Disguises:
- a long homophone whose written form touches an ordinary word at its edge (身粉证|实名: 证实 is a
  word, but eight characters that sound like 借用成年人身份证 are no coincidence);
- spaced-out letters that join with the article before them (a r e t a r d -> "aretard");
- a homophone of a term that mixes characters and Latin letters (面费领q币 for 免费领q币);
- one character of a core term whose homophones are off written as a homophone (石时彩 for 时时彩);
Each harmful row was allowed before its fix (seen red); the benign rows stay allowed (the spaced ordinary
words are red with filters/data/spaced_words.json's whole_words emptied).
"""

from __future__ import annotations

import pytest

HARMFUL = [
    ("借用成年人身粉证实名", "addiction_bypass"),
    ("借用成年人身粉证", "addiction_bypass"),
    ("what a r e t a r d", "bullying"),
    ("you are a r e t a r d", "bullying"),
    ("g o f u c k y o u r s e l f", "bullying"),
    ("s h u t u p b i t c h", "bullying"),
    ("面费领q币活动", "fraud"),
    ("免废领q币", "fraud"),
    ("石时彩计划群", "gambling"),
    # vocabulary the packs lacked (session 6 core terms): was allowed before the pack change
    ("国产精品久久久久久", "sexual"),
    ("伊人久久综合网", "sexual"),
    ("激情五月天婷婷", "sexual"),
    ("海角社区网址", "sexual"),
    ("今晚约泡吗", "sexual"),
    ("free xxx videos", "sexual"),
    ("rule34 gallery", "sexual"),
    ("金花牛牛三公，上分客服在线", "gambling"),
    ("十三水扯旋", "gambling"),
    ("抖音代发，评论现结", "fraud"),
    ("住家创业，躺赚", "fraud"),
    ("黑户下款，无视征信", "fraud"),
    ("高价收购银行卡", "fraud"),
    ("祝你父母双亡", "bullying"),
    ("同性恋真恶心", "bullying"),
    ("你死妈了吧", "bullying"),
    # English obfuscations missed at the end of session 6 (tests/test_english_disguises.py says how)
    ("you slvt", "sexual"),
    ("shut up you cvnt", "bullying"),
    ("fuxk you", "bullying"),
    ("what the fuxk", "bullying"),
    ("u r a dixk", "sexual"),
    ("you sl*t", "sexual"),
    ("sl*t machines for real money", "gambling"),
    ("what a pr1ck", "bullying"),
    ("shut up you pr!ck", "bullying"),
    ("prxck", "bullying"),
    ("she is a h0e", "bullying"),
    ("all those h0es", "bullying"),
    ("show me your t1ts", "sexual"),
    ("p1ss off", "bullying"),
    ("他想上吊", "self_harm"),
    ("你这个猪头", "bullying"),
    ("晚上一个人打飞机", "sexual"),
    # session 9: English racist and misogynist slang the imported lists lack (core bullying pack)
    ("the holohoax again, they never stop", "bullying"),
    ("look at that shitskin", "bullying"),
    ("go away you femoid", "bullying"),
    ("sand monkeys everywhere", "bullying"),
    # session 9: every letter written twice (filters/disguise.py)
    ("ffuucckk you", "bullying"),
    ("such a bbiittcchh", "bullying"),
    ("free ppoorrnn here", "sexual"),
]

BENIGN = [
    "实时彩色显示屏",
    "事实才是最重要的",
    "你试试才知道",
    "免费领取图书",
    "T H E  E N D",
    "a b c d e f g",
    "c l a s s r o o m",
    "i n t e r n a t i o n a l",
    "t h e r a p i s t",
    "a n a l y s i s",
    "A S S E S S M E N T",
    "面包费用q版",
    "身份证实名认证",
    # ordinary uses of words near the session 6 core terms
    "周末约泡温泉吧",
    "这道菜叫龙虎斗",
    "五月天的演唱会",
    "他从小父母双亡，由奶奶抚养长大",
    "妈妈说同性恋不是病",
    "精品国货专柜",
    "我们去十三陵水库",
    "代发工资的银行",
    "the fap turbine manual",
    # the plain words behind the session 7 disguise-only terms, and shapes near the stand-in letters
    "I will prick my finger on the thorn",
    "Use a hoe to dig the garden",
    "The blue tit ate the seeds",
    "Please do not piss about in class",
    "a slag heap near the old mine",
    "Next, expect the text to sixth-grade level",
    "the lynx ran into the forest",
    "KVM and SVM are acronyms",
    "we use vxlan for the network",
    "Put the coin in the slot",
    "slots open at nine",
    "a narrow slit in the wall",
    "svelte and sveltekit",
    "the xkcd comic",
    # 上 "on" + 吊 "hang" in children's descriptions is not 上吊 (session 7 allow-contexts of the core term)
    "树上吊着一个红灯笼",
    "蜘蛛从树上吊下来",
    "窗台上吊兰开花了",
    "把水桶从井里往上吊起来",
    "小猪头上戴着帽子",
    "高射炮打飞机",
    "我在玩打飞机游戏",
    "The race was close and the traitor in the story was found out in the last chapter.",
    "The bookkeeper and the committee shall meet at noon.",
    "aabbcc is the rhyme scheme of this poem",
    "We made mud pies and the mud people in our game lived in the garden.",  # why "mud people" is no term
]


@pytest.mark.parametrize(("text", "category"), HARMFUL)
def test_disguised_harm_is_blocked(shipped_filter, text: str, category: str) -> None:
    verdict = shipped_filter.check(text)
    assert verdict.action == "block", (text, verdict)
    assert category in verdict.categories, (text, verdict.categories)


@pytest.mark.parametrize("text", BENIGN)
def test_benign_neighbour_is_allowed(shipped_filter, text: str) -> None:
    verdict = shipped_filter.check(text)
    assert verdict.action == "allow", (text, verdict)


def test_matcher_cache_key_follows_the_parse_code(monkeypatch, tmp_path, normalizer, segmenter) -> None:
    """Pack digests do not change when the parse code's defaults do (homophones for mixed terms): the
    matcher cache key must, or a stale matcher without the new keys is loaded."""
    from filters import matcher as matcher_mod
    from filters import matcher_cache
    from filters.lexicon import Entry

    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(tmp_path))
    keys: list[str] = []
    real_load = matcher_cache.load
    monkeypatch.setattr(matcher_cache, "load", lambda key, *a, **k: keys.append(key) or real_load(key, *a, **k))
    entries = [Entry("免费领q币", "fraud", 2, "default", True, (), "t")]
    matcher_mod.Matcher(entries, normalizer, segmenter, cache=True, fingerprint="t:abc")
    monkeypatch.setattr(matcher_mod, "PARSE_DIGEST", "other")
    matcher_mod.Matcher(entries, normalizer, segmenter, cache=True, fingerprint="t:abc")
    assert len(keys) == 2 and keys[0] != keys[1]
