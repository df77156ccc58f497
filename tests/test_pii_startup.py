"""The PII detector's start-up shortcuts give the same answers as the slow forms they replace."""

from __future__ import annotations

import json
import unicodedata

from filters.pii import PiiDetector, digits
from filters.pii.digits import _digit_table

TEXTS = ["我的手机号是13812345678", "call me on 212 555 0147", "密码是abc123", "住在幸福小区5号楼",
         "QQ ①②③④⑤⑥⑦⑧⑨", "今天天气很好", "mail a@b.cn", ""]


def test_digit_table_is_every_code_point_with_a_digit_value() -> None:
    slow = {}
    for cp in range(0x80, 0x20000):
        d = unicodedata.digit(chr(cp), None)
        if d is not None:
            slow[cp] = 48 + d
    assert _digit_table() == slow and len(slow) > 700
    assert digits._find_digits() == slow


def test_stored_digits_are_used_only_when_made_under_this_unicode_version(tmp_path) -> None:
    assert digits._stored_digits(digits.DIGITS_PATH) == digits._find_digits(), (
        "filters/data/pii/digit_chars.json is stale: run `make tables`")
    path = tmp_path / "digits.json"
    digits.write_digits(path)
    assert digits._stored_digits(path) == digits._find_digits()
    doc = json.loads(path.read_text(encoding="utf-8"))
    for bad in ({**doc, "unidata_version": "1.0.0"}, {**doc, "values": doc["values"][:-1]},
                {**doc, "values": "x" * len(doc["values"])}, {"chars": doc["chars"]}):
        path.write_text(json.dumps(bad), encoding="utf-8")
        assert digits._stored_digits(path) is None
    path.write_text("{", encoding="utf-8")
    assert digits._stored_digits(path) is None


def test_recognisers_are_built_only_when_a_text_needs_them() -> None:
    det = PiiDetector()
    assert det.find("今天天气很好，我们去公园") == [] and det._built is None  # no trigger: nothing compiled
    assert det.find("我的手机号是13812345678")[0].kind == "phone"
    assert det._built is not None


def test_triggered_find_equals_find() -> None:
    det = PiiDetector()
    for text in TEXTS:
        if det.has_trigger(text):
            assert det.find(text, triggered=True) == det.find(text)
        else:
            assert det.find(text) == []
    assert det.find("我的手机号是13812345678", triggered=True)
