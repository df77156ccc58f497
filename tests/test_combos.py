"""Co-occurrence rules (filters/combos.py, filters/data/combos/*.json): each family fires on unseen
phrasings (no single word of which is in a pack), stays quiet on near-miss benign text, survives
disguises, and a broken rule file is refused with a clear error while the old rules stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.combo_rules import COMBOS_DIR, ComboError, read_dir
from filters.combo_scan import scan_map, scan_view
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Views
from filters.policy import FilterPolicy

# Written for these tests from the scam / warning-sign types the rule files name; never eval rows.
FIRES = [
    # fraud, zh: task jobs, free game items, fake prizes / refunds, investment and loan lures
    ("fraud:parttime_task_scam", "诚招学生兼职，只需手机关注点赞，一单一结，日赚300不是问题，感兴趣私聊"),
    ("fraud:parttime_task_scam", "宝妈副业来啦，在家动动手指，每单8元佣金秒到账，名额有限速速进群"),
    ("fraud:parttime_task_scam", "急招打字员 时间自由 当天结算提现 每天轻松赚几百 加vx详谈"),
    ("fraud:parttime_task_scam", "抖音点赞员招募，给视频点赞截图就能领3元，一天能领一百多，下载app注册就能开始"),
    ("fraud:prize_refund_scam", "我是王者荣耀官方客服，你的账号涉嫌违规将被冻结，需要家长的银行卡号和验证码解冻"),
    ("fraud:game_item_scam", "蛋仔全套皮肤白送啦！想要的小朋友把爸妈手机上的验证码发给我就行"),
    ("fraud:game_item_scam", "原神月卡半价内部渠道，先付款再发货，要的私聊"),
    ("fraud:prize_refund_scam", "您的快递丢失，我们给您双倍赔偿，请下载app并开启屏幕共享办理"),
    ("fraud:prize_refund_scam", "你是我们的幸运观众，领奖前先交一下保证金，加客服微信领取"),
    ("fraud:investment_loan_lure", "导师带你炒币，稳赚不赔，今天入金明天翻倍，扫码进群"),
    ("fraud:investment_loan_lure", "学生也能贷，不看征信，秒下款，先交手续费，加微信办理"),
    # fraud, en
    ("fraud:prize_text_scam", "URGENT! You are the winner of a 2000 pounds cash award. To claim call 09061234567 now"),
    ("fraud:prize_text_scam",
     "Congrats!! your number was drawn for a brand new iPad, tap"
     " the link to pick it up: bit.ly/abc"),
    ("fraud:account_phishing_text",
     "We noticed suspicious activity on your PayPal. Confirm your"
     " details within 12 hours: http://pp-check.example"),
    ("fraud:easy_money_job_text",
     "Looking for people to work from home, simple tasks, earn"
     " 250 per day, message me on WhatsApp"),
    ("fraud:premium_text_subscription",
     "Get 3 free ringtones every week! 150p per msg, send STOP to"
     " 80808 to unsubscribe"),
    # self-harm without 自杀 / suicide
    ("self_harm:despair_and_ending_zh", "我真的撑不住了，活着一点意义都没有，想就这样消失"),
    ("self_harm:despair_and_ending_zh", "感觉自己就是个拖累，写好遗言放在抽屉里了"),
    ("self_harm:better_off_without_me_zh", "如果少了我，爸妈应该会轻松很多，会更幸福吧"),
    ("self_harm:method_and_intent_zh", "我偷偷攒了一瓶安眠药，想着哪天全吃了"),
    ("self_harm:despair_and_ending_en", "i feel so hopeless, nothing helps and i just want to disappear for good"),
    ("self_harm:despair_and_ending_en", "I'm a burden to everyone, I've already written a goodbye letter"),
    ("self_harm:better_off_without_me_en", "honestly my family would be so much happier if i was gone"),
    # grooming
    ("grooming:secrecy_and_contact_zh", "记得这是我们俩的小秘密哦，周六我开车来接你放学"),
    ("grooming:secrecy_gift_and_contact_zh", "哥哥偷偷给你充点券，你换个软件跟我聊，给你看个好东西"),
    ("grooming:age_probe_and_contact_zh", "小妹妹读几年级啦？平时爸妈不在家吗，拍张照片看看你"),
    ("grooming:secrecy_and_contact_en", "this stays just between us ok? send me a pic before bed"),
    ("grooming:secrecy_gift_and_contact_en",
     "I'll get you 800 robux but don't let your mom see, we can"
     " meet at the mall"),
    ("grooming:sextortion_threat", "I still have those pics of you. Send 200 dollars in gift cards by tonight or "
     "your school sees everything"),
    ("grooming:sextortion_threat", "你的视频我录下来了，不转账的话就发给你同学看"),
    ("grooming:age_probe_and_contact_en", "what grade are you in? are your parents out tonight? I could pick you up"),
    # session 5: scam types of the anti-fraud advisories, grooming moves, self-harm warning signs
    ("fraud:fake_police_zh", "这里是区公安分局经侦支队，你的身份证被冒用开了账户涉嫌洗钱，马上下载这个软件配合调查"),
    ("fraud:acquaintance_transfer_zh", "老同学，我是你表哥啊，换号了，手机坏了不方便语音，急用钱先借我三千"),
    ("fraud:fake_transfer_proof_zh", "钱已经给你转过去了，可能24小时到账，转账凭证在这，你先替我付给供货商"),
    ("fraud:service_cancel_credit_scam_zh",
     "这里是拼多多官方客服，您的学生账号没注销会影响征信，请打开腾讯会议共享屏幕跟着操作"),
    ("fraud:rebate_task_trap_zh", "新人任务先垫付一百，做完返还本金和佣金；你操作失误卡单了，再充三百就能提现"),
    ("fraud:loan_offer_zh", "急用钱？黑户也能借款，凭身份证秒批，最高可贷五万，回复1办理"),
    ("fraud:parent_payment_ask_zh", "这个皮肤我帮你买，你用你爸的微信扫一下码付款就行"),
    ("fraud:credentials_for_items_zh", "官方活动白送钻石，把登录密码告诉我就帮你领"),
    ("fraud:gov_impersonation_en",
     "Social Security here: your number was suspended for fraudulent activity, call us immediately"),
    ("fraud:free_game_currency_en", "unlimited vbucks glitch, works for everyone, just verify your login at the link"),
    ("fraud:loan_offer_en", "Bad credit? Cash advance pre approved today, reply YES, a small processing fee applies"),
    ("fraud:mobile_upgrade_text_en",
     "Our records show you are entitled to a free upgrade to the latest colour mobile, call free 0800 123 456"),
    ("grooming:move_to_private_channel_zh", "在这说不方便，换个软件聊吧，记得别让你爸妈知道"),
    ("grooming:flattery_isolation_zh", "只有我最懂你，你爸妈不懂你的，明天放学我来接你"),
    ("grooming:casting_recruit_photos_zh", "网红主播签约，先发几张全身照看身材，有报酬"),
    ("grooming:gift_for_photos_zh", "你只要发一张自拍，我就给你充q币"),
    ("grooming:paid_child_photos_zh", "招初中生拍视频，在家就能做，有偿日结"),
    ("grooming:children_only_group_zh", "这个私密小组仅限十二岁以下进"),
    ("grooming:move_to_private_app_en", "let's switch to telegram, you look older than you are"),
    ("grooming:gift_for_photos_en", "send me one pic and i'll give you 1000 robux"),
    ("grooming:flattery_isolation_en", "adults don't understand you, but i do. let's meet after school"),
    ("grooming:flattery_isolation_en",
     "you're not like the other kids, only I understand you. let's hang out this weekend"),
    ("self_harm:wish_not_to_exist_zh", "我真希望自己没被生下来"),
    ("self_harm:farewell_arrangements_zh", "不要为我难过，我的东西都送给妹妹了，我走以后替我照顾好她"),
    ("self_harm:self_injury_zh", "我控制不住地划手臂，好多疤都藏起来了"),
    ("self_harm:plan_time_method_zh", "决定了，考完就去跳楼"),
    ("self_harm:life_meaningless_ending_zh", "活腻了，明白自己是多余的，想消失"),
    ("self_harm:jump_place_zh", "我一个人站在天台上，好想往下跳"),
    ("self_harm:wish_not_to_exist_en", "honestly I wish I was never born"),
    ("self_harm:cannot_go_on_en", "im so done, i dont want to be alive any longer"),
    ("self_harm:method_search_zh", "到底怎样才能死得不痛苦"),
    ("self_harm:method_search_en", "whats the quickest way to end my life"),
    ("self_harm:last_post_despair_zh", "发完这最后一条说说就解脱了"),
    ("self_harm:farewell_arrangements_zh", "原谅我吧，我真的坚持不下去了"),
    ("self_harm:goodbye_arrangements_en", "ok this is my last post. dont look for me"),
    ("self_harm:better_off_without_me_zh", "如果没有我，这个家会轻松一点吧"),
    ("self_harm:self_injury_en", "i relapsed last night, i keep hiding the scars under long sleeves"),
    ("self_harm:goodbye_arrangements_en", "please look after my cat. after i'm gone don't blame yourself"),
]

# Near misses: each shares cues with a rule but is ordinary text a child meets.
QUIET = [
    "警方提醒：谨防刷单诈骗，所谓兼职一单一结、轻松日赚几百，都是诈骗分子的套路",
    "我们学校招聘兼职图书管理员，工资按月结算，有意者联系班主任",
    "节日结束后，我们加微信讨论一下兼职社团的活动安排",
    "这个游戏的新皮肤要用点券买，妈妈说周末可以一起看看",
    "彩票中奖了要交个人所得税吗？",
    "我今天好累啊，作业写到十点，明天见",
    "笑死我了，这部电影的结局我看哭了，再见了夏天",
    "我外婆误服了安眠药，医生说要马上洗胃急救",
    "别告诉妈妈，我们偷偷给她准备生日礼物，周末去买",
    "老师问你读几年级，报名表上要贴一张照片",
    "有个网友跟我说这是我们的小秘密，还想见面，我该怎么办？",
    "节日jie束后，我们加微信聊兼职社团的事",  # pinyin does not make 日结 out of 节日结束
    "刚才有人让我进群免费领皮肤，要先扫码，这是不是骗子？",
    "We won the school quiz and the prize was a book! Call me later",
    "Your package was delivered today. Track it in the app.",
    "I'm so tired lol, this homework is killing me, gonna die haha",
    "Start without me, I'm running late, you'll be happier with warm pizza",
    "Don't tell mom about the surprise party, meet at my house at 5",
    "Your photos from the trip are great, send them to your family!",
    "你的照片拍得真好，发给你家人看看吧，不然他们会想你的",
    "How old are you? The doctor needs your age for the form",
    "Beware: messages saying you have won a prize and asking you to call a number are scams",
    "警方提醒：公安机关不会要求你把资金转入安全账户，接到这种电话请挂断",
    "我是你们班主任，明天开家长会，请各位家长准时参加",
    "快递丢失了，客服说会给我退款，三天内到账",
    "我在学校老师的帮助下申请了国家助学贷款",
    "千万不要把爸妈的银行卡号发给网友",
    "奶奶去世了，下辈子我还要做她的孙女，妈妈让我不要难过",
    "我切菜时不小心划到手了，流了好多血",
    "今晚我们在游戏里打魔王，准备结束这一切",
    "夏令营只收12岁以下的小朋友，报名请加家长群",
    "小学生摄影比赛征集作品，获奖作品有奖金",
    "The police arrested a man who told victims to pay the IRS with gift cards, according to the news",
    "I saved my allowance to buy robux in the official store, my parents said ok",
    "download dinosaur pics for free",
    "I'll give you a gift card for your birthday, send me a photo of the party!",
    "I'm giving away my old toys at the yard sale, one last time before we move",
    "I cut myself shaving this morning, there was blood everywhere lol",
    "没有我的帮助，他也能做得更好",
    "恐龙是怎么死的？是因为小行星吗",
    "这是我今年最后一条朋友圈，好累但是很开心",
    "I'm done trying to fix this bike, it won't matter tomorrow anyway",
    "how many plants die in winter and how to keep them alive",
    "I can't go on anymore with this level, the boss is too hard",
]


def combo_rules(tf: TextFilter, text: str, policy: FilterPolicy | None = None) -> list[str]:
    v = tf.check(text, policy or FilterPolicy())
    return [r.rule for r in v.reasons if r.rule.startswith("combo:") and r.blocking]


@pytest.mark.parametrize(("rule", "text"), FIRES)
def test_each_family_fires(shipped_filter: TextFilter, rule: str, text: str) -> None:
    assert f"combo:{rule}" in combo_rules(shipped_filter, text), text


@pytest.mark.parametrize("text", QUIET)
def test_near_misses_stay_quiet(shipped_filter: TextFilter, text: str) -> None:
    assert combo_rules(shipped_filter, text) == []


def test_the_hook_adds_a_block_no_word_pack_gives(shipped_filter: TextFilter) -> None:
    """The engine consults the rules: without them this text has no blocking reason at all."""
    text = "诚招学生兼职，只需手机关注点赞，一单一结，日赚300不是问题，感兴趣私聊"
    v = shipped_filter.check(text)
    blocking = [r.rule for r in v.reasons if r.blocking]
    assert "combo:fraud:parttime_task_scam" in blocking and all(r.startswith("combo:") for r in blocking)
    assert v.action == "block" and v.categories == ["fraud"]
    (reason,) = [r for r in v.reasons if r.rule == "combo:fraud:parttime_task_scam"]
    a, b = reason.span
    assert reason.kind == "lexicon" and reason.view == "fold" and reason.severity == 2
    assert text[a:b] == reason.matched and reason.matched.startswith("学生兼职") and reason.matched.endswith("私聊")
    assert "*" in v.redacted and "一单一结" not in v.redacted
    assert "combo:fraud:parttime_task_scam" in [r["rule"] for r in v.to_json()["reasons"]]


@pytest.mark.parametrize("text", [
    "誠招網絡兼職，一單一結，日賺三百，加微信詳談",  # traditional characters
    "招 兼 职 ，一💰单💰一💰结，日 赚 ３００，加🌟微🌟信",  # symbols between characters, full-width digits
    "ｗｏｒｋ ｆｒｏｍ ｈｏｍｅ, earn 200 per day, DM me",  # full-width Latin
    "招jian职，一dan一结，日赚300，加微信",  # pinyin written for characters
])
def test_cues_are_matched_on_the_normalised_view(shipped_filter: TextFilter, text: str) -> None:
    assert any(r.startswith("combo:fraud:") for r in combo_rules(shipped_filter, text)), text


def test_cues_too_far_apart_do_not_fire(shipped_filter: TextFilter) -> None:
    filler = "今天的天气很好，我们去公园散步，看到了很多花和小鸟。" * 8
    text = "招聘兼职。" + filler + "一单一结。" + filler + "加微信。"
    assert combo_rules(shipped_filter, text) == []
    assert "combo:fraud:parttime_task_scam" in combo_rules(shipped_filter, "招聘兼职，一单一结，加微信。" + filler)


def test_policy_decides_blocking(shipped_filter: TextFilter) -> None:
    text = "Get 3 free ringtones every week! 150p per msg, send STOP to 80808 to unsubscribe"
    assert combo_rules(shipped_filter, text, FilterPolicy.for_band("8-11"))  # severity 1 blocks under 12
    assert not combo_rules(shipped_filter, text, FilterPolicy.for_band("12-15"))  # mild: not alone for teens
    scam = "诚招学生兼职，只需手机关注点赞，一单一结，日赚300不是问题，感兴趣私聊"
    no_fraud = FilterPolicy(blocked_categories=frozenset({"sexual"}))
    assert shipped_filter.check(scam, no_fraud).action == "allow"


def test_scanned_view_and_its_way_back() -> None:
    fold = " 日赚180 500元 call 0906 加vx了解 "
    scanned, smap = scan_view(fold), scan_map(fold)
    assert scanned == " 日赚 0 元 call 0 加 vx 了解 "
    assert smap is not None
    for piece in ("日赚", "0", "元", "call", "vx", "了解"):
        a = scanned.index(piece)
        fs, fe = smap.span(a, a + len(piece))
        assert fold[fs:fe] == {"0": "180 500"}.get(piece, piece)
    assert scan_view(" 五百块 三千五 十分 千万 ") == " 0 块 0 十分 千万 "
    # a spoken range before the unit is one amount (一两百 "one or two hundred"); 两三天 has no unit
    assert scan_view(" 一天一两百 三四千 两三天 一二三 ") == " 一天 0 0 两三天 一二三 "
    assert scan_view(" 今天天气很好 ") == " 今天天气很好 " and scan_map(" 今天天气很好 ") is None
    assert scan_view(" call 0906 123 now ") == " call 0 now "


def test_long_and_odd_input_does_not_break(shipped_filter: TextFilter) -> None:
    big = ("我" * 50_000) + "兼职一单一结加微信" + ("好累" * 50_000)
    v = shipped_filter.check(big)
    assert "combo:fraud:parttime_task_scam" in [r.rule for r in v.reasons]
    for text in ["", " ", "\x00\u2028", "0" * 1000, "我" * 10]:
        assert combo_rules(shipped_filter, text) == []


# --- rule files ------------------------------------------------------------------------------

def test_shipped_files_carry_provenance() -> None:
    files = read_dir(COMBOS_DIR)
    assert {f.name for f in files} >= {"fraud", "self_harm", "grooming"}
    for path in COMBOS_DIR.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["license"] and doc["provenance"] and "kidsafe" in doc["provenance"]
        assert all(r["why"] for r in doc.get("rules", []))  # a shared cue-set file has none


GOOD_RULE = {"name": "rr", "category": "fraud", "why": "test", "groups": [
    {"name": "a", "cues": ["兼职"]}, {"name": "b", "cues": ["日结"]}]}


def _file(**over: object) -> dict:
    doc = {"schema": 1, "name": "tt", "version": "1", "description": "d", "provenance": "p", "license": "l",
           "rules": [{**GOOD_RULE, "name": "ok_rule"}]}
    doc.update(over)
    return doc


def _rule(**over: object) -> dict:
    return _file(rules=[{**GOOD_RULE, "name": "bad_rule", **over}])


@pytest.mark.parametrize(("doc", "message"), [
    ("not json {", "unreadable rule file"),
    ('{"schema": 1, "x": NaN}', "unreadable rule file"),
    (_file(schema=2), "unsupported schema"),
    (_file(provenance=""), "'provenance'"),
    (_file(rules=[]), "'rules' must be a non-empty list"),
    (_rule(category="politics"), "bad_rule): unknown category"),
    (_rule(groups=[{"name": "a", "cues": ["兼职"]}]), "2 to 4 groups"),
    (_rule(groups=[{"name": "a", "cues": []}, {"name": "b", "cues": ["x"]}]), "non-empty list"),
    (_rule(groups=[{"name": "a", "cues": ["💰💰"]}, {"name": "b", "cues": ["x"]}]), "no letter or digit"),
    (_rule(groups=[{"name": "a", "cues": ["赚{m}"]}, {"name": "b", "cues": ["x"]}]), "only placeholder"),
    (_rule(groups=[{"name": "a", "cues": ["@nope"]}, {"name": "b", "cues": ["x"]}]), "unknown cue set"),
    (_rule(groups=[{"name": "a", "cues": ["{n}"]}, {"name": "b", "cues": ["x"]}]), "digits only"),
    (_rule(groups=[{"name": "a", "cues": ["{id}"]}, {"name": "b", "cues": ["x"]}]), "digits only"),
    (_rule(window=0), "'window'"),
    (_rule(min_groups=5), "'min_groups'"),
    (_rule(severity="high"), "'severity'"),
    (_rule(why=""), "'why'"),
    (_rule(extra=1), "unknown field"),
    (_file(rules=[GOOD_RULE, GOOD_RULE]), "two rules share a name"),
])
def test_malformed_file_is_refused_and_old_rules_stay(
    shipped_filter: TextFilter, tmp_path: Path, doc: object, message: str
) -> None:
    tf = TextFilter(list(shipped_filter.packs))
    before = tf.combos
    (tmp_path / "good.json").write_text(json.dumps(_file(name="good")), encoding="utf-8")
    (tmp_path / "bad.json").write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    with pytest.raises(ComboError) as err:
        tf.reload_combos(tmp_path)
    assert message in str(err.value)
    assert "bad" in str(err.value)  # names the file (or the rule) at fault
    assert tf.combos is before
    assert "combo:fraud:parttime_task_scam" in combo_rules(tf, FIRES[0][1])


def test_reload_replaces_rules(shipped_filter: TextFilter, tmp_path: Path) -> None:
    tf = TextFilter(list(shipped_filter.packs))
    (tmp_path / "mine.json").write_text(json.dumps(_file(name="mine")), encoding="utf-8")
    assert tf.reload_combos(tmp_path) == {"mine": tf.combos.files[0].label}
    assert combo_rules(tf, "周末兼职，工资日结") == ["combo:mine:ok_rule"]
    assert combo_rules(tf, FIRES[0][1]) == []
    for bad in (tmp_path / "missing", tmp_path / "mine.json"):
        with pytest.raises(ComboError):
            tf.reload_combos(bad)


def test_latin_cues_match_whole_words(normalizer, segmenter) -> None:  # noqa: ANN001
    doc = _file(rules=[{**GOOD_RULE, "groups": [{"name": "a", "cues": ["win"]}, {"name": "b", "cues": ["cash*"]}]}])
    from filters.combo_rules import parse_file

    m = ComboMatcher([parse_file(doc, "tt")], normalizer, segmenter)
    assert [h.rule.name for h in m.find(Views("WIN cashback now", normalizer))] == ["rr"]
    assert m.find(Views("a winter of cash", normalizer)) == []  # "win" inside "winter"
    assert m.find(Views("twin cash", normalizer)) == []


def test_a_matching_error_fails_closed(shipped_filter: TextFilter, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    tf = TextFilter(list(shipped_filter.packs))

    def broken(views: object, allowed: object = None) -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr(tf.combos, "find", broken)
    v = tf.check("今天天气很好")
    assert v.action == "block"
    assert tf.check("今天天气很好", FilterPolicy(allow_words=("天气",))).action == "block"  # allow words too
    assert {r.rule for r in v.reasons} == {"combo:unchecked"}
    assert set(v.categories) == {"bullying", "fraud", "gambling", "grooming", "self_harm", "sexual"}
    tf.check("再来一句")
    assert [r.message for r in caplog.records if r.name == "kidsafe.combos"].count(
        "co-occurrence rules failed (RuntimeError: boom); texts they cannot check are treated as hits") == 1


# --- a parent's allow words -------------------------------------------------------------------

FAN_MEETING = "周六一起去看《我们的秘密》的粉丝见面会吧"  # a TV drama's title holds a secrecy cue


def test_an_allow_word_covering_a_cue_stands_the_rule_down(shipped_filter: TextFilter) -> None:
    rule = "combo:grooming:secrecy_and_contact_zh"
    assert combo_rules(shipped_filter, FAN_MEETING) == [rule]  # without the allow word it fires
    allow = FilterPolicy(allow_words=("我们的秘密",))
    assert combo_rules(shipped_filter, FAN_MEETING, allow) == []
    assert shipped_filter.check(FAN_MEETING, allow).action == "allow"
    # a shorter allow word does not cover the longer cue; an allowed title does not excuse other cues
    assert combo_rules(shipped_filter, FAN_MEETING, FilterPolicy(allow_words=("秘密",))) == [rule]
    assert combo_rules(shipped_filter, "这是我们俩的小秘密，周六我开车来接你放学", allow) == [rule]


def test_allow_word_semantics_cue_by_cue(normalizer, segmenter) -> None:  # noqa: ANN001
    from filters.combo_rules import parse_file

    doc = _file(rules=[{**GOOD_RULE, "groups": [{"name": "a", "cues": ["兼职"]}, {"name": "b", "cues": ["日结"]}],
                        "unless": ["警惕"]}])
    m = ComboMatcher([parse_file(doc, "tt")], normalizer, segmenter)

    def fires(text: str, *allow: str) -> bool:
        return bool(m.find(Views(text, normalizer), m.allowed(allow)))

    assert fires("周末兼职，工资日结")
    assert not fires("周末兼职，工资日结", "周末兼职")  # the only job cue lies inside an allowed word
    assert not fires("周末兼职，工资日结", "ＷＯＲＫ", "工资日结")  # allow words are folded like the text
    assert fires("周末兼职，工资日结，还有学生兼职", "周末兼职")  # another job cue still counts
    assert fires("周末兼职，工资日结", "兼")  # a cue longer than the allowed word always counts
    assert fires("周末兼职，工资日结", "兼职社团")  # the allowed word must occur around the cue
    assert not fires("警惕周末兼职，工资日结")
    assert not fires("警惕周末兼职，工资日结", "警惕周末")  # an allow word never lifts an `unless` veto


def test_a_matching_error_fails_closed_in_batches(shipped_filter: TextFilter, monkeypatch: pytest.MonkeyPatch) -> None:
    """check_many, like check(), runs the rules on every text of a batch: while the rule matcher is broken
    each text is blocked as combo:unchecked (the batch pre-screen that let cue-less texts skip the rules
    was taken out again, see README "Speed")."""
    tf = TextFilter(list(shipped_filter.packs))

    def broken(views: object, allowed: object = None) -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr(tf.combos, "find", broken)
    cued, plain = tf.check_many(["周末兼职，工资日结，加微信", "今天天气很好"])
    assert cued.action == "block" and "combo:unchecked" in {r.rule for r in cued.reasons}
    assert plain.action == "block" and "combo:unchecked" in {r.rule for r in plain.reasons}
