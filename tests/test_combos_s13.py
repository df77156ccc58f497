"""Session-13 co-occurrence rules, written from definitions of a kind of harm (never from a data set's
rows) so that they hold on text nobody here read. Chinese job-scam adverts as the National Anti-Fraud
Center describes them (刷单返利 / 兼职诈骗: '高薪、轻松、日结'): a pay figure per hour, day, night, month or
order next to any part of the pitch (`pay_rate_pitch_zh`), and a side or home job, also in sound-alike
spellings, next to the pitch (`side_job_pitch_zh`), free coaching or no outlay (免费带, 不收你一分钱)
next to the pitch (`free_coaching_pitch_zh`), and a stock account or group with a commission deal or a contact
(`stock_tip_contact_zh`, now any two of its three groups). Every phrasing was written for this test; prices,
dosages, homework, real school jobs, a parent's side job and a child asking whether an offer is real stay
quiet.

English scams by kind (FTC consumer advice on parcel, phishing, gift-card, crypto, romance and job scams) and
English self-harm statements without the word suicide (WHO LIVE LIFE / crisis-line warning signs): a parcel
held for a small fee + a link (`parcel_fee_text_en`), an account 'limited' or 'locked' + restore it
(`account_phishing_text`, widened), a gift card's codes asked for or used to pay (`gift_card_payment_en`),
crypto sent to be doubled (`crypto_doubling_en`), a sweetheart who needs money to come
(`romance_money_request_en`), a job that must be paid for first (`upfront_fee_job_en`); hoping not to wake
up, disappearing for good, goodbye 'for good', a means + 'I know where' (three self-harm rules widened).
These phrasings were written after the rules and differ from the drafts they were designed on.

Chinese insults aimed at a person (`you_contempt_zh`; CAC 清朗 网络暴力 descriptions: 侮辱谩骂, likening to animals or
filth, mocking looks or mind): 'you', the poster or 'this person' next to a contempt predicate no word list holds
alone. Pets, farm animals, cartoons, a child told what someone said, handwriting and drawings stay quiet."""

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
    ("fraud:free_coaching_pitch_zh", "不收你一分钱，手机上做任务，当天结"),
    ("fraud:free_coaching_pitch_zh", "零门槛免费带，宝妈也能做，感兴趣的来"),
    ("fraud:stock_tip_contact_zh", "新开股票账户，佣金万一免五，还送交流群"),
    ("fraud:stock_tip_contact_zh", "炒股的兄弟，内部牛股群，想进的滴滴"),
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
    "博物馆周末免费带小朋友参观，感兴趣的家长可以报名",
    "这个游戏零门槛，轻松好玩",
    "新闻说今天股市上涨，很多股民很开心",
    "爸爸在证券公司上班，负责给客户开户",
]

EN_SCAM_FIRES = [
    ("fraud:parcel_fee_text_en",
     "FedEx: your shipment is waiting at the depot, a customs duty of 3.50 is unpaid, pay online today"),
    ("fraud:parcel_fee_text_en",
     "Evri: we missed you. Your parcel needs a redelivery charge, tap here to choose a new date"),
    ("fraud:account_phishing_text", "Your Amazon account has been restricted. Confirm your details to restore access"),
    ("fraud:gift_card_payment_en",
     "You owe a fine of 300 dollars. Pay the fine with iTunes cards and read me the numbers"),
    ("fraud:gift_card_payment_en", "Buy two Amazon gift cards and scratch off the back, then send me the codes"),
    ("fraud:crypto_doubling_en", "Limited giveaway: deposit USDT to the address below and we send double back"),
    ("fraud:romance_money_request_en",
     "Sweetheart I miss you, my visa is stuck and I need 800 for the lawyer, then I can be with you"),
    ("fraud:upfront_fee_job_en",
     "Congratulations, you've been hired for data entry! Please pay the training fee to get your login"),
]

EN_SCAM_QUIET = [
    "The delivery man left the parcel with our neighbour, no fee",
    "Dad paid the customs fee for his camera at the post office counter",
    "I got a Google Play card for Christmas and used the code for a game",
    "My cousin sends bitcoin to his friend sometimes, mum thinks it is silly",
    "Honey, the flight lands at six, I love you, see you soon",
    "My brother got a job offer from the supermarket and starts on Monday",
    "Remember that a real job never asks you to pay for training",
]

EN_SELF_HARM_FIRES = [
    ("self_harm:wish_not_to_exist_en", "Every night I am hoping I won't wake up"),
    ("self_harm:wish_not_to_exist_en", "I want to disappear for good and stop being a problem"),
    ("self_harm:goodbye_arrangements_en", "I wanted to say goodbye to you all, I am leaving for good"),
    ("self_harm:method_and_intent_en", "I have the razor blade hidden and I know where I will be alone"),
]

EN_SELF_HARM_QUIET = [
    "I hope I wake up in time for the football match",
    "Our neighbours are moving away for good, we went to say goodbye",
    "The rabbit in the magic show disappeared for good, we never saw it again",
    "Dad keeps the razor in the bathroom cabinet, I know where it is",
]

ABUSE_YOU_FIRES = [
    ("bullying:you_contempt_zh", "你在评论区狗叫个不停"),
    ("bullying:you_contempt_zh", "你这个丑八怪还好意思发自拍"),
    ("bullying:you_contempt_zh", "你算什么东西，也配跟我说话"),
    ("bullying:you_contempt_zh", "这货又在乱吠了"),
    ("bullying:you_contempt_zh", "博主怕是大脑发育不全"),
]

ABUSE_YOU_QUIET = [
    "你家的小狗叫什么名字",
    "你看，农场里的猪在睡觉",
    "有人说你长得真丑，别理他们，你很好看",
    "你的字写得真丑，要多练练",
    "小猪佩奇里的猪爸爸真好玩",
]


@pytest.mark.parametrize(("fires", "quiet"), [(JOB_AD_FIRES, JOB_AD_QUIET), (EN_SCAM_FIRES, EN_SCAM_QUIET),
                                                (EN_SELF_HARM_FIRES, EN_SELF_HARM_QUIET),
                                                (ABUSE_YOU_FIRES, ABUSE_YOU_QUIET)],
                         ids=["job_ads_zh", "scams_en", "self_harm_en", "abuse_you_zh"])
def test_session13_rules_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
