"""Session-18 Chinese group-hate rules (filters/data/combos/hate.json), each checked with phrasings written for this
test (never a measured row), beside near misses that must stay quiet.

- `group_eliminate_zh`: a call to wipe out, drive out, ban or kill a people, region, religion, sexuality or disability
  group, the verb right before its name (消灭X, 驱逐X, 取缔X). Victims, war and history, crime news, idioms
  (一棍子打死) and pests stand it down.
- `black_people_excluded_zh`: Black people as such refused, barred or disowned (只要不是黑人, 禁止黑人入内, 嫁黑人就当没
  生过). Segregation history and the past stand it down.
- `group_exclusion_zh` (older rule) and the new rules stand down on war and history (cue set `history_war_zh`):
  八路军把日本人赶走了 is a history lesson, not a call to expel.
"""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("hate:group_eliminate_zh", "支持，消灭同性恋"),
    ("hate:group_eliminate_zh", "早就该铲除回民"),
    ("hate:group_eliminate_zh", "建议取缔同性恋者"),
    ("hate:group_eliminate_zh", "把残疾人都清理掉算了"),
    ("hate:group_eliminate_zh", "一起来赶走河南佬"),
    ("hate:black_people_excluded_zh", "找对象随便，只要不是黑人就行"),
    ("hate:black_people_excluded_zh", "店门口写着禁止黑人"),
    ("hate:black_people_excluded_zh", "女儿敢嫁黑人？就当没生过"),
    ("hate:black_people_excluded_zh", "我家绝对不能接受黑人女婿"),
]

QUIET = [
    "八路军把日本人赶走了",
    "抗日战争时期，游击队赶走了日本人",
    "以前美国不允许黑人坐公交车前排",
    "种族隔离的时候，很多地方禁止黑人进入",
    "消灭蚊子，人人有责",
    "我们要消灭贫困，帮助农村人过上好日子",
    "警察抓住了打死外地人的凶手",
    "别一棍子打死所有东北人",
    "白人殖民者消灭了很多原住民，这段历史很沉重",
    "我的好朋友是黑人，我们一起踢球",
    "黑人歌手唱得真好听",
    "我们班的同学郭楠说要消灭作业",
    "妈妈说只要不是下雨天就去公园",
]


def test_new_group_hate_rules_fire_and_history_or_ordinary_talk_stays_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS


# coded names added to filters/data/sources/coded_groups.json (session 18) block alone; the ordinary words around
# them (黑粪 the symptom, 美黑 tanning, 黄石 / 皇室 by sound, 精黑色, 尼龙) do not. 性少数 and lgbt are group words.
CODED = [
    ("精黑又出来洗地了", "block"),
    ("这些黄尸真烦人", "block"),
    ("艾滋基别来沾边", "block"),
    ("又是一个黑粪蛋", "block"),
    ("媚嗨女天天晒男友", "block"),
    ("网上那些精尼", "block"),
    ("性少数都是变态", "block"),
    ("lgbt都是变态", "block"),
    ("医生说黑粪可能是胃出血", "allow"),
    ("暑假去美黑了一下，皮肤变成小麦色", "allow"),
    ("黄石公园的瀑布很壮观", "allow"),
    ("皇室婚礼在电视上直播", "allow"),
    ("精黑色的外套很好看", "allow"),
    ("精尼龙绳很结实", "allow"),
    ("性少数群体也应该被尊重", "allow"),
    ("学校组织了lgbt平等讲座", "allow"),
]


def test_session_18_coded_names_block_and_ordinary_words_do_not(shipped_filter: TextFilter) -> None:
    got = [(text, shipped_filter.check(text).action) for text, _ in CODED]
    assert got == CODED


# group_disease_carrier_zh: a sexuality or race group branded as carrying AIDS or venereal disease, with a generaliser
# or 'source' word; health education, testing, patients and corrected myths stay quiet. women_fawn_on_race_zh: women
# mocked as throwing themselves at Black or foreign men; licking food, a subset (有些) and men stay quiet.
CARRIER_AND_FAWN_FIRES = [
    ("hate:group_disease_carrier_zh", "黑人全身都是病，艾滋一大堆"),
    ("hate:group_disease_carrier_zh", "非洲人把艾滋带到中国"),
    ("hate:group_disease_carrier_zh", "男同就是性病的源头"),
    ("hate:women_fawn_on_race_zh", "中国女的就爱倒贴黑人"),
    ("hate:women_fawn_on_race_zh", "这些女生天天跪舔老外"),
]
CARRIER_AND_FAWN_QUIET = [
    "世界艾滋病日，我们要关爱感染者",
    "同性恋不等于艾滋病",
    "医生说艾滋病可以预防，黑人和白人都一样",
    "小猫在舔我的手指",
    "妹妹和外国人小朋友一起舔冰淇淋",
    "有些女生喜欢外国明星",
    "男同都应该定期做hiv检测",
    "黑人都一样会得艾滋，要做好预防",
    "他天天跪舔老外老板",
]


def test_disease_carrier_and_fawning_smears_fire_while_health_talk_stays_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, CARRIER_AND_FAWN_FIRES, CARRIER_AND_FAWN_QUIET) == NO_PROBLEMS


# group_intensified_contempt_zh: a people, region, religion or disability group called filthy, stinking, wicked or
# stupid with an intensifier right after its name; praise, a person's hard work, war history, negation and questions
# stay quiet.
CONTEMPT_FIRES = [
    ("hate:group_intensified_contempt_zh", "印度人脏死了"),
    ("hate:group_intensified_contempt_zh", "那些外地佬真臭"),
    ("hate:group_intensified_contempt_zh", "回民坏透了"),
]
CONTEMPT_QUIET = [
    "韩国人做的泡菜真好吃",
    "这个农民工叔叔真辛苦",
    "日本鬼子真坏，侵略中国",
    "外地人一点也不坏",
    "东北人真坏吗？",
    "印度人的咖喱真香",
    "抗战时期的日本人真坏，侵略了中国",
    "外地人不是太笨，是不熟悉路",
]


def test_intensified_contempt_for_a_group_fires_while_praise_history_and_questions_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, CONTEMPT_FIRES, CONTEMPT_QUIET) == NO_PROBLEMS


# speaker_hates_group_zh: the speaker's own hatred of a whole people, region, religion, sexuality or disability group
# (我 / 老子 + at most one adverb + the verb, one cue); generic sexes, a subset (有些), food, self-description
# (作为山东人), negation, speech about the group (言论, 坏话), a group that hates the speaker, hatred the speaker only
# reports, a concession, a hypothesis, a contrast, one person of a group and a meme named after Black people stay quiet.
SPEAKER_FIRES = [
    ("hate:speaker_hates_group_zh", "我打心底里反感东北人"),
    ("hate:speaker_hates_group_zh", "我真的看不起河南人"),
    ("hate:speaker_hates_group_zh", "我很厌恶同性恋"),
    ("hate:speaker_hates_group_zh", "老子最看不起外地佬"),
]
SPEAKER_QUIET = [
    "我讨厌男生，他们总欺负我",
    "作为一个山东人，我讨厌吃大葱",
    "我不讨厌同性恋",
    "我讨厌那些骂河南人的人",
    "我讨厌网上有些外地人的言论",
    "上海人总看不起我",
    "我发现北京人看不起外地人",
    "虽然我讨厌冬天，但东北人很热情",
    "如果我讨厌河南人，当初就不嫁给他了",
    "我讨厌的不是外地人，是插队的人",
    "我最讨厌黑人问号脸表情包",
]


def test_speaker_hatred_of_a_group_fires_while_dislikes_of_food_or_speech_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, SPEAKER_FIRES, SPEAKER_QUIET) == NO_PROBLEMS
