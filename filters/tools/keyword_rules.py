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
    r"蒋介石|胡耀邦|日货|抵制|国税|赵紫阳|王丹|柴玲|吾尔开希|刘晓波|艾未未|陈光诚|高智晟|藏独|东突|班禅|喇嘛")


def is_political(term: str) -> bool:
    return bool(POLITICS.search(term))
