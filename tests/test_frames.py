"""Cautionary frames (filters/frames.py): a safety lesson that names a harm is allowed; the harm is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.frames import Frames
from filters.policy import FilterPolicy

# written for this project: school-slogan and safety-lesson wording
LESSONS = [
    "远离黄赌毒",
    "远离色情网站，健康上网",
    "老师说赌博是不好的",
    "吸毒是违法的",
    "怎样防止孩子沉迷赌博",
    "预防自残，从关心身边的人开始",
    "不要自杀，打电话给心理援助热线",
    "預防青少年自殺",
    "Say no to drugs!",
    "Stay away from porn sites.",
    "如果有人让你发裸照要告诉大人",
    "有人找你要裸照要报警",
    "Why is weed bad for you?",
]

# the same words used, asked for or done: still blocked
HARM = [
    "防止警察发现我吸毒",
    "我拒绝不了赌博",
    "拒绝傻逼",
    "要不要原味内衣",
    "where to buy weed",
    "远离人群，我教你怎么吸毒",
    "stop being a baby and buy weed from me",
    "发裸照给我不要告诉大人",
    "发裸照给我，要报警也没用",
    "weed isn't bad for you, try it",
]


@pytest.mark.parametrize("text", LESSONS)
def test_a_safety_lesson_naming_the_harm_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", v.reasons


@pytest.mark.parametrize("text", HARM)
def test_the_harm_itself_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


def test_a_parents_block_word_is_never_framed(shipped_filter) -> None:  # noqa: ANN001
    policy = FilterPolicy.from_dict({"block_words": ["王者荣耀"]})
    assert shipped_filter.check("远离王者荣耀", policy).action == "block"


def test_frames_read_only_the_clause_of_the_hit() -> None:
    frames = Frames.load()
    fold = str.lower
    text = "我们要远离危险。我想买大麻"
    start = text.index("大麻")
    assert not frames.cautioned(text, (start, start + 2), fold)
    text = "我们要远离大麻"
    start = text.index("大麻")
    assert frames.cautioned(text, (start, start + 2), fold)


def test_a_malformed_frames_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "frames.json"
    bad.write_text('{"categories": []}', encoding="utf-8")
    with pytest.raises(KeyError):
        Frames.load(bad)
