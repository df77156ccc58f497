"""Session-11 co-occurrence rules (fraud.json): job, money and loan adverts the way spam writes them.
An hourly or daily income figure next to a bare invitation or a 'two phones' requirement; a side job
(also in sound-alike spellings such as 煎职, 副叶) next to a private contact; 'free, I'll coach you' next to
easy money in the spammers' slang (赚米, 撸羊毛); 米-money slang and 'side-door' income with a contact; a
private lender for anyone; 'watch adverts, cash out' apps; nightlife and hostess recruitment with a pay
figure; a chronic illness 'cured for good' behind a private message. Every phrasing was written for this
test from the public descriptions the rule file cites (never eval rows); a tutor's rate, a running
speed, a child asking about such an offer, anti-fraud advice, bank loans and cooking stay quiet."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("fraud:hourly_income_invite_zh", "兄弟，一个小时六百，做吗"),
    ("fraud:hourly_income_invite_zh", "两个手机就能做，一小时三百多"),
    ("fraud:hourly_income_invite_zh", "一天几百块，懂的来"),
    ("fraud:side_job_private_contact_zh", "宝妈居家兼职，感兴趣的加我"),
    ("fraud:side_job_private_contact_zh", "有个煎职，想做的私我"),
    ("fraud:side_job_private_contact_zh", "学生党也能做的副叶，私我了解"),
    ("fraud:free_coaching_easy_money_zh", "免费带你撸羊毛，一天几十块零花"),
    ("fraud:free_coaching_easy_money_zh", "不用交一分钱，手把手教你赚米"),
    ("fraud:money_slang_contact_zh", "缺米的兄弟看这里，私我"),
    ("fraud:money_slang_contact_zh", "有个偏门路子，想搞快钱的来咨询"),
    ("fraud:private_lender_offer_zh", "私人放款，不收任何前期，需要的加我"),
    ("fraud:private_lender_offer_zh", "无视负债无视逾期，有困难找我"),
    ("fraud:ad_watching_income_app_zh", "每天看几个广告就能提现，全程免费，私信我拉你"),
    ("fraud:nightlife_host_recruit_zh", "会所诚招女生，工资日结，包吃包住，有意私聊"),
    ("fraud:nightlife_host_recruit_zh", "海外直播平台招主播，底薪一万，想赚钱的联系我"),
    ("fraud:miracle_cure_contact_zh", "痛风三个月根治，永不复发，私我"),
]

QUIET = [
    # wages, speeds and prices that are not adverts
    "家教一小时一百五，妈妈说太贵了",
    "爸爸一小时能骑二十公里，快来看",
    "停车一小时十块，我们快来不及了",
    "周末在奶茶店做兼职，老板人很好",
    "姐姐大学放假找了份兼职，每天下午上班",
    # a child asking, anti-fraud advice
    "有人私信我说做兼职一小时五百，是不是骗子？",
    "警惕网络兼职刷单，免费带你赚钱的都是骗局",
    "网上说免费带你赚米，靠谱吗",
    # banks and loans through official channels
    "银行的贷款都要按流程审核，下款前不收任何费用",
    "妈妈说借钱要打借条，按时还",
    # cooking, farming, hospitals
    "大米要先泡一小时再煮",
    "奶奶说今年的米一斤三块",
    "医生说这个病能根治，要按时吃药",
    "在医院挂号后免费治疗，爷爷已经早日康复了",
    # streamers and hobbies
    "我最喜欢的主播今天直播了五个小时",
    "妈妈看广告时说这个手机很好看",
]


@pytest.mark.parametrize(("fires", "quiet"), [(FIRES, QUIET)], ids=["job_money_loan_adverts"])
def test_job_advert_phrasings_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
