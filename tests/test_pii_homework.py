"""Maths homework is not personal data: a count of floors, rows or seats, or a school class that is the
subject of a word problem, is left alone; the same span stated as the child's own (我家住在, 我在, 我的座位是)
or with no maths question around it stays redacted; a broken word-problem check fails closed."""

from __future__ import annotations

import pytest

from filters.pii import UNCHECKED, PiiDetector

DET = PiiDetector()

HOMEWORK = [
    "一座八层的宝塔，每层挂2盏灯笼，这座塔一共挂了多少盏灯笼？",
    "学校有一幢4层的图书楼，每层有9个书架，全幢楼共有多少个书架？",
    "小红的电影票是15排7座，如果每排有20个座位，前面14排一共能坐多少人？",
    "电影院31排18座，每排18个座位，这个电影院最多能容纳多少人？",
    "光明小学五2班去植物园春游，全程12千米，已经走了(2/3)，还剩多少千米？",
]

OWN = [
    ("我家住在向阳小区6栋3单元，每天走800米上学，一周走多少米？", "address"),
    ("我的座位是4排9座，每排有12个座位，一共多少人？", "address"),
    ("我在光明小学五2班，每天跑步2千米，一周跑多少千米？", "school"),
    ("他住9栋1单元，一共多少钱？", "address"),
]

NO_MATHS = [
    ("光明小学五2班", "school"),
    ("15排7座", "address"),
    ("一幢4层", "address"),
    ("光明小学五2班的李明住哪？", "school"),
]


@pytest.mark.parametrize("text", HOMEWORK)
def test_word_problem_counts_are_not_pii(text: str) -> None:
    assert DET.scan(text) == []


@pytest.mark.parametrize(("text", "kind"), OWN)
def test_stated_as_own_stays_pii(text: str, kind: str) -> None:
    assert kind in {m.kind for m in DET.scan(text)}


@pytest.mark.parametrize(("text", "kind"), NO_MATHS)
def test_without_a_maths_question_stays_pii(text: str, kind: str) -> None:
    assert kind in {m.kind for m in DET.scan(text)}


def test_word_problem_check_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    det = PiiDetector()
    det.scan("暖机")  # build the recognisers
    addr = next(r for r in det.recognisers if r.name == "address")

    def boom(*_a: object) -> bool:
        raise ValueError("word-problem bug")

    monkeypatch.setattr(addr._homework, "homework", boom)
    found = det.find(HOMEWORK[0])
    assert [m.kind for m in found] == [UNCHECKED]
