"""Session-18 rules for posting-for-hire, fake engagement, gambling adverts and disguised porn (black_market.json
2026.12.01.6, gambling.json 2026.12.01.4, porn_service.json 2026.12.01.9), each checked with phrasings written for
this test (never a measured row), and near misses that must stay quiet.

black_market: a content platform right next to 代发 / 带发 (platform_post_for_hire_zh); a platform, a posting act
and the job's pitch (posting_job_pitch_zh); fake followers, likes or good reviews next to an offer
(engagement_offer_zh). Drop-shipping, a creator's own channel, how-to questions and a parent's doubt stay quiet.
gambling: a sign-up or referral link with a lure (referral_link_lure_zh); two betting games named together
(gambling_games_pair_zh); a platform next to a betting selling point (stakes_platform_zh); a gambling bonus claimed
through the poster's profile (bonus_claim_contact_zh).
porn_service: two porn-site names together (porn_brands_together_zh); 黄油 as an adult game (hgame_ask_zh); 🈷 for
约 next to a girl's description (moon_for_yue_service_zh); bdsm_recruit_zh's role 女狗狗 is no longer stood down
by the pet word inside it.

Later the same session (black_market.json 2026.12.01.7, gambling.json 2026.12.01.5): a platform 'business' sold
with a reseller's pitch (platform_business_sale_zh), typing named as a paid job (typing_money_zh), engagement
orders (点赞评论单) taken (engagement_offer_zh); 'the latest / permanent address' next to a domain ending
(latest_address_site_zh), a win on every draw with an invitation (every_draw_wins_zh), a tipster's streak with a
group to join (tipster_streak_group_zh), 开户就送 + 盈利可提 (gambling_bonus_mechanics_zh).

Third round (porn_service.json 2026.12.01.10, gambling.json 2026.12.01.6, black_market.json 2026.12.01.9): sexual
videos sold with a preview (video_sale_preview_zh), 暗网 material traded (dark_web_content_zh), 母女 / 双飞 in
sex_service_offer_zh's girl group, gambling brands with a contact (gambling_brand_contact_zh), ghostwriting and
stamping of schoolwork for hire (ghostwriting_for_hire_zh).

Fourth (porn_service.json 2026.12.01.11): play_sexy_invite_zh reads the slang as an adjective (涩一点, 瑟一点, 更瑟)
next to a request; fruit, wine, coffee and teeth stand it down, and 涩的 is no cue (it reads 黑se的, a colour).
gambling.json 2026.12.01.7: gambling_games_pair_zh drops 金花 (a name in stories; 炸金花 stays) and stands down on
三公九卿. The same review of children's sentences narrowed: tipster_streak_group_zh (no bare {n}中{n}: 3中2班 is a
school and a class; red flags, classes and teachers stand it down), every_draw_wins_zh (no 期期中: 学期期中),
gambling_brand_contact_zh (no 问鼎, 南宫), latest_address_site_zh (no bare 新网址), referral_link_lure_zh (known
children's games stand it down); black_market.json 2026.12.01.10 engagement_offer_zh (no bare 要粉丝);
porn_service.json 2026.12.01.12 video_sale_preview_zh (a sexual word, not bare selling, next to the preview),
porn_brands_together_zh (no 九一, p站, 黑料, 吃瓜网). A second review (black_market.json 2026.12.01.11,
gambling.json 2026.12.01.8, porn_service.json 2026.12.01.13): questions (了吗), class votes, monthly payments and
'this month' (月付, 这个月), a count of characters per day, Macau tours and punctual cartoons stand the rules down."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

BLACK_FIRES = [
    ("black_market:platform_post_for_hire_zh", "快手代发，懂的来"),
    ("black_market:platform_post_for_hire_zh", "xhs带发笔记"),
    ("black_market:posting_job_pitch_zh", "在小红书发笔记就有钱，不限粉丝"),
    ("black_market:posting_job_pitch_zh", "视频号发作品，提供素材，长期做"),
    ("black_market:engagement_offer_zh", "要不要涨粉，便宜"),
    ("black_market:engagement_offer_zh", "刷好评一条五毛，躺着就能做"),
]

BLACK_QUIET = [
    "我们店支持一件代发，抖音下单就行",
    "我在快手发视频，好多人点赞",
    "怎么在小红书涨粉呀",
    "爸爸说在抖音发视频赚钱是骗人的",
    "这家店好评很多，质量不错",
    "我需要涨粉吗？不需要",
]

GAMBLING_FIRES = [
    ("gambling:referral_link_lure_zh", "好玩的来 https://ab12.example.net/register?invitecode=K9 复制到浏览器"),
    ("gambling:referral_link_lure_zh", "新用户免费领 http://example.org/join/Ab3x"),
    ("gambling:gambling_games_pair_zh", "百家乐 牛牛 都有"),
    ("gambling:stakes_platform_zh", "老平台真人在线，想玩私"),
    ("gambling:bonus_claim_contact_zh", "免费彩金看我主页"),
]

GAMBLING_QUIET = [
    "学校报名请打开 https://www.example.edu.cn/register?invite=1 免费",
    "周末去龙虎山看金花茶",
    "两家公司签了对赌协议，平台估值上涨",
    "澳门的平台上很多游客在拍照",
    "彩票站公布了中奖者，彩金已领取",
    "牛牛和金花是好朋友",
    "三公九卿和牛牛的故事",
]

PORN_FIRES = [
    ("porn_service:porn_brands_together_zh", "麻豆 蜜桃传媒 都有"),
    ("porn_service:hgame_ask_zh", "求个汉化黄油，安卓能玩的"),
    ("porn_service:moon_for_yue_service_zh", "同城美女🈷️➕"),
    ("porn_service:moon_for_yue_service_zh", "学生妹可🈷"),
    ("porn_service:bdsm_recruit_zh", "收女狗狗，私我"),
]

PORN_QUIET = [
    "黄油饼干要先把黄油软化",
    "超市的黄油好贵",
    "糖心蛋和海角的日出",
    "本🈷底发工资，美女们加油",
    "美女老师这个月加班",
    "想收养狗狗吗，小狗狗很可爱",
]


def test_black_market_posting_and_engagement_for_hire(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, BLACK_FIRES, BLACK_QUIET) == NO_PROBLEMS


def test_gambling_links_games_platforms_and_bonuses(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, GAMBLING_FIRES, GAMBLING_QUIET) == NO_PROBLEMS


def test_porn_brands_hgames_moon_for_yue_and_kink_roles(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, PORN_FIRES, PORN_QUIET) == NO_PROBLEMS


LATER_FIRES = [
    ("black_market:platform_business_sale_zh", "快手业务 一手货源 可加盟"),
    ("black_market:typing_money_zh", "会打字就有钱拿"),
    ("black_market:engagement_offer_zh", "点赞单接不接"),
    ("gambling:latest_address_site_zh", "永久网址 kk99点us 收藏好"),
    ("gambling:every_draw_wins_zh", "期期准，免费资料"),
    ("gambling:tipster_streak_group_zh", "大神近10中9，拉你进群跟单"),
    ("gambling:gambling_bonus_mechanics_zh", "开户就送88，盈利可提"),
]

LATER_QUIET = [
    "快手业务员上门安装宽带",
    "打字练习能赚钱吗",
    "学校图书馆最新网址 lib.example.edu.cn",
    "这本杂志期期准时到",
    "路口连红灯，只好等着",
    "我这次考试十中九，进群跟同学说",
]


def test_later_black_market_and_gambling_rules(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, LATER_FIRES, LATER_QUIET) == NO_PROBLEMS


THIRD_FIRES = [
    ("porn_service:video_sale_preview_zh", "反差视频可预览，私"),
    ("porn_service:dark_web_content_zh", "暗网的视频我这都有"),
    ("porn_service:sex_service_offer_zh", "双飞可上门，私我"),
    ("gambling:gambling_brand_contact_zh", "华体会代理，私聊"),
    ("black_market:ghostwriting_for_hire_zh", "实习报告代做，一对一，私我"),
]

THIRD_QUIET = [
    "这个字体可预览后再下载",
    "暗网是什么？有人说那里什么都有",
    "周末和姐妹花去公园",
    "天上的云开了，出太阳了",
    "学校规定作业不能找人代做，有问题私我",
]


def test_third_round_porn_gambling_and_ghostwriting_rules(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, THIRD_FIRES, THIRD_QUIET) == NO_PROBLEMS


FOURTH_FIRES = [
    ("porn_service:play_sexy_invite_zh", "能不能再涩一点"),
    ("porn_service:play_sexy_invite_zh", "想要瑟一点的图"),
]

FOURTH_QUIET = [
    "这个柿子涩一点，可以等几天再吃",
    "这酒涩一点，我想喝甜的",
    "咖啡涩一点也可以",
    "北极熊的毛是白se的，我想看看",
]


def test_sexy_slang_as_an_adjective(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FOURTH_FIRES, FOURTH_QUIET) == NO_PROBLEMS


CHILDREN_QUIET = [
    "我是3中2班的，加我",
    "这学期期中考试，私我",
    "十中九班的同学加我",
    "我们班连红三次流动红旗，进群看照片",
    "我家在南宫，加我好友",
    "我们班级博客新网址 abc12.cn",
    "我也想要粉丝，大家都有",
    "出售二手书，可预览",
    "动画片视频可预览，私我",
    "https://game.example.com/invite?code=1 来玩蛋仔派对 免费",
    "九一开学去海角公园",
    "我在吃瓜网看明星黑料",
    "我在b站发视频，就有钱了吗？",
    "我们班评选需要点赞评论，大家都有一票",
    "大学生可月付，很方便",
    "同城美女这个月吗",
    "妈妈让我打字，一天100个字",
    "澳门旅游真人在线讲解",
    "动画片每期都准时来",
]


def test_childrens_sentences_near_the_new_rules_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, [], CHILDREN_QUIET) == NO_PROBLEMS
