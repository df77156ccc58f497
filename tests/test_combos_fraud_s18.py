"""Session-18 fraud rules (fraud.json 2026.12.01.5 and .6), each checked with phrasings written for this test from the
National Anti-Fraud Center's and the Ministry of Public Security's descriptions of the scam types (never a measured
row): easy_task_income_zh (刷单返利 / 网络兼职: an easy task + an income claim), wage_contact_recruit_zh (高薪招聘:
a big wage + a recruiting call without an employer), bad_credit_loan_lure_zh (虚假网络贷款: debts and credit
history 'ignored'), overseas_stream_income_zh (境外高薪 'live-streaming' jobs), law_threat_add_contact_zh
(冒充公检法: 'you' + 'broke the law' + add us / we come to your door), need_money_offer_zh (跑分 / 帮信
recruitment of the broke: 缺钱的 + 一单一结 / 给你路子; 我缺人 你缺钱), pyramid_recruit_zh (传销: income from
recruiting), and the wider pay-rate cues of pay_rate_pitch_zh and money_slang_contact_zh.

The near misses are what a child, a parent or a newspaper says with the same words: watching dramas, reading
aloud for school, a father's wage, a job fair, the old meaning of 黑户, news and a child asking whether an
advert is real, class rules, a taxi driver's night, and a household's hourly help (请的小时工…)."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("fraud:easy_task_income_zh", "只要会复制粘贴，在家就能赚米，宝妈学生都行"),
    ("fraud:easy_task_income_zh", "动动手指做小任务，每天收入五百不是问题"),
    ("fraud:easy_task_income_zh", "看短剧也能挣钱，试试就知道"),
    ("fraud:easy_task_income_zh", "念稿子就行，一篇120，长期有"),
    ("fraud:wage_contact_recruit_zh", "本人招人，一个月工资三万，想干的联系我"),
    ("fraud:wage_contact_recruit_zh", "找工作吗？底薪8000，没有要求"),
    ("fraud:wage_contact_recruit_zh", "一个月给你两万，要不要跟我干"),
    ("fraud:wage_contact_recruit_zh", "补贴3w，现做现付，正规安全"),
    ("fraud:bad_credit_loan_lure_zh", "黑户照做，无视逾期，额度当天下款"),
    ("fraud:bad_credit_loan_lure_zh", "不看征信，无视负债，急用钱的都能借"),
    ("fraud:overseas_stream_income_zh", "来海外直播吧，月入五万起步"),
    ("fraud:overseas_stream_income_zh", "国外tiktok直播，每个月几万美金，加我"),
    ("fraud:law_threat_add_contact_zh", "您已经违反了相关法律，请立即添加我们的专员处理"),
    ("fraud:law_threat_add_contact_zh", "你涉嫌洗钱，不配合调查明天就上门拘留"),
    ("fraud:pay_rate_pitch_zh", "线下跑腿，一天3k，有需要的来"),
    ("fraud:pay_rate_pitch_zh", "晚上搬货一晚挣五千，带你去"),
    ("fraud:money_slang_contact_zh", "我有路子，一天几q，需要的来"),
    ("fraud:money_slang_contact_zh", "天天返米，直接加"),
    ("fraud:need_money_offer_zh", "急用钱的兄弟看过来，一单一结"),
    ("fraud:need_money_offer_zh", "我缺人，你缺钱，私信聊"),
    ("fraud:pyramid_recruit_zh", "拉的人越多分红越多，快来注册"),
    ("fraud:pyramid_recruit_zh", "发展下线就有提成，躺着收钱"),
    ("fraud:easy_task_income_zh", "人人都可以做，每天收入三百"),
    ("fraud:wage_contact_recruit_zh", "要工作吗？一个月15000，没要求"),
    ("fraud:pay_rate_pitch_zh", "每天轻松几百，宝妈也能做"),
]

QUIET = [
    "请的小时工来一小时30块，比去年便宜",
    "妈妈说追剧不能挣钱，要好好学习",
    "我每天刷视频两个小时，眼睛好累",
    "老师让我们读稿子练普通话，每天10分钟",
    "动动手指给我们点个赞吧",
    "有手机就能看动画片吗？",
    "爸爸的工资一个月八千，妈妈说要存起来",
    "招聘会上有家公司月薪一万，五险一金，签劳动合同",
    "公司招聘前台，月薪五千，五险一金，双休，有意者联系我",
    "爸爸说他的工资5000，有事找我妈妈",
    "奶奶说黑户是指没有户口的人，以前很多",
    "有人说黑户照做下款，这是真的吗？",
    "海外直播带货成为新趋势，记者采访了几位主播",
    "你违反了班规，放学后来找我",
    "同学你违反了比赛规则，请配合裁判",
    "我在线下书店一天看了三本书",
    "叔叔开出租车一晚挣三百，很辛苦",
    "看广告才能继续看视频，好烦",
    "他违反了法律，警察上门把他带走了",
    "谁缺钱的话我可以借你五块",
    "新闻说拉人头发展下线是传销，违法",
    "老师一个月上20节课，联系我报名",
]


def test_session18_fraud_phrasings_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
