"""Porn-title co-occurrence rules (filters/data/combos/porn_titles.json): an explicit-leaning word next
to video-site vocabulary blocks link-spam titles no pack term catches, while the same site words in
children's films, cooking, news and science, and news about catching a voyeur, stay allowed."""

from __future__ import annotations

import json

import pytest

from filters.combo_rules import COMBOS_DIR
from filters.engine import TextFilter
from filters.policy import FilterPolicy

# Written for these tests from the title shapes the rule file describes; never eval rows.
FIRES = [
    ("porn_titles:porn_title_zh", "最新19禁韩国电影 高清在线看"),
    ("porn_titles:porn_title_zh", "宅男福利 第一页 合集下载"),
    ("porn_titles:porn_title_zh", "主播大尺度直播间入口"),
    ("porn_titles:porn_title_en", "busty redhead webcam compilation"),
    ("porn_titles:porn_title_en", "slutty blonde full video free"),
    ("porn_titles:porn_title_en", "nsfw clips leaked"),
]

QUIET = [
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
]


def porn_title_rules(tf: TextFilter, text: str) -> list[str]:
    v = tf.check(text, FilterPolicy())
    return [r.rule for r in v.reasons if r.rule.startswith("combo:porn_titles:") and r.blocking]


@pytest.mark.parametrize(("rule", "text"), FIRES)
def test_porn_titles_fire(shipped_filter: TextFilter, rule: str, text: str) -> None:
    assert f"combo:{rule}" in porn_title_rules(shipped_filter, text), text


@pytest.mark.parametrize("text", QUIET)
def test_site_words_alone_stay_quiet(shipped_filter: TextFilter, text: str) -> None:
    assert porn_title_rules(shipped_filter, text) == [], text


def test_porn_titles_file_is_shipped_with_provenance() -> None:
    doc = json.loads((COMBOS_DIR / "porn_titles.json").read_text(encoding="utf-8"))
    assert doc["license"].startswith("Apache-2.0")
    assert "清朗" in doc["provenance"]
    assert {r["category"] for r in doc["rules"]} == {"sexual"}
