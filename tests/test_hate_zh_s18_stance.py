"""Session-18 Chinese group-hate rules of the hate engineer (filters/data/combos/hate.json), each checked with
phrasings written for this test (never a measured row), beside near misses that must stay quiet.

- `race_likened_to_animal_zh`: Black people called apes, beasts or livestock, or said not to have evolved (ECRI GPR 15:
  a group described as animals). A likeness of one feature, reports of the slur, image-recognition errors and zoos
  stand it down.
- `told_back_to_africa_zh`: Black people told to get back or go to Africa. Animals returned to the wild, travel,
  work and aid stand it down.
- `anti_group_stance_zh`: a stance or campaign against a whole group taken up or urged (反同 / 反黑人 / 屠黑 / 恐同 with
  坚定, 永远, 加入, 支持, 战士 ...), also in its sound-alike spellings (饭同, 翻通 ...: written out as cues; 饭桶, a
  common word, is none of them). Negations, talk about homophobia and questioning the stance stand it down.
- `you_contempt_zh` (bullying.json) also knows a person called 'a sort of goods' (这种货色, 什么货色).
"""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("hate:race_likened_to_animal_zh", "黑人就是猩猩，没什么好讲的"),
    ("hate:race_likened_to_animal_zh", "那些非洲人跟动物一样"),
    ("hate:race_likened_to_animal_zh", "老黑根本没进化完"),
    ("hate:race_likened_to_animal_zh", "这些黑鬼是牲口"),
    ("hate:told_back_to_africa_zh", "黑人都滚回非洲去"),
    ("hate:told_back_to_africa_zh", "赶紧回你的非洲吧"),
    ("hate:anti_group_stance_zh", "坚决反同，绝不妥协"),
    ("hate:anti_group_stance_zh", "欢迎大家加入反同队伍"),
    ("hate:anti_group_stance_zh", "我永远反黑人"),
    ("hate:anti_group_stance_zh", "我就是恐同，怎么了"),
    # the campaign's name written with sound-alike characters (饭 for 反) or an emoji read as one (🍚 饭)
    ("hate:anti_group_stance_zh", "我坚定饭同，永不后悔"),
    ("hate:anti_group_stance_zh", "欢迎加入🍚同队伍"),
    # the person addressed called 'a sort of goods' (bullying.json you_contempt_zh)
    ("bullying:you_contempt_zh", "就你这种货色也敢来评论"),
]

QUIET = [
    "动物园里的黑猩猩在吃香蕉",
    "黑人球员被观众骂是猩猩，联盟开出了罚单",
    "有人把黑人的照片识别成猩猩，公司道歉了",
    "他画的黑人小孩有点像他爸爸",
    "我们在纪录片里看到非洲人和猴子一起生活在森林",
    "这只大象被送回非洲的保护区",
    "暑假我爸要去非洲出差",
    "叔叔在非洲工作了三年才回国",
    "我不反同，每个人都有爱的权利",
    "反对恐同，尊重每一个人",
    "心理学家研究恐同的原因",
    "违反同学之间的约定可不好",
    "营业额相反同比下降了",
    "反同到底有什么意义？",
    "我不支持反同那一套",
    "千万别加入什么反同队伍",
    "小明说他不恐同，永远都站在朋友这边",
    "我们坚决反对歧视同性恋",
    "我永远是个饭桶，吃得最多",
    "这家超市货色齐全，价格也公道",
]


def test_dehumanising_expulsion_and_campaign_rules_fire_and_near_misses_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
