"""Keyword rules that place an uncategorised (or only loosely tagged) imported term in a category.

Used for sensitive-word's tag 4 ("crime": guns, fake documents, exam answers, poisons ...) and for
LDNOOBW's lists, which carry no categories. The first rule that matches wins; a term no rule places is
left out of the packs (and listed in the review file as unmapped).
"""

from __future__ import annotations

import re

# (category, severity, pattern); order matters: exam "枪手" is fraud, not a gun.
RULES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("fraud", 2, re.compile(r"答案|考题|试题|真题|作弊|代考|替考|枪手|考试.*(包过|保过)")),
    ("sexual", 3, re.compile(r"幼女|萝莉|未成年.*(性|裸)|童妓|雏妓|少女.*(裸|性|操|奸)")),
    ("sexual", 2, re.compile(
        r"色情|色站|色图|黄片|黄站|黄色.*(网|片|视频|小说)|淫|奸|裸|乳|阴[道蒂唇茎户部毛核]|屄|屌|鸡巴|妓|嫖|援交|"
        r"一夜情|1夜情|成人.*(电影|影院|视频|网|图|小说|用品|聊)|av|sex|porn|性爱|做爱|情色|三级|乱伦|口交|肏|骚|"
        r"小穴|嫩穴|自慰|催情|迷情|春药|包夜|楼凤|鸡婆|兼职.*(妹|女)|操[bB逼你我她]|插[bB逼穴]|打炮|约炮|"
        r"a片|毛片|种子.*(下载)|性交|性虐|三陪|陪聊|小姐|外围|包养")),
    ("drugs", 2, re.compile(
        r"毒品|冰毒|海洛因|可卡因|古柯|大麻|摇头|k粉|麻古|鸦片|吗啡|杜冷丁|氯胺酮|苯丙胺|麻黄|迷药|迷魂|听话[水药]|"
        r"拍肩|昏迷药|安眠|三唑仑|ghb|白粉|卡西酮|毒药|蒙汗药|神仙水|笑气|致幻|迷幻|k仔|麻谷|罂粟|唑仑|西泮|曲马多|"
        r"可待因|哌替|麻果|缅古|缅果|马古|纯古|长治筋|乖乖水|开心水|苍蝇水|失忆[水药粉]|催眠[水药粉]|黄樟|胡椒醛|"
        r"麦角|美沙|海乐神|酣乐欣|埃托啡|芬太尼|乙醚|叶子.*(出售|销售|批发)")),
    ("gambling", 2, re.compile(r"赌|博彩|娱乐城|百家乐|六合彩|6合彩|老虎机|下注|时时彩|真钱|菠菜|网投|轮盘")),
    ("violence", 2, re.compile(
        r"枪|木仓|[手气猎步]狗|弩|子弹|弹药|铅弹|钢珠|猎|炸药|炸弹|雷管|火药|爆炸|tnt|军刀|刀具|匕首|弹簧刀|砍刀|"
        r"三棱刺|军刺|电棍|电击|警棍|手雷|杀手|雇凶|买凶|杀人|硝化甘油|黑索金|燃烧瓶|燃烧弹|原子弹|氢弹|"
        r"催泪|防身|狙击|麻醉|氰化|砒霜|铊|毒鼠强|秃鹰|[汽气电手长短]狗|仿真狗|汽gou|狗粮|手拉|[尖折跳甩腰猎弹]刀|"
        r"蝴蝶刀|战术刀|野战刀|双刃|开山刀|棱刮|刺刀|手铐|手拷|钢叉|警用器材|pcp|654k|cp99|glock|awp|b50|打手|"
        r"报仇|复仇|报复|出气|爆破|硝酸铵|砷|山奈|毒素|弓单")),
    ("violence", 2, re.compile(
        r"刀|qiang|[动簧属式叠]狗|qi狗|之鹰|之豹|手斧|火铳|电棒|甩棍|热武器|防弹|m1911|\d{2}式|毛瑟|烟雾弹|"
        r"肾|肝源|肝脏|器官|买遗体")),
    ("violence", 1, re.compile(
        r"礼花|烟花|爆竹|鞭炮|礼炮|双响|踢脚|汞|马钱子|番木鳖|乌头碱|硒酸|硼烷|敌恶磷|硫磷|菊酯")),
    ("drugs", 2, re.compile(r"催眠喷雾|迷烟|神仙糖|沙菲片|开他敏|匹莫林|匹米诺定|安钠咖|相思红娘")),
    ("fraud", 2, re.compile(
        r"假币|假钞|假硬币|假证|假身份|假文凭|假学历|办证|代办|办理.*(证|文凭|学历)|文凭|学历|证书|毕业证|发票|"
        r"数据|资料|窃听|监听|定位器|跟踪器|开锁|解码|信用卡|银行卡|套现|洗钱|黑客|盗号|木马|身份证|车牌|驾照|"
        r"刷单|贷款|卖肾|器官|警服|警徽|军牌|钓鱼|传销|高仿|群发|改号|透视|针孔|偷拍|隐形眼镜.*(赌|扑克)|"
        r"人皮面具|反侦察|短信|税票|增值税|代开|显号|变号|拦截器|屏蔽器|卧底|监控软件|万能钥匙|面具|易容|面皮|"
        r"脸皮|假钱|假人民币|硬币|警官证|证件|证务|删帖|删除.*帖|负面信息|先考试再付款|成绩单|离婚证|会计师证|"
        r"肾源|证办理|办.{0,4}证|制作.{0,6}证|[假警].{0,3}证|户口本|记者证|警号|警衔|警帽|警用|警察|面单|负面|删贴|"
        r"删除.{0,6}(信息|消息|新闻)|考试|人民币|联系方式|通讯录|增值票|印花税|破解器|强开|开琐|开锁|"
        r"(出售|销售|供应|批发|提供|买卖|转让).*(信息|名单|名录|资源|号码|账号)|"
        r"(信息|名单|名录|资源|号码|账号).*(出售|销售|供应|批发|提供|买卖|转让)")),
)

# Bare chemistry (precursors, reagents) with no sale or making word: mild, since a school text can
# name them. A name with 出售/制作/配方/... stays at the rule's severity.
CHEMISTRY = re.compile(r"基|苯|酮|胺|酸|醇|酯|烷|腈|肼|碱|氯|硝|磷|酰|醛|酚|汞|锡")
TRADE = re.compile(r"出售|销售|供应|批发|直销|专卖|订购|购买|提供|价格|制作|制造|配方|合成|提炼|教程|方法|"
                   r"qq|哪里|怎么|买")


def categorise(term: str, allowed: frozenset[str] | None = None) -> tuple[str, int] | None:
    """(category, severity) of the first rule matching `term` among `allowed` categories, or None."""
    for category, severity, pattern in RULES:
        if allowed is not None and category not in allowed:
            continue
        if pattern.search(term):
            if category == "drugs" and CHEMISTRY.search(term) and not TRADE.search(term):
                return category, 1
            return category, severity
    return None

# Politics never enters a pack (kidsafe does not filter politics), even where an upstream list tags a
# political line as porn or crime: any imported term naming leaders, offices or political events is
# left out.
POLITICS = re.compile(
    r"共产|共党|中共|党中央|党员|政府|政权|主席|总理|书记|县委|省委|市委|官场|官员|人大|政协|国务院|法轮|李洪志|"
    r"六四|天安门|民主|民运|台独|藏独|疆独|达赖|习近平|胡锦涛|江泽民|温家|李鹏|毛泽东|邓小平|周恩来|朱镕基|薄熙来|"
    r"周永康|金正|抗日|汉奸|打日本|小日本|人民日报|新华|维权|上访|示威|游行|革命|政变|镇压|反共|反华|选举|政治|"
    r"宪章|宪政|军委|疫情|流感|h1n1|膏药旗|局长|政法|纪委|国安|中南海|文革|独裁|专制|共匪|日报|金日成|罗干|高干|"
    r"青天白日|天皇|鬼子|帝国|官逼民反|粉饰太平|刑讯|亲日|反日|灭日|杨白冰|太子党|国民党|民进党|李登辉|陈水扁|"
    r"蒋介石|胡耀邦|日货|抵制|国税|赵紫阳|王丹|柴玲|吾尔开希|刘晓波|艾未未|陈光诚|高智晟|藏独|东突|班禅|喇嘛|"
    r"近平|锦涛|泽民|家宝|克强|岐山|熙来|永康|毛主席|党|证监会|钱其琛|维吾尔|西藏|新疆|台湾|卖国|爱国|腐败|"
    r"贪官|八九|学运|屠城|邪教|明慧|大纪元|新唐人|真善忍|大法|法轮|轮功")


def is_political(term: str) -> bool:
    return bool(POLITICS.search(term))


# Crime-tagged terms (sensitive-word tag 4) that no rule above places. Most are trade adverts: a trade
# verb or a contact (qq, 电话) with a gun slang, chemical, fake document, personal data or smuggled good
# ("出售虎头双管", "供应羰基镍qq", "股民电话资源qq"). Upstream tagged them crime, and the verb makes the
# listing an offer to sell; an offer of a chemical is a poison/hazard offer (violence), any other offer
# is an illicit-trade advert (fraud). A few crime-only phrases without a trade verb are placed by meaning.
ILLICIT_TRADE = re.compile(r"出售|销售|供应|批发|直销|专卖|订购|转让|买卖|购买|收购|代理|办理|提供|当面交易|"
                           r"货到付款|qq|q群|电话")
CRIME_PHRASES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("violence", 3, re.compile(
        r"拐卖|买小孩|卖娃|买妻|幼童出售|(买|卖|供应)[^ ]{0,2}(眼角膜|角膜|肝|肾|心脏|骨髓|胆)")),
    ("violence", 2, re.compile(r"汽油弹|手榴弹|核弹头|做弹|脏弹|自制.{0,2}导弹|zha弹|atom弹|diy核弹")),
    ("sexual", 2, re.compile(r"买春|卖春|卖身|卖处|卖b|卖比|打飞机|无修正|强上弓|卖污片|卖精")),
    ("fraud", 2, re.compile(r"刷q币|免费q币|在(家|jia).{0,2}(赚|挣|zhuan)钱|网上.{0,2}赚钱|手机(赚|挣)钱|发帖赚钱|"
                            r"写个好评|做1单|证到付款|验证后付款|制证|生成器|考后给钱|"
                            r"(做|办|卖|售|买)[^证]{0,6}证|假.{0,3}证|助考")),
)
COMMON_REMAINDER = frozenset({"热线", "", "车", "房", "卡", "号", "自己", "软件", "软体", "id"})


def categorise_crime_only(term: str) -> tuple[str, int] | None:
    """(category, severity) for a term tagged only crime upstream that `categorise` left unplaced."""
    for category, severity, pattern in CRIME_PHRASES:
        if pattern.search(term):
            return category, severity
    if ILLICIT_TRADE.search(term):
        remainder = ILLICIT_TRADE.sub("", term).strip()
        if remainder in COMMON_REMAINDER or len(remainder) < 2:
            return None  # "销售热线", "卖车": the verb is all there is
        if CHEMISTRY.search(remainder):
            return "violence", 2
        return "fraud", 2
    return None


# Untagged lists (Sensitive-lexicon's mixed files) mix politics, URLs and ordinary words with harm, so
# only a term carrying an unambiguous harm morpheme is taken, placed by that morpheme; the rest stays out.
STRICT: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("sexual", 3, re.compile(r"幼女|萝莉.{0,3}(裸|性|h|福利)|童妓|雏妓|未成年.{0,3}(性|裸)")),
    ("sexual", 2, re.compile(
        r"淫|屄|肏|屌|鸡巴|阴茎|阴道|阴蒂|阴唇|乳交|口交|肛交|性交|做爱|内射|无码|色情|乱伦|强奸|轮奸|迷奸|嫖|娼|"
        r"妓|援交|一夜情|成人(电影|视频|网|小说|图|聊天|影院)|自慰|手淫|女优|巨乳|爆乳|嫩穴|小穴|骚穴|插穴|性爱|"
        r"裸聊|偷拍|激情(视频|电影|图片|小说|聊天)|三级片|毛片|黄片|a片|黄色(网|电影|视频|小说)|操[逼bB你她]|"
        r"干[逼穴]|露点|约炮|打炮|群交|潮吹|春宫|porn")),
    ("drugs", 2, re.compile(
        r"冰毒|海洛因|摇头丸|k粉|氯胺酮|大麻|可卡因|鸦片|吗啡|麻古|迷药|迷幻|春药|催情|听话水|蒙汗药|三唑仑|"
        r"毒品|吸毒|贩毒|制毒|白粉|安眠药.{0,3}(出售|购买|销售)|迷魂|失身(水|药|粉)|笑气|神仙水|冰妹")),
    ("gambling", 2, re.compile(r"赌|博彩|百家乐|六合彩|时时彩|老虎机|娱乐城|真人荷官|菠菜网|彩票.{0,3}(平台|网)|"
                               r"买球|下注")),
    ("violence", 2, re.compile(r"枪支|枪械|(出售|销售|买卖|专卖|供应|货到付款).{0,4}(枪|弩|子弹|炸药|雷管)|"
                               r"(枪|弩|子弹|炸药|雷管).{0,4}(出售|销售|买卖|专卖|供应|货到付款)|炸药|雷管|"
                               r"(制作|自制).{0,3}(炸弹|炸药)")),
)
URL_LIKE = re.compile(r"www|\.(com|cn|net|org|tk|ru|cc|info|biz)\b|https?|\.\w{2,4}/")


def categorise_strict(term: str) -> tuple[str, int] | None:
    """(category, severity) of an untagged term with an unambiguous harm morpheme, else None."""
    if URL_LIKE.search(term):
        return None
    for category, severity, pattern in STRICT:
        if pattern.search(term):
            return category, severity
    return None
