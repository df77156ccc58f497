"""Session-10 co-occurrence rules. Chinese self-harm statements without 自杀 (asking whether anyone
would be sad, a note left ready, a near jump, today as the last day, goodbye to everyone for good,
giving belongings away, a method bought or saved with a purpose); generalising hate frames, zh and en
(a group + 都 / 就是 + contempt, a group told to leave or declared unworthy, 'these people are
animals', 'X should be banned / don't belong here'); gambling adverts that give only a brand or a
lure and a QQ / WeChat number (the {id} placeholder: a run of 6-12 digits). Each rule fires on
phrasings written for this test from the public descriptions the rule files cite (never eval rows);
each has near misses (a game death, a martyr's letter, sports, an exhibition's last day, graduation,
outgrown toys, a barbecue; counter-speech and news about discrimination; a class group number, a
hotline) that fire no rule and are allowed by the whole filter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.combo_scan import scan_view
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Views

SELF_HARM_FIRES = [
    ("self_harm:would_anyone_care_if_gone_zh", "要是我死了，会有人伤心吗"),
    ("self_harm:would_anyone_care_if_gone_zh", "我消失了的话有人会想我吗"),
    ("self_harm:note_ready_zh", "遗言写好了，就放在抽屉里"),
    ("self_harm:note_ready_zh", "绝笔信已经写完了"),
    ("self_harm:nearly_jumped_zh", "昨晚在天台站了好久，差一点就跳下去了"),
    ("self_harm:nearly_jumped_zh", "刚才差点就从桥上跳了"),
    ("self_harm:last_day_alive_zh", "今天是我在这个世界上的最后一天"),
    ("self_harm:last_day_alive_zh", "今晚是我活着的最后一晚了"),
    ("self_harm:goodbye_everyone_forever_zh", "跟所有人说再见，这次是永远"),
    ("self_harm:goodbye_everyone_forever_zh", "再见了各位，以后再也不会见到我了"),
    ("self_harm:giving_away_belongings_zh", "我的东西都送人了，反正以后也用不上了"),
    ("self_harm:giving_away_belongings_zh", "我的猫留给你吧，替我照顾好它"),
    ("self_harm:method_obtained_zh", "炭已经买好了，门窗也封好了"),
    ("self_harm:method_obtained_zh", "绳子准备好了，就等今晚"),
]

SELF_HARM_QUIET = [
    "游戏里我死了，会有人来复活我吗",
    "如果我的小狗死了，我会很伤心",
    "这封遗书是一位烈士在就义前写好的",
    "博物馆展出了他写好的遗书",
    "爷爷的遗嘱写好了，放在抽屉里",
    "他吓得差点跳了起来",
    "跳远比赛我差一点就跳到三米了",
    "今天是展览在这个城市的最后一天",
    "假如今天是你在这个世界上的最后一天，你会做什么",
    "毕业了，和大家说再见，永远记得你们",
    "再见了各位，我们下周再见",
    "这些玩具我长大用不上了，都送给弟弟了",
    "周末烧烤，木炭已经买好了",
    "绳子买好了，明天跳绳比赛",
    "给奶奶买了安眠药，医生说要按时吃",
]

HATE_FIRES = [
    ("hate:group_bare_all_contempt_zh", "乡下人就是垃圾"),
    ("hate:group_bare_all_contempt_zh", "基佬全是人渣"),
    ("hate:group_all_degrading_zh", "凡是外地人，十有八九是小偷"),
    ("hate:group_exclusion_zh", "外地人不欢迎，别来我们这里"),
    ("hate:group_exclusion_zh", "非洲人请离开我们小区"),
    ("hate:group_unworthy_zh", "同性恋不配结婚"),
    ("hate:group_unworthy_zh", "乡下人不配读大学"),
    ("hate:these_people_contempt_en", "these people are just animals"),
    ("hate:these_people_contempt_en", "their kind don't belong here"),
    ("hate:group_exclusion_en", "muslims should be banned from this country"),
    ("hate:group_exclusion_en", "immigrants don't belong here"),
    ("hate:group_all_degrading_en", "all those refugees are filthy"),
    ("hate:group_is_degrading_en", "immigrants are violent and lazy"),
]

# counter-speech and news about discrimination stay allowed
HATE_QUIET = [
    "反对地域黑，河南人不都是骗子",
    "说黑人都素质低是种族歧视，这种说法不对",
    "报道称有人喊外国人请离开，警方已介入",
    "谁说女人不配开车？女司机也很厉害",
    "同性恋也配拥有幸福，他们和我们一样",
    "女生都很蠢萌，男生也是",
    "racism is wrong: immigrants are not animals",
    "Saying that these people are animals is racist",
    "Women weren't allowed to vote until 1920",
    "Many immigrants feel they don't belong here at first, teachers can help",
    "these animals are wild, keep them at the zoo",
    "The minister said the bill would change how refugees are sent back",
    "immigrants are not violent, the data show",
]

GAMBLING_FIRES = [
    ("gambling:gambling_contact_number_zh", "恒盛开业，充100送388，玩家联盟q群 87654321"),
    ("gambling:gambling_contact_number_zh", "PG大水，旺旺 90467332"),
    ("gambling:gambling_contact_number_zh", "开云体育首存送彩金，加薇 13800001111"),
]

GAMBLING_QUIET = [
    "彩票站开奖结果请拨打客服热线 95001234 查询",
    "过年和爷爷奶奶打麻将，群号 12345678 是我们家的群",
    "班级群号 87654321，请家长进群看作业",
    "我的qq是 12345678，加我一起玩我的世界",
    "体育课改到周三，老师qq 7654321",
    "恒盛开业，充100送388，详情见门店海报",
]

PORN_FIRES = [
    ("porn_service:porn_content_contact_number_zh", "看片资源 q群 87654321 进群即看"),
    ("porn_service:porn_content_contact_number_zh", "裸聊一对一，加v 13800001111"),
]

PORN_QUIET = [
    "周末一起去电影院看片，票务群 12345678",
    "我的qq 12345678，加我一起写作业",
    "看片会周六开始，报名加群 12345678",
]


@pytest.mark.parametrize(("fires", "quiet"), [(SELF_HARM_FIRES, SELF_HARM_QUIET), (HATE_FIRES, HATE_QUIET),
                                              (GAMBLING_FIRES, GAMBLING_QUIET), (PORN_FIRES, PORN_QUIET)],
                         ids=["self_harm_zh", "hate_frames", "gambling_number", "porn_number"])
def test_rules_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near
    misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS


@pytest.mark.parametrize("quiet", [SELF_HARM_QUIET, HATE_QUIET, GAMBLING_QUIET, PORN_QUIET],
                         ids=["self_harm_zh", "hate_frames", "gambling_number", "porn_number"])
def test_near_misses_are_allowed(shipped_filter: TextFilter, quiet: list[str]) -> None:
    """The near misses are allowed by the whole filter, not only left alone by the rules (a child's own
    QQ number is still redacted as PII: that is the only reason allowed)."""
    flagged = [(t, v.action, [r.rule for r in v.reasons if r.kind != "pii"]) for t in quiet
               if (v := shipped_filter.check(t)).action != "allow"]
    assert [(t, action, rules) for t, action, rules in flagged if action != "redact" or rules] == []


def test_long_numbers_become_a_placeholder_of_their_own() -> None:
    """A QQ, phone or account number (6-12 digits unbroken, or a spaced phone number) scans as "0 0",
    any other number (a range, an amount, 13+ digits) as "0"."""
    assert scan_view(" call 09061234567 now ") == " call 0 0 now "
    assert scan_view(" 加 138 1234 5678 看 ") == " 加 0 0 看 " and scan_view(" 加12345678看 ") == " 加 0 0 看 "
    assert scan_view(" call 0906 123 now ") == " call 0 now "  # 7 digits in short groups
    assert scan_view(" 日赚180 500元 ") == " 日赚 0 元 " and scan_view(" 1234567890123 ") == " 0 "


def test_id_placeholder_matches_only_long_numbers(tmp_path: Path, normalizer, segmenter) -> None:  # noqa: ANN001
    """{id} needs 6-12 digits; {n} keeps matching every number, long ones too, and the span is the
    original text."""
    rule = {"category": "gambling", "severity": 2, "lang": "zh", "why": "t", "window": 30}
    doc = {"schema": 1, "name": "t", "version": "1", "description": "d", "provenance": "p", "license": "l",
           "rules": [{**rule, "name": "long", "groups": [{"name": "a", "cues": ["加{id}", "call {id}"]},
                                                          {"name": "b", "cues": ["看片", "now"]}]},
                     {**rule, "name": "any", "groups": [{"name": "a", "cues": ["加{n}", "call {n}"]},
                                                         {"name": "b", "cues": ["看片", "now"]}]}]}
    (tmp_path / "t.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    m = ComboMatcher.load(tmp_path, normalizer=normalizer, segmenter=segmenter)

    def fired(text: str) -> dict[str, str]:
        return {h.rule.name: h.matched for h in m.find(Views(text, normalizer))}

    assert fired("加138-1234-5678看片") == {"long": "加138-1234-5678看片", "any": "加138-1234-5678看片"}
    assert fired("call 09061234567 now") == {"long": "call 09061234567 now", "any": "call 09061234567 now"}
    assert fired("加3个好友看片") == {"any": "加3个好友看片"}
    assert fired("加 12345 看片") == {"any": "加 12345 看片"}
    assert fired("加1234567890123看片") == {"any": "加1234567890123看片"}  # 13 digits: not an id
