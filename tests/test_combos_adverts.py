"""Session-9 co-occurrence rules: adverts and recruitment with contact cues, the way spam writes them.
Sex-trade adverts and solicitations (porn_service.json: a paid service with a girl's description and a
price or contact, self-made recordings or worn underwear for sale, 'master/slave' recruitment, 'can we
play sexy' invitations), gambling link spam (a bare site address next to a platform's lures, a betting
game next to a sound-alike contact such as 企鹅 or 扣1) and black-market task or income recruitment in
its slang (代发, 抄小说, 刷子, 一小时五百 + 丝我 / 加薇). Scam scripts (fraud.json): refunds of a child's
game top-ups 'guaranteed', invoices issued for a tax point, 'customer service' threatening the credit
record, a relative abroad paying a ticket through an airline 'manager', 'pay this person's WeChat', a
red packet to grease a leader, a 'past partner' asking for the goods money. Every phrasing was
written for this test from the public descriptions the rule files cite (never eval rows); poems,
shivering in the cold, flavoured yoghurt, a lost dog, a class election, a delayed flight, anti-fraud
warnings, refunds through official channels and shop talk stay quiet."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

ADVERT_FIRES = [
    # sex trade
    ("porn_service:sex_service_offer_zh", "周末有空吗，同城可约，学生妹，加薇详聊"),
    ("porn_service:sex_service_booking_zh", "包夜一千二，随时可约，有意加v"),
    ("porn_service:sex_content_trade_zh", "高价收女生穿过的袜子，私我"),
    ("porn_service:sex_content_trade_zh", "出自录视频，十块一个，要的加我"),
    ("porn_service:bdsm_recruit_zh", "收一个听话的女m，会网调的私"),
    ("porn_service:play_sexy_invite_zh", "姐姐可以涩涩吗"),
    ("porn_service:play_sexy_invite_zh", "找个色搭子，加我"),
    ("porn_service:play_sexy_invite_zh", "有没有想要瑟瑟的女生"),
    # gambling link spam and sound-alike contacts
    ("gambling:gambling_site_lure_zh", "浏览器打开 kk88.top 新人大水"),
    ("gambling:gambling_site_lure_zh", "认准 ab12点cc 注册送88"),
    ("gambling:gambling_game_contact_zh", "牛牛有局，加企鹅"),
    ("gambling:gambling_game_contact_zh", "新澳彩资料，扣1拉你进裙"),
    ("gambling:spam_site_browser_zh", "复制到浏览器打开 ab38.top 有惊喜"),
    # black-market tasks and income in their slang
    ("black_market:online_task_invite_zh", "抄小说赚零花钱，感兴趣私我"),
    ("black_market:online_task_invite_zh", "万人鱼塘补单主持，需要的加我"),
    ("black_market:income_per_time_recruit_zh", "一小时五百，有意私我"),
    ("black_market:income_per_time_recruit_zh", "日收入四位数，宝妈学生都能做，加v"),
    ("black_market:income_per_time_recruit_zh", "一个小时八百，下课秒结"),
    ("black_market:project_lure_zh", "最新零撸项目，每天提现秒到账，全程免费带"),
]

SCRIPT_FIRES = [
    # refunds of a child's game top-ups, invoices, customer service and the credit record
    ("fraud:minor_refund_service_zh", "孩子玩游戏充了钱？专业办理未成年退款，成功后收费"),
    ("fraud:minor_refund_service_zh", "王者荣耀充值退回，不成功不收费，加v"),
    ("fraud:invoice_issuing_zh", "本公司可代开增值税发票，点数优惠，加微信"),
    ("fraud:service_credit_threat_zh", "您好，我是抖音客服，您开通了直播会员，每月扣费八百，不取消会影响征信"),
    ("fraud:service_agent_binding_zh", "我是快手客服，因工作人员失误，您被误设为代理商，每月扣费八百，需要解除"),
    # who is claimed + the hand-off or the ask
    ("fraud:flight_ticket_proxy_pay_zh", "哥，我在国外签证失效了，网络受限，你帮我联系东航的王经理付一下机票尾款"),
    ("fraud:pay_to_their_contact_zh", "你加一下这个负责人的微信，把钱直接转给他就行"),
    ("fraud:bribe_red_packet_zh", "我是你领导，上面有人要打点，你先转两万红包给我"),
    ("fraud:goods_payment_claim_zh", "我是之前和你合作的老刘，这批货已经发了，你把货款打到这个账号"),
    ("fraud:rent_to_other_account_zh", "我是房东，换了新号，这个月房租直接转到我爱人的账户上"),
    ("fraud:fee_refund_group_zh", "同学你好，我是学院辅导员，你之前交的考试报名费可以退费了，请加入这个qq群办理"),
    ("fraud:kin_trouble_money_zh", "奶奶，我在国外碰到个碰瓷的外国人，他不让我走，你转两千过来"),
    # investment and loan adverts with a private contact
    ("fraud:stock_tip_contact_zh", "带你炒股，每月稳赚二十个点，先盈后付，加v详聊"),
    ("fraud:loan_contact_offer_zh", "黑户白户都能做，不看征信，当天下款，需要的私我"),
]

SCRIPT_QUIET = [
    "妈妈说游戏充值要经过她同意",
    "孩子偷偷充了游戏，家长可以通过官方客服申请退款",
    "这件衣服有质量问题，客服同意退款了，原路退回",
    "公司财务开具发票需要提供税号",
    "税务局提醒：代开发票是违法的，不要相信",
    "信用卡中心提醒您按时还款，逾期还款会影响征信",
    "我哥哥在国外留学，下个月坐飞机回国",
    "我是第一次住这家酒店，晚上的航班，值班经理帮我叫了车",
    "爸爸的领导过生日，爸爸送了一个红包",
    "快递已经发货了，请注意查收",
    "老师说把班费交给生活委员，加一下她的微信",
    "房东说房租可以转到他的账户，我们签了合同",
    "学校财务处通知：报名费原路退回",
    "快手客服提醒：会员到期后会自动扣费，可以在设置中关闭",
    "爸爸在看股票，说今天涨停了，想找人聊聊",
    "妈妈说银行贷款要去营业网点办理",
    "奶奶，我在学校和同学起了冲突，老师已经处理好了",
]

ADVERT_QUIET = [
    # warnings and a child asking
    "警惕刷单返利",
    "有人加我说抄小说一天赚三百，是不是骗子？",
    "有人私信我说可以涩涩吗，我好害怕，要告诉妈妈吗",
    "新闻说警方打掉了一个同城约的卖淫团伙",
    # poems, cold weather, food
    "秋风瑟瑟，我和弟弟一起回家",
    "冷得瑟瑟发抖，姐姐快来抱抱我",
    "形形色色的人来来往往",
    "妈妈说原味酸奶比草莓味的好喝",
    "这家快餐店一份套餐二十元，味道还行",
    "我要买原味薯片，你要不要",
    # services, pets, school, travel
    "快递员说可以上门取件，加个微信方便联系",
    "空调坏了，师傅说可以上门维修，一次五十元",
    "小狗走丢了，找主人，联系电话在下面",
    "我家小狗很听话，主人叫它坐下它就坐下",
    "我们班要投票选班长，有兴趣的同学联系我",
    "主持人说晚会七点开始，大家快来",
    "爸爸坐飞机出差，三个小时就到了",
    "爸爸一小时能跑十公里",
    "这个摄像头有一百三十万像素，qq视频很清楚",
    # commerce, lotteries, games
    "这家店支持一件代发，全国包邮",
    "爸爸的工资是银行代发的",
    "这期双色球的开奖结果出来了，爷爷没中",
    "过年的时候爷爷奶奶在家打麻将，我在旁边看",
    "官网 www.example.com 新人注册有优惠券",
    "老师让我们用浏览器打开学校官网查成绩",
    "The voice came from https://github.com/espeak-ng/espeak-ng",
    "我喜欢秋天，秋风瑟瑟很凉快",
    "这个项目组的科研项目很赚钱，经理说下个月发奖金",
]


@pytest.mark.parametrize(("fires", "quiet"), [(ADVERT_FIRES, ADVERT_QUIET), (SCRIPT_FIRES, SCRIPT_QUIET)],
                         ids=["adverts_with_contacts", "scam_scripts"])
def test_advert_phrasings_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
