"""Session-13 co-occurrence rules, written from definitions of a kind of harm (never from a data set's
rows) so that they hold on text nobody here read. Chinese job-scam adverts as the National Anti-Fraud
Center describes them (刷单返利 / 兼职诈骗: '高薪、轻松、日结'): a pay figure per hour, day, night, month or
order next to any part of the pitch (`pay_rate_pitch_zh`), and a side or home job, also in sound-alike
spellings, next to the pitch (`side_job_pitch_zh`). Every phrasing was written for this test; prices,
dosages, homework, real school jobs, a parent's side job and a child asking whether an offer is real stay
quiet."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

JOB_AD_FIRES = [
    ("fraud:pay_rate_pitch_zh", "在家用手机就能做，一小时一百五，日结"),
    ("fraud:pay_rate_pitch_zh", "每天两百到三百，时间自由，有意者私我"),
    ("fraud:pay_rate_pitch_zh", "月入过万不是梦，想赚的加我"),
    ("fraud:pay_rate_pitch_zh", "一单三十，秒结，宝妈上班族都可以"),
    ("fraud:side_job_pitch_zh", "居家副业，动动手指就有收入，了解下"),
    ("fraud:side_job_pitch_zh", "学生兼职，一部手机就能做，包教包会"),
    ("fraud:side_job_pitch_zh", "煎职来一个，想做的来"),
]

JOB_AD_QUIET = [
    "妈妈的公司在招兼职会计，需要有会计证",
    "网上说有兼职一天三百，是真的吗",
    "学校图书馆招学生兼职，一小时十五元",
    "停车场一小时五元，很方便",
    "这家酒店一晚三百，早餐很好吃，下次还来",
    "每天三次，每次两片，饭后服用",
    "爸爸说他的副业是写书，一个月能多挣一点",
    "我每天练琴一小时，轻松多了",
    "一天背20个单词，很轻松",
    "姐姐做家教，一小时一百，妈妈说很辛苦",
]


@pytest.mark.parametrize(("fires", "quiet"), [(JOB_AD_FIRES, JOB_AD_QUIET)], ids=["job_ads_zh"])
def test_session13_rules_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
