"""Session-17 co-occurrence rule semantics and rules, each checked with phrasings written for this test (never a
measured row).

A group's `except` phrases (filters/combo_window.py `drop_excepted`): a cue of the group that lies entirely inside one
of them does not count for that group, and nothing else changes. hate.json's group words use it for a person
called 郭楠 (cue set named_person_zh): before, named_person_zh was an `unless` and stood the whole rule down, so a
group named in the same sentence as that person went unflagged (郭楠说河南人都是骗子)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.combo_rules import ComboError, read_dir
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Normalizer, Views
from filters.segment import Segmenter


def _doc(who: dict) -> dict:
    return {"schema": 1, "name": "demo", "version": "1", "description": "t", "provenance": "t", "license": "t",
            "rules": [{"name": "r", "category": "bullying", "severity": 2, "why": "t", "window": 12,
                       "groups": [who, {"name": "bad", "cues": ["都是骗子"]}]}]}


def _matcher(tmp_path: Path, who: dict) -> ComboMatcher:
    (tmp_path / "demo.json").write_text(json.dumps(_doc(who), ensure_ascii=False), encoding="utf-8")
    return ComboMatcher.load(tmp_path, normalizer=Normalizer(), segmenter=Segmenter())


def _fires(m: ComboMatcher, text: str) -> bool:
    return bool(m.find(Views(text, m._norm)))


WHO = {"name": "who", "cues": ["郭楠", "河南人"], "except": ["郭楠说"]}


def test_an_except_phrase_drops_only_the_cue_inside_it(tmp_path: Path) -> None:
    """郭楠 inside 郭楠说 is no group cue, so 郭楠说他们都是骗子 stays quiet, while another cue of the same group
    (河南人) next to the person still fires the rule, and 郭楠 elsewhere still counts."""
    m = _matcher(tmp_path, WHO)
    assert not _fires(m, "郭楠说他们都是骗子")
    assert _fires(m, "郭楠说河南人都是骗子")
    assert _fires(m, "郭楠都是骗子")
    assert _fires(m, "郭楠说郭楠都是骗子")  # the second 郭楠 is not inside the phrase


def test_without_except_the_cue_inside_the_phrase_counts(tmp_path: Path) -> None:
    """The same rule without `except` fires on 郭楠说他们都是骗子: the quiet line above is the field's doing."""
    m = _matcher(tmp_path, {"name": "who", "cues": ["郭楠", "河南人"]})
    assert _fires(m, "郭楠说他们都是骗子")


def test_except_is_validated(tmp_path: Path) -> None:
    """`except` must be a non-empty list of cue strings like `cues`; anything else refuses the file."""
    for bad in ([], "郭楠说", [""], [7]):
        (tmp_path / "demo.json").write_text(json.dumps(_doc({**WHO, "except": bad}), ensure_ascii=False),
                                            encoding="utf-8")
        with pytest.raises(ComboError, match="except"):
            read_dir(tmp_path)


# hate.json 2026.12.01.35: 郭楠 as a person (named_person_zh) drops that mention only. A group named in the same
# sentence still fires; a person with a single act stays quiet; talk that calls the claim wrong (是错的, 是不对的:
# fair_zh) stays quiet, with or without the person (before, only the person's stand-down kept
# 郭楠老师说外地人都是骗子是错的 quiet).
PERSON_FIRES = [
    ("hate:group_all_degrading_zh", "郭楠说河南人都是骗子"),
    ("hate:group_all_degrading_zh", "我同学郭楠说黑人都是垃圾"),
    ("hate:group_death_or_expulsion_zh", "郭楠今天说外地人都该滚出去"),
    ("hate:group_all_degrading_zh", "郭楠都是垃圾"),
]

PERSON_QUIET = [
    "郭楠说他们都是骗子",
    "郭楠昨天骂我是垃圾",
    "叫郭楠的那个人都是骗人的",
    "郭楠老师说外地人都是骗子是错的",
    "老师说外地人都是骗子是错的",
    "说外地人都是骗子是不对的",
]


def test_a_person_called_guonan_stands_down_that_mention_not_the_rule(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, PERSON_FIRES, PERSON_QUIET) == NO_PROBLEMS


# fraud.json 2026.12.01.1 (National Anti-Fraud Center: job-scam adverts are 高薪、轻松、日结): a pay rate with only
# a bare 'come' (=来, a word of its own; approximate amounts 800来块 / 300来单, lessons, pages and minutes stand it
# down), and a side job in the sound-alike spellings that dodge filters next to a pay rate (plain 兼职 / 副业 with a
# wage is ordinary talk). black_market.json 2026.12.01.3: a child asking about a holiday job (暑假, 我想去, 靠谱吗)
# stands down income_per_time_recruit_zh.
JOB_FIRES = [
    ("fraud:rate_come_zh", "一小时600来"),
    ("fraud:rate_come_zh", "来，一晚2000"),
    ("fraud:rate_come_zh", "每小时500，来"),
    ("fraud:side_job_rate_zh", "富业一天三百"),
    ("fraud:side_job_rate_zh", "煎职每天200以上"),
    ("fraud:side_job_rate_zh", "搬砖项目日入800"),
]

JOB_QUIET = [
    "他一天800来块",
    "快递员一天300来单",
    "我一个小时后来",
    "钢琴课一小时200，周六来上课",
    "一小时能跑10公里，来比赛吗",
    "一天100来个人来参观",
    "一小时3页，你来试试",
    "每天30分钟，来运动",
    "爸爸一个月8000来",
    "妈妈的副业一天能赚100",
    "暑假兼职一天100，我想去",
    "寒假兼职每天80，靠谱吗",
    "请的小时工来一小时30块，比去年便宜",
    "保洁来一小时45，三个小时打扫完",
]


def test_pay_rate_adverts_fire_while_ordinary_wages_and_times_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, JOB_FIRES, JOB_QUIET) == NO_PROBLEMS


# bullying.json 2026.12.01.16 (CAC 清朗 网络暴力: 侮辱谩骂): the jeer 'VERB your mother' closing on 呢 (装你妈呢,
# with 你马 / 你🐴 / 你爹 for 你妈). Asking where someone's mother is, calling her, and looking for her stay quiet.
# black_market.json 2026.12.01.4 (CAC 清朗 on 网络水军): paid posting at a bare price per piece (抖音发视频一个{n}),
# 商单 as posting work, 代发 in its dy呆 spelling; counts of views, likes and ages stand the price down.
JEER_AND_POSTING_FIRES = [
    ("bullying:jeer_your_mother_zh", "装你妈呢"),
    ("bullying:jeer_your_mother_zh", "急你🐴呢，慢慢来"),
    ("bullying:jeer_your_mother_zh", "你笑你马呢"),
    ("bullying:jeer_your_mother_zh", "狗叫你爹呢"),
    ("black_market:posting_piece_rate_zh", "抖音发视频一个70"),
    ("black_market:online_task_invite_zh", "代发来，一个60"),
    ("black_market:online_task_invite_zh", "dy呆，一单一结"),
    ("black_market:posting_piece_rate_zh", "小红书商单，50一单"),
]

JEER_AND_POSTING_QUIET = [
    "你妈呢？",
    "我在叫你妈妈呢",
    "老师在叫你妈呢",
    "他在找你妈呢",
    "你爸爸呢，你妈呢",
    "装修你妈呢",
    "我在抖音发视频，一个10万播放",
    "我在抖音发视频，一个视频3万个赞",
    "一件代发，一个50",
    "妈妈帮我代发一个快递",
    "我在快手发作品，一个8岁的小朋友",
]


def test_parent_jeers_and_paid_posting_fire_while_family_talk_and_counts_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, JEER_AND_POSTING_FIRES, JEER_AND_POSTING_QUIET) == NO_PROBLEMS


# fraud.json 2026.12.01.3: 'recovery' offers to people who lost money on a platform (National Anti-Fraud Center:
# 追损 / 帮你追回损失 is a second scam): a loss or a blocked withdrawal + 追回 / 退米 / 回本 + a contact. The police,
# advice, sports scores and games stand it down. porn_service.json 2026.12.01.6: 涩 / 瑟 as 色 (好涩, 更涩, 瑟姐姐)
# joins play_sexy_invite_zh's slang (not 涩的: its pinyin se的 is also 色的, a colour); taste, fruit, wine, dry eyes
# and words holding 涩 (苦涩, 晦涩, 羞涩) stand it down.
RECOVERY_AND_SLANG_FIRES = [
    ("fraud:loss_recovery_contact_zh", "平台不让提？加我帮你追回"),
    ("fraud:loss_recovery_contact_zh", "输了的钱找我退米，成功率高"),
    ("porn_service:play_sexy_invite_zh", "好涩，好喜欢"),
    ("porn_service:play_sexy_invite_zh", "想找个瑟姐姐一起聊"),
]

RECOVERY_AND_SLANG_QUIET = [
    "被骗的钱怎么追回？要报警吗",
    "比赛输了，我们一定要追回比分",
    "玩游戏输了，加我好友一起回本",
    "这个柿子好涩，我不喜欢",
    "眼睛好涩，想看书都看不清",
    "我想吃那个涩的李子",
    "北极熊身上长着黑se的毛，我想看看",
    "企鹅身上有深se的皮肤，好喜欢",
    "这首诗好晦涩，我想看译文",
    "我想要涩一点的红酒，爸爸喜欢",
]


def test_loss_recovery_offers_and_se_slang_fire_while_taste_and_scores_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, RECOVERY_AND_SLANG_FIRES, RECOVERY_AND_SLANG_QUIET) == NO_PROBLEMS


# fraud.json 2026.12.01.4: pay_rate_pitch_zh's pitch gains 去不去, 做陪聊 and =私 (私 as a word of its own, never inside
# 私家车 / 私人 / 私下); a park ticket and other outings stand the rate rules down. black_market.json 2026.12.01.5:
# easy_income_recruit_zh's 私 became =私 (私家车一天300 fired). A slash rate ({n}/天, {n}/月) was tried and dropped:
# the fold removes the slash, and 10月 / 3天 in news and reviews fired.
RATE_FIRES = [
    ("fraud:pay_rate_pitch_zh", "一个月五六万，非灰色收入，你去不去？"),
    ("fraud:pay_rate_pitch_zh", "做陪聊吗288一个小时"),
    ("fraud:pay_rate_pitch_zh", "一天500，私"),
]

RATE_QUIET = [
    "明天去公园玩，一天100块门票，你去不去",
    "私家车一天300",
    "家里有需求，爸爸一个月8000",
    "陪聊机器人一个月30元",
    "我尝试了3天，每天私下练习",
    "10月起关税下调，感兴趣的私信",
]


def test_rate_pitches_fire_while_outings_cars_and_dates_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, RATE_FIRES, RATE_QUIET) == NO_PROBLEMS


# bullying.json 2026.12.01.17: parents_dead_jibe_zh's jibes gain 必定 / 肯定是 / 一定是, 这么缺 / 这么穷 and a contempt
# noun after 没父母的 (的吸血虫, 的玩意); pity, help and left-behind children stand it down. gambling.json 2026.12.01.3:
# 红蓝 / 红兰 with 靠谱的 / 靠谱哦 / 线上 as invitations (pencils, colours and 红蓝对抗 stay quiet). porn_service.json
# 2026.12.01.7: porn_bundle_bare_price_zh, a count of videos right next to a small price (15元200个视频); courses,
# children's content, a child's reward and memberships stand it down.
MORE_ZH_FIRES = [
    ("bullying:parents_dead_jibe_zh", "开挂的那必定是没父母的"),
    ("bullying:parents_dead_jibe_zh", "没父母的玩意而已"),
    ("gambling:gambling_invite_zh", "线上红蓝靠谱的"),
    ("porn_service:porn_bundle_bare_price_zh", "20元300个视频"),
    ("porn_service:porn_bundle_bare_price_zh", "两个视频10块"),
]

MORE_ZH_QUIET = [
    "他一定是没父母的孩子，好可怜",
    "留守儿童肯定是没父母陪伴，要多关心",
    "红蓝铅笔靠谱吗",
    "这个红蓝配色的书包靠谱吗",
    "这个网课15元200个视频",
    "会员15元看200个视频",
    "看了3个视频，妈妈给我5块钱奖励",
    "10块钱3个视频的儿歌",
]


def test_more_zh_kinds_fire_while_pity_pencils_and_courses_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, MORE_ZH_FIRES, MORE_ZH_QUIET) == NO_PROBLEMS


# porn_titles.json 2026.12.01.1: 本子 (an adult doujinshi in spam titles) next to that trade's own words (汉化, 无修,
# 全彩, 工口, 绅士, 里番, 禁漫, 18禁, 福利); 本子 alone is a notebook; homework and stationery stand it down.
DOUJIN_FIRES = [
    ("porn_titles:doujin_title_zh", "本子汉化合集"),
    ("porn_titles:doujin_title_zh", "福利本子在线看"),
    ("porn_titles:doujin_title_zh", "工口本子下载"),
]

DOUJIN_QUIET = [
    "我的作业本子用完了",
    "本子推荐",
    "这个本子是全彩的封面，写作业用",
    "妈妈给我买了新本子",
]


def test_doujin_titles_fire_while_notebooks_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, DOUJIN_FIRES, DOUJIN_QUIET) == NO_PROBLEMS


# self_harm.json 2026.12.01.19 (Columbia scale: passive wish to be dead, preparation; 988 warning signs: feeling a
# burden, 'nobody would notice'): four statements the model blocked as 'violence' (its violence_or_self_harm label)
# now carry a self_harm reason, so the device answers them with care: wishing to sleep forever, pills gathered for
# tonight, 'if I died nobody would know', not wanting to be a burden any more. Medicine from a doctor, alarm clocks,
# game secrets and chores stay quiet. self_harm.json 2026.12.01.20: despair_last_day_zh (can't go on + today or
# tomorrow named as the last day); exams, work, homework and training stay quiet.
SELF_HARM_FIRES = [
    ("self_harm:never_wake_zh", "我想永远睡过去"),
    ("self_harm:method_and_intent_zh", "我准备了很多药，今晚就吃"),
    ("self_harm:would_anyone_care_if_gone_zh", "没有人在乎我，我死了也没人知道"),
    ("self_harm:burden_to_others_zh", "我不想再拖累家人了，走了就好了"),
    ("self_harm:despair_last_day_zh", "我撑不住了，明天就是最后一天"),
    ("self_harm:despair_last_day_zh", "真的熬不下去了，今天就是最后一天了"),
]

SELF_HARM_QUIET = [
    "感冒了，医生开了很多药，今晚就吃",
    "我死了也没人知道这个游戏的秘密",
    "我不想再拖累家人，所以自己做作业",
    "奶奶的很多药今晚要吃",
    "我想睡过去，明天早上再起床",
    "我撑不住了，明天就是最后一天考试",
    "熬不下去了，明天就是最后一天上班",
    "受不了了，暑假作业明天就是最后一天",
    "军训好累撑不住了，明天是最后一天",
]


def test_self_harm_statements_get_a_self_harm_reason_while_medicine_and_games_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, SELF_HARM_FIRES, SELF_HARM_QUIET) == NO_PROBLEMS


# tables/emoji_readings.json: + and ＋ are read as 加 in the second reading, as ➕ already was (+我 and 需要的+我 in
# adverts), so the rules see the contact; sums, C++ and scores keep their plus and stay allowed.
PLUS_BLOCKED = ["兄弟 想赚米吗，1000起 +我", "瑟姐姐＋", "想赚米的+我"]
PLUS_ALLOWED = ["1+1等于几？", "我学了C++编程", "语文+数学一共190分", "加油+1", "这道题3+5=8对吗"]


@pytest.mark.parametrize("text", PLUS_BLOCKED)
def test_a_plus_written_for_add_is_read_as_add(shipped_filter: TextFilter, text: str) -> None:
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", PLUS_ALLOWED)
def test_a_plus_in_sums_and_names_stays_allowed(shipped_filter: TextFilter, text: str) -> None:
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]
