"""Session 9 core terms: advert vocabulary (porn chat/sites, gambling, paid-posting and loan adverts) and coded
insults (initial letters, homophone stand-ins, 国女/国男), each beside the ordinary text that must stay allowed.

The sentences are written for this test (the kinds of words were read off real-text misses; no row is copied).
Seen red: with the session-9 entries removed from the core packs every HARM row is allowed; with the
allow-contexts of 国女/国男 and 你木琴 removed the matching BENIGN rows are blocked.

ORDINARY: children's and news sentences that imported terms made only of common words blocked (这是什么鸟,
我和姐姐一起去公园, 这次考试答案公布了, 水果冰真好吃 ...), fixed by rejections in filters/data/sources/curation.json,
and core terms read in their literal sense (肥猪 on a farm, 废物 as waste) fixed by allow-contexts; each was
blocked before (seen red); the insults beside them stay blocked.

Session 10 rows (marked below): gambling and porn-site brand names and coded hate slang by target group (HARM; all
allowed with the session-10 core entries removed: seen red), and ordinary text that rejected imported phrases,
sound-alike readings or brand words in their ordinary sense blocked (ORDINARY; blocked before: seen red).
"""

from __future__ import annotations

import pytest

HARM = [
    "可以涩涩吗宝宝",
    "有没有色搭子",
    "本人自录，私我",
    "寻找反差mg",
    "海角破解版网址",
    "新人首存送彩",
    "棋牌秒上下芬",  # 上下分 by sound (homophones on)
    "线上德州，秒下分",
    "来超小说吗，一天三位数",  # 抄小说 by sound
    "小红薯评论，一条一结",
    "下课秒结，私我",
    "黑户秒下款",
    "国女都这样",
    "国男就是这样",
    "你木琴没了",
    "一群春竹队友",
    "关你几把事",
    "懂个寄吧",  # 懂个几把 by sound
    "nmd 你会不会玩",
    "mmp，又输了",
    "互换原味吗",
    "求海角地址",
    "嘿畜狌滚",
    # session 10: gambling and porn-site brands, coded hate slang by target group
    '腾龙公司正常开户，私聊',
    '问鼎娱乐，注册就送',
    '需要的加我，玩28圈的来',
    '南宫体育注册',
    '赢咖平台欢迎你',
    '欧博真人开户',
    '华体会体育官网',
    '九游会老用户回归',
    '下载草莓视频app',
    '抖阴看片',
    '91大神新作',
    'missav free',
    '母拳又来了',
    '拳虱真烦人',
    '一群慕刃',
    '又是锅钕',
    '灭默工厂',
    '非洲默都一样',
    '黄皮猪滚',
    '十艾九基',
    '你个瘸子',
    '死结巴闭嘴',
    '彩礼婊',
]

BENIGN = [
    "中国女排又赢了",
    "中国女足和中国男篮都在冬训",
    "韩国女团的新歌",
    "你木琴弹得真好听",
    "这个柿子吃起来涩涩的",
    "冷得瑟瑟发抖",
    "上下分别是两个数字",
    "菠菜炒鸡蛋",
    "帮我找刷子",
    "我要原味的酸奶",
    "这件衣服的颜色搭配很好",
    "我们家的狗生了小狗",
    "买几把椅子",
    "我自录了一首歌",
]


@pytest.mark.parametrize("text", HARM)
def test_advert_and_coded_words_block(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block", text


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_text_with_the_same_characters_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


ORDINARY = [
    "这是什么鸟？",
    "我们来开个会吧",
    "我去找妹妹玩",
    "我和姐姐一起去公园",
    "我有两个妈妈",
    "这次考试答案公布了",
    "精确答案是多少",
    "会计师证怎么考",
    "妈妈买了一个精美女包",
    "水果冰真好吃",
    "火药原理是什么",
    "药品回收箱在哪里",
    "高压枪洗车",
    "我有一把模型枪",
    "上网娱乐要适度",
    "女士服务台在一楼",
    "农场里有一头大肥猪",
    "各种废物特别是核废料",
    "不要在一棵树上吊死",
    "荷花灯放到碧池中",
    "春节鞭炮批发市场",
    "厨房用品刀具专卖店",
    "抽烟会诱发恶性肿瘤",
    "溶液呈酸性中性还是碱性",
    "办理证件要带户口本",
    "低价出售二手书",
    "妈妈买了奶油冰",
    "足坛反赌风暴",
    # session 10: rejected imported phrases, sound-alike and literal readings, brand words in ordinary use
    '我在家也能赚钱吗',
    '转让车票一张',
    '我的博客网址是这个',
    '热门电影推荐',
    '爱笑的女孩运气不会太差',
    '最近总是前胸后背疼',
    '小说免费下载在哪里',
    '甲基可可碱是什么',
    '工作无贵贱',
    '人不分贵贱',
    '他妈还会来吗',
    '被他妈逼着学钢琴',
    '他骂的很难听',
    '吃米饭拣谷子',
    '我在bilibili看动画',
    '角色B说话了',
    '导弹打飞机',
    '附近发生枪击事件',
    '水乳交融',
    '中华体会',
    '抽奖赢咖啡',
    '我用腾龙镜头拍照',
    '九游会员',
    '郭女士你好',
    '男拳手比赛',
    '除默认设置外',
    '我们绕操场跑了28圈',
    '我想看向日葵视频',
    '周末问鼎冠军',
    'said the cock to the fox',
]
STILL_BLOCKED = [
    "你在讲什么鸟话", "你这个肥猪", "是的，那头肥猪", "你就是个废物",
    "出售假人民币", "考试包过答案", "出售手枪", "批发跳刀",
    "他妈的", "你妈逼", "逼里", "big cock", "打飞机视频", "出售枪支",  # session 10
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_phrases_of_common_words_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


@pytest.mark.parametrize("text", STILL_BLOCKED)
def test_the_insults_and_adverts_beside_them_stay_blocked(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block", text


# The deer emoji folds to 撸 (filters/data/tables/homoglyphs.json): a term only where 撸 makes one. Red without
# the table entry.
@pytest.mark.parametrize(("harm", "benign"), [("用我自🦌换", "圣诞老人和🦌"), ("想要🦌管吗", "小🦌真可爱")])
def test_the_deer_emoji_reads_as_lu_only_inside_a_term(shipped_filter, harm: str, benign: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(harm).action == "block", harm
    assert shipped_filter.check(benign).action == "allow", benign
