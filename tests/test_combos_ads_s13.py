"""Session-13 co-occurrence rules for black-market, gambling and porn adverts (black_market.json, gambling.json,
porn_service.json, porn_titles.json; the lexicon engineer's files this session): paid posting at a piece rate on a
content platform, 'brushers' sought for fake orders, buying other people's accounts and 'assist' clicks, paid
ad-watching apps, traffic farming, face checks for hire, personal data for sale; gambling link spam on cheap or
spelt-out domains, card and lottery slang (私人台, 需要苔, 3d精准数据, 做桩); porn brand names that are also ordinary
words traded as 'resources', paid sex asked for in so many words, worn clothes for sale, more 'master/slave' roles;
porn-site SEO titles (region + zone + video site). Every phrasing was written for this test from the public
descriptions the rule files cite (never a measured row); cleaning brushes, hotel reviews, candy eggs, capes and
poems, lottery news and children asking stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    # black market: posting and engagement for pay, brushers, account and assist buyers, ad-watching apps
    ("black_market:posting_piece_rate_zh", "快手发作品，一个作品8块，当天结"),
    ("black_market:posting_piece_rate_zh", "小红书发笔记，5r一篇，长期有"),
    ("black_market:posting_piece_rate_zh", "招人在抖音发评论，一条3毛，秒结"),
    ("black_market:brusher_recruit_zh", "缺几个刷手，店铺单量大，佣金高"),
    ("black_market:brusher_recruit_zh", "刷子看过来，本金当天返款"),
    ("black_market:account_assist_buyer_zh", "收快手老用户助力，一个给5块"),
    ("black_market:account_assist_buyer_zh", "收微博实名号，认证过的秒结"),
    ("black_market:ad_watch_income_zh", "每天看广告就能提现，一天二十元"),
    ("black_market:engagement_for_sale_zh", "直播间涨人气，一千个真人在线，要不要"),
    ("black_market:online_task_invite_zh", "长期招代发，手机就能做，有米"),
    ("black_market:traffic_farming_service_zh", "专业截流打粉，量大从优，需要的联系"),
    ("black_market:verification_for_hire_zh", "有偿帮人过人脸，一次三十"),
    ("black_market:personal_data_sale_zh", "出售一手车主资料，精准，价格私聊"),
    # gambling link spam and slang
    ("gambling:cheap_domain_lure_zh", "kb77点top 注册宋58 兄弟们冲"),
    ("gambling:cheap_domain_lure_zh", "xy98.cc 足球篮球都能玩，来玩"),
    ("gambling:cheap_domain_lure_zh", "好平台认准 qq66.xyz 出款快"),
    ("gambling:gambling_platform_slang_zh", "私人台，稳定出款，懂的滴滴"),
    ("gambling:gambling_platform_slang_zh", "需要苔的来，资金安全"),
    ("gambling:lottery_tip_contact_zh", "福彩3d精准数据，需要了解的私聊"),
    ("gambling:lottery_tip_contact_zh", "今晚亚盘稳胆推荐，进群免费看"),
    ("gambling:gambling_game_contact_zh", "有认识做庄的吗，加我"),
    ("gambling:gambling_game_contact_zh", "红包斗牛，想玩的加我"),
    # porn brands as resources, paid sex, worn clothes, roles
    ("porn_service:porn_brand_resource_zh", "海角最新资源，要的话私我"),
    ("porn_service:porn_brand_resource_zh", "谁有糖心vlog的合集"),
    ("porn_service:porn_brand_resource_zh", "出jm账号，5r一个"),
    ("porn_service:paid_sex_ask_zh", "陪我睡一晚，五百可以吗"),
    ("porn_service:paid_sex_ask_zh", "裸聊一次200，先付定金"),
    ("porn_service:sex_content_trade_zh", "我穿过的丝袜，出，要的私"),
    ("porn_service:bdsm_recruit_zh", "找个女s，做你的狗"),
    ("porn_titles:region_zone_title_zh", "欧美一区二区高清视频"),
    ("porn_titles:region_zone_title_zh", "国产久久免费观看"),
]

QUIET = [
    # brushes, reviews, shops
    "牙刷和刷子都要放在卫生间的架子上",
    "洗鞋的刷子找不到了，妈妈说在店铺里买一个",
    "这家店的刷子质量很好，给好评",
    "我在京东买的，一个20元，物流很快，给好评",
    "妈妈在抖音上看了一个做饭视频，学会了红烧肉",
    "姐姐在小红书发了一篇笔记，有一百个点赞",
    "视频太多广告了，看广告才能继续，好烦",
    "收快递的时候要核对姓名和电话",
    # gambling-looking but ordinary
    "排行榜 top10 好玩的游戏推荐",
    "这首歌上了音乐榜 top3",
    "福彩3d开奖结果出来了，爷爷没中",
    "我们班的班长做庄，大家轮流讲故事",
    "台子上放着一盆花",
    "青苔长满了石阶",
    "他在舞台上唱歌，下面的观众很多",
    # porn-looking but ordinary
    "妈妈做的糖心蛋真好吃，我要吃两个",
    "天涯海角是三亚的景点，我们去旅游了",
    "九一八事变是历史课要学的内容",
    "我们住的酒店睡一晚三百元，房间很干净",
    "爸爸说露营睡一晚帐篷很有意思",
    "这件衣服我穿过一次，洗干净了送给表妹",
    "小狗走丢了，找主人，联系电话在下面",
    "亚洲一区服务器的比赛视频在哪里看",
    "哥哥考上了日本的二本大学，发来了学校的视频",
    "日本动漫精品推荐视频",
    "医生说术后要放引流管，护士一天来看两次",
    "三峡大坝截流工程是历史课的内容",
    "银行app人脸识别失败了，客服让我去营业厅",
    "新闻：警方打击出售公民个人信息的团伙",
    "昨晚的比赛大小球我猜对了，进了三个球",
    "非top成员也能参加游戏环节",
    # a child asking, warnings
    "有人私信我说发抖音视频一个十块，是骗子吗？",
    "警惕刷单：刷手垫付本金后对方不返款",
]


def test_session13_ad_phrasings_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
