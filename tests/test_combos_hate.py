"""Group-hate co-occurrence rules (filters/data/combos/hate.json): a named group generalised as
degrading, or wished dead or driven out, blocks without a slur; talk *about* prejudice, praise and
ordinary statements about a group stay quiet; the rule file carries provenance."""

from __future__ import annotations

import json

import pytest

from filters.combo_rules import COMBOS_DIR
from filters.engine import TextFilter
from filters.policy import FilterPolicy

# Written for these tests from the patterns the rule file names; never eval rows.
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
]

QUIET = [
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
]


def hate_rules(tf: TextFilter, text: str) -> list[str]:
    v = tf.check(text, FilterPolicy())
    return [r.rule for r in v.reasons if r.rule.startswith("combo:hate:") and r.blocking]


@pytest.mark.parametrize(("rule", "text"), FIRES)
def test_group_hate_fires(shipped_filter: TextFilter, rule: str, text: str) -> None:
    assert f"combo:{rule}" in hate_rules(shipped_filter, text), text


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_groups_stays_quiet(shipped_filter: TextFilter, text: str) -> None:
    assert hate_rules(shipped_filter, text) == [], text


def test_fairness_context_stands_the_rule_down(shipped_filter: TextFilter) -> None:
    hateful = "东北人都是骗子"
    assert "combo:hate:group_all_degrading_zh" in hate_rules(shipped_filter, hateful)
    assert hate_rules(shipped_filter, "不要说东北人都是骗子，这是地域歧视") == []


def test_hate_file_is_shipped_with_provenance() -> None:
    doc = json.loads((COMBOS_DIR / "hate.json").read_text(encoding="utf-8"))
    assert doc["license"].startswith("Apache-2.0")
    assert "ECRI" in doc["provenance"] and "清朗" in doc["provenance"]
    assert {r["category"] for r in doc["rules"]} == {"bullying"}
    assert all(r["why"] for r in doc["rules"])
