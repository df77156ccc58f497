"""Session-7 co-occurrence rules for the general shape of scam scripts (who is impersonated + the ask),
implicit group hate, and English self-harm and bullying phrasings. Each rule fires on phrasings written
for this test from the public descriptions the rule files cite (never eval rows), and near-miss ordinary
sentences (a child's message, a real notice, anti-fraud advice, news) stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import missed, noisy, not_blocked

from filters.engine import TextFilter

FIRES = [
    # fraud, zh: relatives in trouble, fake boss / teacher, customer service, loans, fake officials
    ("fraud:relative_in_trouble_zh",
     "奶奶，我是你孙子，我和人打架了，现在在派出所，要赔钱才能出来，你快给我转点钱"),
    ("fraud:relative_in_trouble_zh",
     "我是你的老同学，我在国外机票尾款付不了，卡被限额了，你先帮我转一下钱，回国马上还你"),
    ("fraud:intro_emergency_money_zh",
     "我是小刘啊，我朋友出了车祸在医院，急需手术费，我的卡余额不足，你能不能先借我五千"),
    ("fraud:meal_order_proxy_purchase_zh",
     "您好，我是实验中学的王主任，我们下周想在您店里订餐十桌，另外需要您帮忙代购二十箱白酒，我把供应商的微信推给您"),
    ("fraud:boss_money_favor_zh",
     "我是你们单位的李局长，现在在开会不方便，急需一笔钱，你先帮我垫付一下，我明天就还给你"),
    ("fraud:service_unsolicited_problem_zh",
     "您好，这里是某宝官方客服，我们发现您误开通了代理商服务，每月会自动扣费，请下载会议软件屏幕共享，我们帮您取消"),
    ("fraud:loan_agent_offer_zh",
     "您好，我是某某消费金融的信贷专员，您的信用记录良好，可以申请低息贷款，请添加我们的微信办理"),
    ("fraud:fake_authority_case_zh",
     "您好，这里是市公安局，您的身份证被他人盗用，涉嫌一起洗钱案件，请下载我们指定的app配合调查"),
    ("fraud:company_account_inspection_zh",
     "我是银行的客户经理，贵公司的对公账户需要年检，请添加我的qq号办理"),
    ("fraud:teacher_fee_private_zh",
     "你好，我是你孩子学校的刘主任，孩子报了补课班还没交培训费，你直接转账给我就行，我给你个银行账号"),
    ("fraud:kin_trouble_money_zh", "外婆，我跟人打架了，警察说可以私了，你能不能先给我转三千块"),
    ("fraud:pay_for_me_excuse_zh", "我微信被限制消费了，还有个订单没付尾款，你能先帮我付一下吗，回头还你"),
    ("fraud:school_report_link_zh", "家长您好，这是您孩子本学期的在校表现和成绩报告，请点击链接查看"),
    ("fraud:health_office_case_zh",
     "您好，我是疾控中心的工作人员，您的健康码和一名确诊病例有时空交集，现在把电话给您转接到公安局"),
    # group hate without a slur: a group called vermin / subhuman right next to its name
    ("hate:group_degrading_predicate_zh", "外地人是寄生虫，抢我们的饭碗"),
    ("hate:group_degrading_predicate_zh", "那些外国人就是低等人"),
    # English self-harm statements (988 Lifeline / NIMH / Samaritans warning signs)
    ("self_harm:unworthy_of_life_en", "I don't deserve to live"),
    ("self_harm:unworthy_of_life_en", "honestly I hate being alive"),
    ("self_harm:wont_be_around_en", "you won't have to worry about me much longer"),
    ("self_harm:want_it_over_en", "I can't take it anymore, I want it all to be over"),
    ("self_harm:dying_thoughts_en", "sometimes I think about not being alive"),
    ("self_harm:better_off_without_me_en", "everyone would be happier if I never existed"),
    # English bullying that urges a child to die
    ("bullying:urge_to_die_en", "you should just die"),
    ("bullying:urge_to_die_en", "do everyone a favour and disappear forever"),
    ("bullying:nobody_would_miss_you_en", "nobody would miss you if you died"),
    ("bullying:nobody_would_miss_you_en", "no one would care if you were dead"),
    ("bullying:better_without_you_en", "the world would be better without you"),
]

QUIET = [
    "我是你的同学小明，我生病住院了，你能帮我把作业带来吗",
    "我是班主任，明天开家长会，请家长准时参加",
    "我是你表哥，下周来你家吃饭",
    "我是客服小美，您的快递已签收，如有问题可以联系我们",
    "民警提醒：公安机关不会让你下载app配合调查，更没有安全账户",
    "新闻：一男子冒充孙子给老人打电话，说在派出所需要赔钱，老人转账后发现被骗",
    "据报道，骗子打电话说：奶奶，我是你孙子，我打架了在派出所，要赔钱，快转钱给我。老人转账后才知道是骗局",
    "妈妈说如果有人说是我同学急需用钱让我转账，一定要先问爸爸妈妈",
    "我是班长，明天春游要交五十元，请大家转给生活委员",
    "我们全家去饭店聚餐，爸爸订了一桌，还买了一瓶白酒",
    "爸爸说银行的贷款利率降低了，我们家的房贷少了一点",
    "警察叔叔说，你的身份证千万不要借给别人，不然可能被冒用",
    "客服说退款会原路退回，不需要转账",
    "警察叔叔说，有人冒用别人的身份证办银行卡是违法的",
    "我爸爸是警察，他今天在开视频会议讨论一个案件",
    "老师说疾控中心的人来学校讲防疫知识，让我们下载健康码app",
    "表哥和别人打架被警察带走了，姑姑去派出所交了罚款",
    "奶奶，我和同学打架了，老师叫了家长，你别告诉妈妈好吗",
    "我手机坏了，你帮我买个新的吧，我用零花钱还你",
    "我是班主任，请家长明天把资料费交给我，我会给收据",
    "家长您好，本次考试成绩单请在学校公众号查询",
    "居里夫人是第一位获得诺贝尔奖的女性",
    "非洲有五十多个国家",
    "说外地人是寄生虫是一种偏见",
    "很多外国人喜欢吃中国菜",
    "白人和黑人都是人，应该平等相待",
    "I could die of embarrassment",
    "I could just die waiting for you, grandpa!",
    "I'd rather die than eat broccoli lol",
    "I'd rather be dead than wear that hat",
    "I won't be here tomorrow, we're going to grandma's",
    "you won't see me at school until Monday",
    "I want this test to be over",
    "I think about dying sometimes since my grandpa passed away, is that normal?",
    "go hang your coat on the hook",
    "the plant will die without water",
    "nobody would miss the old bus stop",
    "everyone will miss you when you move to Canada",
    "the team is better off without you on the bench today",
    "someone told me to go die, should I tell my teacher?",
]



def test_scripts_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    found = {"missed": missed(shipped_filter, FIRES), "not blocked": not_blocked(shipped_filter, FIRES),
             "near misses fired": noisy(shipped_filter, QUIET)}
    assert found == {"missed": [], "not blocked": [], "near misses fired": []}
