"""Session-8 co-occurrence rules, Chinese phrasings no word list can see. Self-harm statements
without 自杀: a note written, cutting oneself, no will to live, 一死了之, nothing left to hold on to,
wanting to die again and again, an overdose under way, one's existence a mistake, goodbye to the
world, tired of living, life over, wanting to disappear. Scams and recruitment: a claimed identity
asking for money (fake boss, relative, acquaintance), a 'leader' with a gift, secrecy or a hand-off, a
changed payee account, anti-fraud-centre impersonation, black-market recruitment (paid posting, fake
followers, renting bank and phone cards, easy-income offers) and gambling recruitment (a game or a
bonus next to its money mechanics). Each rule fires on phrasings written for this test from the public
descriptions the rule files cite (never eval rows); ordinary complaints (累死了, 笑死我了, 想死你了),
hyperbole, accidents, a child reporting what someone said, anti-fraud advice, real notices and
e-commerce talk stay quiet.

Session 12 (ABUSE_*): Chinese abuse that does not address 你 (bullying.json, hate.json): the
parents-are-dead jibe said about someone else, a person or a crowd called less than human, a crowd called
trash or clowns, a class told to shut one child out, a crowd incited to attack one person online, and a
region's or group's people given a contemptible trait (地域黑), from the kinds the CAC 清朗 网络暴力 campaigns
and the Ministry of Education's bullying guidance name. A child asking for help, sympathy for an orphan, a
teacher saying not to exclude anyone, literal rubbish and circuses, illness and questions about prejudice
stay quiet."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

SELF_HARM_FIRES = [
    # self-harm statements, zh, without 自杀
    ("self_harm:letter_written_zh", "遗书我已经写好了，就压在枕头底下"),
    ("self_harm:cut_myself_zh", "昨天晚上我又拿小刀在手臂上划了几道"),
    ("self_harm:no_will_to_live_zh", "我真的找不到理由继续活下去"),
    ("self_harm:die_to_be_done_zh", "有时候真想一死了之"),
    ("self_harm:nothing_left_to_hold_zh", "这世上已经没有什么值得我留恋的了"),
    ("self_harm:want_to_die_often_zh", "最近我天天都想死，什么都不想做"),
    ("self_harm:pills_taken_zh", "我刚才把一整瓶安眠药都吞了，别救我"),
    ("self_harm:life_is_a_mistake_zh", "我觉得我的存在本身就是一个错误"),
    ("self_harm:goodbye_to_world_zh", "我准备好跟这个世界告别了"),
    ("self_harm:tired_of_living_ending_zh", "活着太累了，只想彻底解脱"),
    ("self_harm:life_ends_here_zh", "我知道我的人生走到尽头了"),
    ("self_harm:want_to_disappear_zh", "我真想永远消失，谁也找不到我"),
    ("self_harm:if_i_were_gone_zh", "如果我走了，不要为我哭"),
    # session 12: a plan and a moment alone, an absence as the sign, hoarded medicine, goodbyes
    ("self_harm:plan_when_alone_zh", "我已经想好怎么做了，就等周末家里没人"),
    ("self_harm:absence_means_gone_zh", "如果明天我没上线，就是我已经不在了"),
    ("self_harm:pills_stockpiled_zh", "药我已经偷偷攒够了，这次不会失败"),
    ("self_harm:farewell_arrangements_zh", "我的猫以后拜托你照顾了，我要去很远的地方，不会回来了"),
    ("self_harm:goodbye_everyone_forever_zh", "今晚就是最后一晚了，大家晚安，永别"),
    ("self_harm:giving_away_belongings_zh", "我的游戏账号送给你了，反正以后用不到了"),
]

SELF_HARM_QUIET = [
    "我已经想好怎么做了，就等周末家里没人的时候给妈妈做个蛋糕",
    "如果明天我没上线，就是我出去旅游了",
    "奶奶攒了好多药，都过期了，要扔掉",
    "谢谢你们这些年的照顾，我要转学了，再见了",
    "我的游戏账号送给你了，我买了新的",
    "累死了，今天作业好多",
    "笑死我了哈哈哈",
    "今天热死了",
    "好想你，想死你了",
    "我写好作文了，放在书包里",
    "爷爷写好了遗嘱，分给了三个儿子",
    "他在小说里写了一封遗书",
    "这部剧里他说我写好遗书了",
    "我不小心用小刀割破了手指",
    "我爸爸的手臂被玻璃划了一道口子",
    "我用美工刀划开了快递箱",
    "我没有勇气上台表演",
    "小鱼没有水就没法活下去",
    "读完这本书，我觉得自己没有理由不好好活下去",
    "他说他想一死了之，我该怎么帮他",
    "我真想一口气把作业写完",
    "这个世界上没有什么值得大惊小怪的",
    "这个世界值得我留恋的东西太多了",
    "离开母校的时候我很留恋",
    "我天天都想你，想死你了",
    "这个人总是想死磕到底",
    "吃了一大把药，感冒终于好了",
    "我吃了一瓶酸奶，等着妈妈回来",
    "你的存在不是一个错误，你很重要",
    "这首歌唱的是和这个世界告别",
    "游戏里我的生命值到头了，复活一下",
    "这学期就到此为止吧，我的人生新篇章要开始了",
    "尴尬得我想原地消失",
    "我好想让作业消失",
    "我好想消失在人群里，安安静静的",
]

SCRIPT_FIRES = [
    # fake boss / acquaintance / relative: who is claimed + the money ask + pressure
    ("fraud:claimed_identity_money_ask_zh", "我是你二舅，我这两天手头有点紧，你先给我转三千应急，下个月一定归还"),
    ("fraud:gift_for_superior_zh", "我是李主任，明天要去给局长送份礼，你先帮我买两条烟，发票我来报销"),
    ("fraud:leader_secret_money_zh", "小周，我是你们王总，这事先别声张，你马上往这个卡号打八万"),
    ("fraud:leader_contact_handoff_zh", "我是公司的赵董事长，你加一下这个微信，是我的助理，他会告诉你把定金付到哪里"),
    ("fraud:account_change_payment_zh", "老板您好，我们原来的账户被冻结了，这次的尾款麻烦转到下面的新账户"),
    ("fraud:relative_in_trouble_zh", "爷爷，我是你孙女，我骑车把别人撞了，对方受伤了要我赔偿，你能不能寄些钱给我"),
    # the anti-fraud centre named by the scammer
    ("fraud:anti_fraud_center_impersonation_zh",
     "你好，我是反诈中心的警官，你的账户被诈骗团伙利用了，马上打开腾讯会议，输入会议号配合调查"),
    ("fraud:anti_fraud_center_impersonation_zh", "这里是反诈专线，为了保护你的钱，请把余额转到我们的监管账户"),
    # black market: platform task + pay, fake engagement, cards and accounts, easy income
    ("black_market:platform_task_for_pay_zh", "视频号发作品，一条二十元，当天结，要做的联系我"),
    ("black_market:engagement_for_sale_zh", "微博买粉，一千活粉十元，24小时自助下单"),
    ("black_market:card_account_rental_zh", "收微信号，实名的，一个给你一百五，当天结算"),
    ("black_market:card_rent_split_zh", "你的支付宝账号能不能租给我用几天，一天五十块"),
    ("black_market:easy_income_recruit_zh", "在家动动手指，每天赚三百，零成本，有兴趣的私我"),
    ("black_market:easy_income_recruit_zh", "在家做副业，日入四位数，不用囤货，想了解的私"),
    ("fraud:service_unsolicited_problem_zh",
     "您好，这里是某某快递客服，您的包裹在运输中弄丢了，我们给您三倍赔偿金，请下载一个名为速赔通的软件办理"),
    # gambling: game + money mechanics, game + contact, sure win, bonus without a game
    ("gambling:gambling_offer_zh", "百家乐新平台，首充送百分之三十彩金，秒提现"),
    ("gambling:gambling_invite_zh", "三公牛牛随时开局，想玩的加我"),
    ("gambling:sure_win_no_loss_zh", "足球赔率内部消息，稳赚不赔，跟着导师下注，进群"),
    ("gambling:gambling_bonus_mechanics_zh", "注册就送58元，返水百分之一，上分下分秒到"),
    # session 12, by fraud type (National Anti-Fraud Center): 刷单返利's first steps, 虚假网络贷款's fee
    # before the loan, 网络游戏产品虚假交易, 裸聊敲诈; a spoken range as an amount (一两百)
    ("fraud:principal_plus_commission_zh", "帮商家做任务，本金加佣金立即返还，新人首单必返"),
    ("fraud:like_screenshot_reward_zh", "关注这个公众号，截图给客服，返你两元红包"),
    ("fraud:loan_fee_before_release_zh", "您申请的贷款已审核通过，请先缴纳保证金才能放款"),
    ("fraud:loan_fee_before_release_zh", "银行卡号填写错误导致资金冻结，需要缴纳解冻金"),
    ("fraud:game_account_trade_zh", "和平精英卖号，先付定金再给你账号密码"),
    ("fraud:game_item_scam", "光遇免费送白蜡烛，只要你让妈妈扫一下这个二维码"),
    ("grooming:sextortion_threat", "视频聊天的录像我已经录下来了，不给我转五千我就发给你通讯录里所有人"),
    ("black_market:income_per_time_recruit_zh", "宝妈在家带娃也能赚，一天一两百，加我"),
]

SCRIPT_QUIET = [
    "贷款需要先交保证金吗？妈妈说正规贷款不会收取任何费用",
    "给我点个赞，截图发我看看",
    "这个游戏号能卖吗？安全吗？",
    "爸爸说理财产品到期会返还本金和收益",
    "我把录像发给你了，是运动会的视频",
    "两三天后我们去公园玩",
    # children and families
    "我是小明，我明天还你十块钱，谢谢你借我买零食",
    "妈妈，我是小红，我想买一本书，你能给我转二十块钱吗",
    "我是班长，明天春游要交五十元，请大家转给生活委员",
    "我是队长，比赛报名费每人二十元，交给我就行",
    "爸爸说过年要给领导送礼，妈妈说不用",
    "我在抖音发了一个视频，有一百个人点赞",
    "我的小红书笔记有五十个赞了",
    "我要涨粉，怎么拍视频更好看",
    "爸爸一小时能跑10公里",
    "我想当一名快递员，一天送一百个快递",
    "世界杯决赛真精彩，我和爸爸一起看的",
    "这期双色球的开奖结果出来了",
    # advice, notices, commerce
    "国家反诈中心提醒：公安机关不会让你屏幕共享，更没有安全账户",
    "请下载国家反诈中心APP，守护你的钱袋子",
    "我爸爸是反诈民警，他说不要把验证码告诉任何人",
    "警察叔叔说出租银行卡是违法的，千万不要借给别人",
    "断卡行动提醒：不要出租出借银行卡和手机卡",
    "我的银行卡丢了，要去银行挂失补办",
    "银行通知：您的账户变更已办理完成",
    "这家店支持一件代发，全国包邮",
    "爸爸的工资是银行代发的",
    "这个平台注册送优惠券，充值返现",
    "爸爸说快递丢失了，客服说会赔偿",
    "这里是顺丰客服，您的包裹因天气原因延误，给您带来不便深表歉意",
    "我每天存十块钱，一年能存三千多，想学的可以问我",
    "那家店出现了质量问题，客服让我拍照片给他们看",
]


ABUSE_FIRES = [  # session 12: abuse that does not address 你
    ("bullying:parents_dead_jibe_zh", "只有没爹没妈的才会这么输不起"),
    ("bullying:parents_dead_jibe_zh", "看他那个样子，跟父母死了一样"),
    ("bullying:parents_dead_jibe_zh", "难怪这么没礼貌，原来是没妈的"),
    ("bullying:dehumanised_third_person_zh", "这种人活着就是浪费空气"),
    ("bullying:dehumanised_third_person_zh", "楼主脑子进水了吧"),
    ("bullying:dehumanised_third_person_zh", "那个人真是猪狗不如"),
    ("bullying:crowd_called_vermin_zh", "评论区这群垃圾能不能闭嘴"),
    ("bullying:crowd_called_vermin_zh", "又是一帮键盘侠在带节奏"),
    ("bullying:classmate_exclusion_zh", "全班都不要跟他玩，谁跟他玩谁就是叛徒"),
    ("bullying:classmate_exclusion_zh", "我们以后都离她远点，她身上一股味"),
    ("bullying:pile_on_incitement_zh", "兄弟们冲她评论区，让她知道厉害"),
    ("bullying:pile_on_incitement_zh", "大家把他挂出来，让全网都认识他"),
    ("hate:group_trait_contempt_zh", "北方人粗鲁得很，跟他们讲不通"),
    ("hate:group_trait_contempt_zh", "乡下人就是抠门，一分钱都不舍得花"),
]

ABUSE_QUIET = [
    "他从小没爹没妈，是奶奶把他带大的，真不容易",
    "我和她一样，也是没妈的孩子",
    "这个人生病了，脑子有问题，需要去医院治疗",
    "老师说不能这么说别人，什么东西都要好好说",
    "这群小朋友在捡垃圾，真棒",
    "马戏团里一群小丑在表演",
    "全班都不跟我玩，我该怎么办",
    "老师说大家不要孤立他，要一起玩",
    "他感冒了，大家离他远点，别被传染",
    "我们不跟他玩游戏了，回家写作业",
    "大家一起去看他的演唱会吧",
    "我被网暴了，他们挂我，我该怎么办",
    "北方人粗鲁吗？其实这是刻板印象",
    "乡下人热情好客，一点都不抠门",
    "上海人排外只是一种错觉",
]


@pytest.mark.parametrize(("fires", "quiet"), [(SELF_HARM_FIRES, SELF_HARM_QUIET), (SCRIPT_FIRES, SCRIPT_QUIET),
                                                (ABUSE_FIRES, ABUSE_QUIET)],
                         ids=["self_harm", "scripts_and_recruitment", "abuse_without_you"])
def test_phrasings_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
