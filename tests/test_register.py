"""Literary register (filters/register.py): sound-alike readings are dropped in poems, not in chat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.register import Register, literary_text

ROOT = Path(__file__).resolve().parent.parent
CANON = ROOT / "filters" / "data" / "eval" / "public" / "classical_canon.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SWSR = ROOT / "filters" / "data" / "eval" / "public" / "swsr_comments.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_most_of_the_classical_canon_is_literary() -> None:
    rows = _rows(CANON)
    share = sum(literary_text(r["text"]) for r in rows) / len(rows)
    assert share >= 0.85, share


def test_modern_harmful_chinese_is_almost_never_literary() -> None:
    rows = [r for r in _rows(DEV) + _rows(SWSR) if r.get("lang") == "zh" and r["expect"] == "block"]
    assert len(rows) >= 400
    literary = [r["text"] for r in rows if literary_text(r["text"])]
    assert len(literary) <= 0.01 * len(rows), literary


@pytest.mark.parametrize("text", ["河蓝人都是骗子", "你就是个非吾，啥也干不好", "湾湾废物，滚出去吧", "短句"])
def test_modern_chat_is_not_literary(text: str) -> None:
    assert not literary_text(text)


def test_a_malformed_register_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "literary.json"
    bad.write_text('{"modern": "的"}', encoding="utf-8")
    with pytest.raises(KeyError):
        Register.load(bad)


def test_a_homophone_in_a_poem_is_a_coincidence_but_not_in_chat(shipped_filter) -> None:  # noqa: ANN001
    poem = shipped_filter.check("建德非吾土，维扬忆旧游。还将两行泪，遥寄海西头。")
    assert poem.action == "allow", poem.reasons
    chat = shipped_filter.check("你就是个非吾，啥也干不好")
    assert chat.action == "block" and any(r.rule == "lexicon:bullying:废物" for r in chat.reasons), chat.reasons


def test_a_written_word_in_its_classical_sense_is_dropped_in_a_poem(shipped_filter) -> None:  # noqa: ANN001
    v = shipped_filter.check("男儿事长征，少小幽燕客。赌胜马蹄下，由来轻七尺。杀人莫敢前，须如猬毛磔。")
    assert not any(r.rule == "lexicon:violence:杀人" for r in v.reasons), v.reasons
    v = shipped_filter.check("永日方戚戚，出行复悠悠。女子今有行，大江溯轻舟。尔辈苦无恃，抚念益慈柔。幼女为长所育。")
    assert not any(r.rule == "lexicon:sexual:幼女" for r in v.reasons), v.reasons


def test_a_written_word_without_a_classical_sense_still_matches_in_a_poem(shipped_filter) -> None:  # noqa: ANN001
    v = shipped_filter.check("明月何时有，吸毒之人愁。举杯邀冰毒，对影成三人。")
    assert v.action == "block" and any(r.rule == "lexicon:drugs:冰毒" for r in v.reasons), v.reasons


@pytest.mark.parametrize(("text", "rule"), [
    ("幼女视频，幼女图片，免费观看，高清下载", "lexicon:sexual:幼女"),  # a spam title: the shape of verse, no particle
    ("杀人视频，血腥现场，在线观看，高清下载", "lexicon:violence:杀人"),
    ("我今天就要去杀人了，谁也别拦我", "lexicon:violence:杀人"),
    ("杀人莫敢前，须如猬毛磔 http://x.top 888", "lexicon:violence:杀人"),  # Latin or digits: not classical text
])
def test_classical_senses_need_classical_text(shipped_filter, text: str, rule: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block" and any(r.rule == rule for r in v.reasons), (text, v.reasons)


def test_the_classical_canon_is_almost_never_flagged(shipped_filter) -> None:  # noqa: ANN001
    rows = _rows(CANON)
    flagged = [r["text"][:20] for r in rows if shipped_filter.check(r["text"]).action != "allow"]
    assert len(flagged) <= 0.02 * len(rows), flagged
