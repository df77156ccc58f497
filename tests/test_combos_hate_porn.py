"""Group-hate and porn-title co-occurrence rules (filters/data/combos/hate.json, porn_titles.json).

hate: a named group generalised as degrading, or wished dead or driven out, blocks without a slur; talk
*about* prejudice, praise and ordinary statements about a group stay quiet. porn_titles: an
explicit-leaning word next to video-site vocabulary blocks link-spam titles no pack term catches, while the
same site words in children's films, cooking, news and science, and news about catching a voyeur, stay
allowed. Both files carry provenance."""

from __future__ import annotations

import json

import pytest

from filters.combo_rules import COMBOS_DIR
from filters.engine import TextFilter
from filters.policy import FilterPolicy

# Written for these tests from the patterns the rule files name; never eval rows.
FIRES = [
    ("hate:group_all_degrading_zh", "安徽人个个都是小偷，离他们远点"),
    ("hate:group_all_degrading_zh", "乡下人天生就是没素质"),
    ("hate:group_all_degrading_zh", "印度人都是脏兮兮的，恶心死了"),
    ("hate:group_all_degrading_zh", "拉拉全都是变态吧"),
    ("hate:group_death_or_expulsion_zh", "外国人统统滚出去"),
    ("hate:group_death_or_expulsion_zh", "回民都该死"),
    ("hate:group_all_degrading_en", "refugees are nothing but parasites"),
    ("hate:group_all_degrading_en", "honestly gay people should all be locked up"),
    ("hate:group_all_degrading_en", "Mexicans are all criminals and rapists"),
    ("hate:group_scum_en", "we do not want any more somali scum in our town"),
    ("hate:group_scum_en", "those subhuman migrants again"),
    ("hate:group_scum_en", "stop the muslim filth now"),
    ("hate:people_as_apes_en", "keep those negro beasts away from our school"),
    ("hate:group_breeds_like_vermin_en", "the immigrants keep breeding like rats"),
    ("porn_titles:porn_title_zh", "最新19禁韩国电影 高清在线看"),
    ("porn_titles:porn_title_zh", "宅男福利 第一页 合集下载"),
    ("porn_titles:porn_title_zh", "主播大尺度直播间入口"),
    ("porn_titles:porn_title_en", "busty redhead webcam compilation"),
    ("porn_titles:porn_title_en", "slutty blonde full video free"),
    ("porn_titles:porn_title_en", "nsfw clips leaked"),
]

QUIET = [("hate", t) for t in [
    "安徽人做的臭鳜鱼特别好吃",
    "说乡下人没素质是一种偏见，不是所有人都这样",
    "我的好朋友是印度人，他做的咖喱很香",
    "有人说外国人都该滚出去，这种说法是歧视",
    "上海人都喜欢吃甜的吗",
    "女生都是好学生，男生也都很努力",
    "我们班的男生都是足球迷",
    "Not all refugees are criminals; that is a stereotype.",
    "Women are all welcome to join the science club.",
    "Why do people say immigrants are lazy? Is it true?",
    "Disabled people deserve to be treated with respect.",
    "Chimps and gorillas are African apes; orangutans are Asian apes.",
    "A black rat and a brown rat live in the barn.",
    "Asian rice is grown in flooded fields; pond scum grows on the water.",
    "Calling refugees vermin or scum is hate speech and it is wrong.",
    "My pet rabbits keep breeding like rabbits, we have twelve now!",
    "The zoo keeps monkeys and apes from Africa and Asia.",
]] + [("porn_titles", t) for t in [
    "灰姑娘的继姐妹 电影在线观看",
    "偷拍者在地铁被警方抓获，已被拘留",
    "酒店防偷拍检测方法视频",
    "裸眼3D电影推荐",
    "部队番号是什么意思",
    "露点温度怎么计算 视频讲解",
    "Cinderella and her stepsister, the full movie",
    "bacon strips cooking video",
    "BBC news video of the flood",
    "how to block nsfw videos with parental controls",
]]


def family_rules(tf: TextFilter, text: str, family: str) -> list[str]:
    v = tf.check(text, FilterPolicy())
    return [r.rule for r in v.reasons if r.rule.startswith(f"combo:{family}:") and r.blocking]


@pytest.mark.parametrize(("rule", "text"), FIRES)
def test_rule_fires(shipped_filter: TextFilter, rule: str, text: str) -> None:
    assert f"combo:{rule}" in family_rules(shipped_filter, text, rule.split(":")[0]), text


@pytest.mark.parametrize(("family", "text"), QUIET)
def test_near_misses_stay_quiet(shipped_filter: TextFilter, family: str, text: str) -> None:
    assert family_rules(shipped_filter, text, family) == [], text


def test_fairness_context_stands_the_hate_rule_down(shipped_filter: TextFilter) -> None:
    assert "combo:hate:group_all_degrading_zh" in family_rules(shipped_filter, "东北人都是骗子", "hate")
    assert family_rules(shipped_filter, "不要说东北人都是骗子，这是地域歧视", "hate") == []


@pytest.mark.parametrize(("name", "source", "category"), [("hate", "ECRI", "bullying"),
                                                          ("porn_titles", "清朗", "sexual")])
def test_files_are_shipped_with_provenance(name: str, source: str, category: str) -> None:
    doc = json.loads((COMBOS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert doc["license"].startswith("Apache-2.0")
    assert source in doc["provenance"]
    assert {r["category"] for r in doc["rules"]} == {category}
    assert all(r["why"] for r in doc["rules"])
