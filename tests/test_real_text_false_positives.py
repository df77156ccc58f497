"""False positives seen on real text (session 5), fixed at their cause, with the harm beside them still blocked.

- version and model names read as leetspeak (v46 -> vag): filters/disguise.py `_IDENTIFIER`;
- Markdown emphasis, globs and hashtags read as masks (`**it` -> shit): filters/disguise.py `_mask_words`;
- joined pinyin of a two-character term that is a Latin-typed name (Zhijie -> 肢解): allow_contexts.given_name;
- C-API names (METH_FASTCALL -> meth): raw allow-context "meth_" in the drugs pack;
- 读博 (doing a PhD) heard as 赌博, and 123 more ordinary words heard as a term (庆生 as 轻生): allow-contexts
  written as the real word in the core packs;
- git branches and variables named sb: raw allow-contexts (sb/, (sb, sb =); niggle rejected by curation;
- session 7, news and reviews: a changed character inside a very common word (了解自己 is not 了结自己):
  filters/homophone_rules.ordinary_reading; imported fake-document ad fragments that are ordinary
  administrative phrases (办理身份证, 代办签证): rejected in filters/data/sources/curation.json; a sound-alike
  read across a dash (老虎——既 as 老虎机, 马——闭 as 妈逼): the dash joins matcher._SENTENCE_PUNCT.
- session 8, People's Daily 1998: imported terms that are ordinary words (淫威, 认证书, 服务小姐, 北京小姐, 出售烟花)
  or that read ordinary phrases by sound (裆的干部 for 党的干部, 成人之间 for 成任志坚, 淫语连连 for 阴雨连连):
  rejected or given an allow-context in filters/data/sources/curation.json; 精白粉 (refined flour) in the drugs pack;
  and English substring traps of other filters' tests: kumquat rejected (cuss list), cocker spaniel and
  "so anal about it" allowed in curation.json; shopping and hotel reviews: imported 小姐 compounds that
  are ordinary service words (叫小姐倒个茶, 接线小姐电话) and 提供证件 rejected, 软性服务 / 个性化服务, 收人民币 and
  传真身份证 allowed, 为写 (heard as 猥亵) allowed in the sexual pack.
Each benign row was blocked before its fix (seen red); the harm rows stay blocked.
"""

from __future__ import annotations

import pytest

BENIGN = [
    "Requires Python v46 or later",
    "Chrome v49 and Firefox f46 builds",
    "The chip is a b006 rev c117",
    "Use the glob **it to match every file",
    "**it is important** that you read this",
    "see **its** docs and #uck tags",
    "Contact Zhijie Wang for details",
    "Thanks Zhijie, merged.",
    "Wang Zhijie and Li Dubo wrote the paper",
    "METH_FASTCALL calling convention",
    "use METH_VARARGS | METH_KEYWORDS",
    "他在美国读博",
    "姐姐放弃了读博",
    "读博士很辛苦",
    # ordinary words heard as a term (homophones on), found by filters/tools/fp_scan.py on jieba's dictionary
    "今天给妈妈庆生",
    "我们学校办墙报",
    "浮力计的原理",
    "青涩的年纪",
    "继女和继母",
    "重色轻友的家伙",
    "表姊来我家玩",
    "泛读和精读",
    "白炽灯很烫",
    "明火执仗地抢",
    "读书是为了了解自己",
    "怎么办理身份证",
    "爸爸去办理驾驶证了",
    "代办签证多少钱",
    "老虎——既凶猛又可爱",
    "小马——闭着眼睛过河",
    "今天党的干部又怎能不讲政德",
    "武汉周边阴雨连连",
    "图为执法人员现场讲解（吕乃成任志坚摄）",
    "旱魔淫威曾毁灭了无数的自然造化物",
    "获得了国际质量体系认证书",
    "宾馆的经理们为招收服务小姐亲自来村里",
    "街头出现了许多出售烟花爆竹的摊点",
    "精白粉和全麦粉的区别",
    "The cocker spaniel barked",
    "Kumquats are small citrus fruits",
    "Please don't be so anal about it",
    "杜拉拉2没有1精彩,似乎为写而做",
    "叫小姐倒个茶要半天",
    "一位姓陈的小姐服务态度极差",
    "酒店整体的软性服务也需要提升",
    "退房要收人民币壹佰块",
    "每位住店客人必须提供证件",
    "我去你大爷家玩",
    "我要去你大爷的家里",
    # English doc sentences (fp_scan): git branches, code, timestamps, numbers, ordinary words
    "(merge 022d2ac1f3 sb/blame-color later to maint).",
    "const sb = Buffer.allocUnsafeSlow(10); store.push(sb);",
    ":version: $Id: extras.py 3473 2007-10-29 15:18:13Z jarrod",
    "np.min_scalar_type(1e50)",
    "Resolved niggles with AnyIO EOF behaviours.",
]

HARM = [
    "you a55hole",
    "kiss my a55",
    "f*ck you",
    "sh** happens to you loser, f**k off",
    "p0rn videos",
    "zhijie xiaoshuo",
    "Seqing dianying",
    "seqing wangzhan",
    "buy meth here",
    "他在网上赌博",
    "一起去dubo吧",
    "我想轻生",
    "卖白粉的人在哪",
    "三陪小姐的电话",
    "anal videos for free",
    "酒店提供性服务",
    "他猥亵儿童",
    "丢你老母",
    "去你大爷的，滚",
    "你个叽霸",
    "涩情网站",
    "你是个表子",
    "你这个sb",
    "sb吧你",
    "他就是个若至",
    "我想了洁自己",
    "代办身份证，加微信",
    "办理真身份证",
]


@pytest.mark.parametrize("text", BENIGN)
def test_real_text_false_positive_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


@pytest.mark.parametrize("text", HARM)
def test_the_disguised_harm_beside_them_is_still_blocked(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize(("text", "span", "term", "expected"), [
    ("Contact Zhijie Wang", (8, 14), "肢解", True),
    ("Zhijie Wang wrote", (0, 6), "肢解", True),
    ("Zhijie said", (0, 6), "肢解", False),  # a sentence's first word may be auto-capitalised
    ("Hi. Seqing dianying", (4, 10), "色情", False),
    ("see zhijie", (4, 10), "肢解", False),
    ("see Zhijiexiaoshuo", (4, 10), "肢解", False),
    ("Contact Seqingwang", (8, 18), "色情网", False),  # three characters: not a given name
])
def test_given_name(text: str, span: tuple[int, int], term: str, expected: bool) -> None:
    from filters.allow_contexts import given_name

    assert given_name(text, span, term) is expected


# Recall added in session 5 (hand-written core terms; each was allowed before), beside ordinary words
# that sound like them and stay allowed (homophones off for two-character slurs).
NEW_HARM = ["南蛮子滚回去", "你这个屁精", "死同性恋真恶心", "国蝻都这样", "信绿教的都", "反差婊合集", "东京热全集",
            "蜜桃传媒在线", "久草视频网", "口叫教程", "you mofo", "shut up thot", "what a niqqa", "beeyotch please"]
SOUNDALIKE_OK = ["我没去学校", "给你个苹果", "舒肤佳香皂", "他是个马屁精", "我们班的屁股", "青青草原上的羊",
                 "抠脚大汉", "他们发生了口角", "扣缴个人所得税", "试试才知道", "so cocky", "e.e. cummings poems"]


@pytest.mark.parametrize("text", NEW_HARM)
def test_new_core_terms_block(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", SOUNDALIKE_OK)
def test_their_soundalikes_stay_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


# Animal and dung emoji standing for their character in slurs (filters/data/tables/homoglyphs.json):
# blocked only where the character makes a term; ordinary emoji use stays allowed.
@pytest.mark.parametrize("text", ["港🐷滚", "日本🐶", "台🐸都是", "越🐒", "🐔巴", "你个🐶东西"])
def test_emoji_standing_for_a_character_in_a_slur_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block"
    assert any(r.kind == "lexicon" and any(ord(c) > 0xFFFF for c in r.matched) for r in v.reasons)


@pytest.mark.parametrize("text", ["我喜欢🐶和🐱", "今天🐴上就到", "🐮🍺", "小🐷佩奇真可爱"])
def test_ordinary_emoji_use_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


# Seen by the rules engineer while testing scam rules (session 5): a job advert's pay terms, a child using a
# parent's phone, a game question; beside each, the harm the same words still block.
@pytest.mark.parametrize(("benign", "harm"), [
    ("招聘餐厅服务员，工资日结", "刷单兼职，工资日结，加微信"),
    ("我用你妈的手机给你打电话", "你妈的，滚开"),
    ("how to die in minecraft on purpose", "how to die painlessly"),
])
def test_ordinary_use_allowed_and_the_harm_still_blocked(shipped_filter, benign: str, harm: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(benign).action == "allow", benign
    assert shipped_filter.check(harm).action == "block", harm
