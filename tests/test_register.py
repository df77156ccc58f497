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


def test_a_word_actually_written_in_a_poem_still_matches(shipped_filter) -> None:  # noqa: ANN001
    v = shipped_filter.check("男儿事长征，少小幽燕客。赌胜马蹄下，由来轻七尺。杀人莫敢前，须如猬毛磔。")
    assert v.action == "block" and any(r.rule == "lexicon:violence:杀人" for r in v.reasons), v.reasons


def test_the_classical_canon_is_almost_never_flagged(shipped_filter) -> None:  # noqa: ANN001
    rows = _rows(CANON)
    flagged = [r["text"][:20] for r in rows if shipped_filter.check(r["text"]).action != "allow"]
    assert len(flagged) <= 0.02 * len(rows), flagged
