"""Session-18 porn rules (porn_service.json 2026.12.01.8 sign_photo_trade_zh, porn_titles.json 2026.12.01.2
porn_link_lure_zh), each checked with phrasings written for this test (never a measured row).

sign_photo_trade_zh: custom 'sign-holding' sexual pictures (s举牌, 举牌照, 牛举, 裸举, 定制举牌) offered with the
trade's words (接 as a word of its own, 接单, dd, 实拍, 可提, 有偿, a contact). Bare 举牌 (auctions, stake purchases,
volunteers, airport pick-ups) is no sign cue, and 接 inside 接连 / 接着 does not count.

porn_link_lure_zh: a web link (http, https, www) next to a disguised-porn lure (懂的来, 打不开就换浏览器, 萝莉,
看片, 福利姬, 无码); school, news, shops and lolita clothing stand it down, and 老司机 is no cue."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

SIGN_FIRES = [
    ("porn_service:sign_photo_trade_zh", "接定制举牌，私我"),
    ("porn_service:sign_photo_trade_zh", "牛举有偿，私聊"),
    ("porn_service:sign_photo_trade_zh", "裸举实拍可提要求"),
    ("porn_service:sign_photo_trade_zh", "举牌照接单dd"),
]

SIGN_QUIET = [
    "拍卖会上他接连举牌，最后出价五百万",
    "险资接连举牌这家公司，持股超过百分之五",
    "志愿者举牌欢迎新生，有问题私聊学长",
    "我举牌子在出口接你，到了私我",
    "老牛举起前蹄，接着往前走",
    "比赛时观众举牌加油，找我拿牌子",
]

LINK_FIRES = [
    ("porn_titles:porn_link_lure_zh", "懂的来 https://ab12.example.cn/x"),
    ("porn_titles:porn_link_lure_zh", "www.example.org 打不开就换浏览器"),
    ("porn_titles:porn_link_lure_zh", "萝莉看片 http://example.net/v"),
]

LINK_QUIET = [
    "作业答案在这里 https://www.example.edu.cn 打不开就换浏览器",
    "萝莉裙子好看 https://shop.example.com",
    "老司机分享驾考技巧 https://example.com/drive",
    "懂的都懂，这是官网 www.example.com",
    "新闻链接 https://news.example.cn 打不开换浏览器",
]


def test_sign_photo_trade_fires_while_auctions_stakes_and_pickups_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, SIGN_FIRES, SIGN_QUIET) == NO_PROBLEMS


def test_porn_link_lure_fires_while_school_shop_and_driving_links_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, LINK_FIRES, LINK_QUIET) == NO_PROBLEMS


# bullying.json 2026.12.01.18: you_contempt_zh's contempt predicates gain 贱 as a word of its own (犯贱, 真贱,
# 是不是贱) and 脑瘫 used as 'brain-damaged'; 贱卖, 贵贱, the teasing 贱兮兮 / 贱萌, 'cheap', and cerebral palsy in
# care stay quiet.
BASE_FIRES = [
    ("bullying:you_contempt_zh", "你是不是贱啊"),
    ("bullying:you_contempt_zh", "你真贱"),
    ("bullying:you_contempt_zh", "你们就是犯贱"),
    ("bullying:you_contempt_zh", "你就是个脑瘫"),
]

BASE_QUIET = [
    "你贱卖了那双鞋吗",
    "人不分贵贱，你要尊重别人",
    "你知道脑瘫儿童康复中心在哪吗",
    "你去医院看过脑瘫的病人吗",
    "你看那个贱兮兮的表情包",
    "你这个贱萌的头像好可爱",
    "你买的鸡8块钱一斤",
]


def test_base_and_brain_damaged_jibes_fire_while_sales_care_and_teasing_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, BASE_FIRES, BASE_QUIET) == NO_PROBLEMS
