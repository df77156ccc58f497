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
    assert [r.rule for r in v.reasons if r.blocking] == ["combo:fraud:parttime_task_scam"]
    assert v.action == "block" and v.categories == ["fraud"]
    (reason,) = v.reasons
    a, b = reason.span
    assert reason.kind == "lexicon" and reason.view == "fold" and reason.severity == 2
    assert text[a:b] == reason.matched and reason.matched.startswith("学生兼职") and reason.matched.endswith("私聊")
    assert "*" in v.redacted and "一单一结" not in v.redacted
    assert v.to_json()["reasons"][0]["rule"] == "combo:fraud:parttime_task_scam"


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
    assert combo_rules(shipped_filter, "招聘兼职，一单一结，加微信。" + filler) == ["combo:fraud:parttime_task_scam"]


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
        assert all(r["why"] for r in doc["rules"])


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
    assert combo_rules(tf, FIRES[0][1]) == ["combo:fraud:parttime_task_scam"]


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

    def broken(views: object) -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr(tf.combos, "find", broken)
    v = tf.check("今天天气很好")
    assert v.action == "block"
    assert {r.rule for r in v.reasons} == {"combo:unchecked"}
    assert set(v.categories) == {"bullying", "fraud", "grooming", "self_harm", "sexual"}
    tf.check("再来一句")
    assert [r.message for r in caplog.records if r.name == "kidsafe.combos"].count(
        "co-occurrence rules failed (RuntimeError: boom); texts they cannot check are treated as hits") == 1
