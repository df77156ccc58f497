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
warnings, refunds through official channels and shop talk stay quiet.
Session 11: job, money and loan adverts (an hourly income next to a bare invitation or 'two phones', a
side job in sound-alike spelling next to a private contact, 'free coaching' + 米 slang, private lenders,
ad-watching apps, nightlife recruitment, miracle cures, dares with a sum per trip, 'good project' openers,
paid friend-adding, 'state-backed' windfalls, leveraged stock accounts); in English a plan with a date,
standing at an edge, 'do your parents check your phone?', 'clear this chat', 'wrong number' openers."""

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


# session 11: job, money and loan adverts (fraud.json); English plans, probes and openers
JOB_AD_FIRES = [
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
    ("fraud:hourly_income_invite_zh", "一小时三张，长期的来"),
    ("fraud:dare_income_recruit_zh", "走投无路的来，一趟五万，当场结"),
    ("fraud:project_pitch_contact_zh", "在吗？我这有个很好的项目，要不要了解"),
    ("fraud:add_contacts_for_pay_zh", "手机微信加人，通过一个给三块，日结"),
    ("fraud:state_backed_windfall_zh", "国家扶持项目，实名注册即可获得五万个人资产，可提现"),
    ("fraud:stock_tip_contact_zh", "股票配资，十倍杠杆，有需要的私我"),
    ("fraud:wrong_number_befriend_en", "Hello, is this still your number? You seem nice, where are you from?"),
    ("gambling:gambling_brand_signup_zh", "认准开云官网，注册就能玩"),
    ("gambling:gambling_brand_signup_zh", "旺财 ab12c点top 要的私"),
    ("gambling:deposit_match_bonus_zh", "新人存100送100，截图找我"),
    ("gambling:red_packet_mine_group_zh", "有红包扫雷群，想玩的拉你"),
    ("bullying:parents_dead_insult_zh", "就你这样，怕不是父母双亡吧"),
    ("bullying:parents_dead_insult_zh", "你全家死光了才这么说话"),
]

EN_FIRES = [
    ("self_harm:plan_with_date_en", "I've picked the date. Saturday, when everyone is asleep, I'll do it"),
    ("self_harm:plan_with_date_en", "i have a plan now and tomorrow it will all be over"),
    ("self_harm:stood_at_the_edge_en", "I sat on the edge of the roof again last night, thinking about jumping"),
    ("grooming:parent_monitoring_probe_en", "does your dad ever go through your messages?"),
    ("grooming:parent_monitoring_probe_en", "Do your parents know your password or check your chats?"),
    ("grooming:clear_the_chat_en", "delete our messages after you read them, it's our secret"),
]

EN_QUIET = [
    "I have a plan for the science project and I'll do it this weekend",
    "I've decided! Tomorrow I'll do it: I'm going to dye my hair blue",
    "We stood on the bridge for an hour watching the boats",
    "I stood on the roof of the tower last night to see the fireworks",
    "My parents check my phone every night before bed",
    "Do your parents check your phone? Ask them about the apps you use",
    "Clear the browser history every time you use the library computer",
    "Sorry, wrong number, I was trying to text my mom",
]

JOB_AD_QUIET = [
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
    "爸爸说一天一百来块的工作太累了",
    "我们学校有个科研项目，要不要了解一下",
    "爷爷走出村口，兄弟几个一起去赶集",
    "班长在班级群里拉人进群，一个都不能少",
    "新闻说国家补贴要在官网报名领取",
    "爸爸在证券公司开户，说股票有风险",
    "我家小狗叫旺财，今天带它去宠物医院注册了芯片",
    "这支球队问鼎冠军，官网发了新闻",
    "营业厅活动：充100送20话费，新用户专享",
    "我在电脑上玩扫雷，想玩的同学拉你进班级群",
    "听说你父母去世了，节哀，抱抱你",
    "你知道吗，这个故事里的小女孩父母双亡，被奶奶收养了",
    "你的木琴弹得真好听",
    "你看河里漂着一块浮木",
]


@pytest.mark.parametrize(("fires", "quiet"), [(ADVERT_FIRES, ADVERT_QUIET), (SCRIPT_FIRES, SCRIPT_QUIET),
                                            (JOB_AD_FIRES, JOB_AD_QUIET), (EN_FIRES, EN_QUIET)],
                         ids=["adverts_with_contacts", "scam_scripts", "job_money_loan_adverts",
                              "en_plans_probes_openers"])
def test_advert_phrasings_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
