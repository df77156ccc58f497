"""PII written to slip past a filter: digits as circled, negative-circled, parenthesised, with a full
stop, super/subscript, full-width or mathematical forms mixed with Chinese numerals; e-mail
addresses on any domain (example.com included) while format placeholders stay out."""

from __future__ import annotations

import pytest

from filters.pii import PiiDetector


@pytest.fixture(scope="module")
def det() -> PiiDetector:
    return PiiDetector()


FORMS: list[tuple[str, str, str]] = [
    ("我的微信是9⓿二肆⁹₈③⑸⒋", "im_account", "9⓿二肆⁹₈③⑸⒋"),
    ("加我微信 9⓿二肆⁹₈③⑸⒋…", "im_account", "9⓿二肆⁹₈③⑸⒋"),
    ("QQ ⑴⑵⑶⑷⑸⑹⑺", "im_account", "⑴⑵⑶⑷⑸⑹⑺"),
    ("扣扣：❾❽❼❻❺④③②①", "im_account", "❾❽❼❻❺④③②①"),
    ("手机❶❸❽①②③④⑤⑥⑦⑧", "phone", "❶❸❽①②③④⑤⑥⑦⑧"),
    ("电话 ¹³⁸₁₂₃₄₅₆₇₈", "phone", "¹³⁸₁₂₃₄₅₆₇₈"),
    ("手机号 ⒈⒊⒏⒈⒉⒊⒋⒌⒍⒎⒏", "phone", "⒈⒊⒏⒈⒉⒊⒋⒌⒍⒎⒏"),
    ("手机 一③八 ⓵⓶⓷⓸ 五⑥七八", "phone", "一③八 ⓵⓶⓷⓸ 五⑥七八"),
    ("打给我 ➀➂➇➊➋➌➍➎➏➐➑", "phone", "➀➂➇➊➋➌➍➎➏➐➑"),
    ("my phone is 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "phone", "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"),
    ("身份证 ③③⓪①⓪⑥①⑨⑧⓪①⓪①⓪③②①①", "id_card", "③③⓪①⓪⑥①⑨⑧⓪①⓪①⓪③②①①"),
    ("银行卡 🄇🄃🄃🄃⓪②①②③④⑤⑥⑦⑧⑨⓪①②⑧", "bank_card", "🄇🄃🄃🄃⓪②①②③④⑤⑥⑦⑧⑨⓪①②⑧"),
    ("密码是④⑤⑥⑦⑧⑨", "password", "④⑤⑥⑦⑧⑨"),
    # e-mail on any domain
    ("my email is name@example.com", "email", "name@example.com"),
    ("邮箱 xiaoming2015@example.com", "email", "xiaoming2015@example.com"),
    ("mail lily.wang@example.org", "email", "lily.wang@example.org"),
    ("写信到 kid@school.xyz", "email", "kid@school.xyz"),
    ("my mail is tom@mail.museum", "email", "tom@mail.museum"),
    ("lily at example dot com", "email", "lily at example dot com"),
]


@pytest.mark.parametrize(("text", "kind", "value"), FORMS)
def test_detects_disguised_forms(det: PiiDetector, text: str, kind: str, value: str) -> None:
    assert (kind, value) in [(m.kind, m.text) for m in det.scan(text)]
    assert det.has_trigger(text)  # the fast pre-check lets every form through


PLACEHOLDERS = [
    "e-mail format: user@domain.tld", "邮箱格式 xxx@xxx.com", "example: user@example.com",
    "your.name@yourdomain.com", "you@example.org", "someone@gmail.com 只是示例", "test@example.net",
    "admin@localhost.localhost", "a@b.invalid", "x@y.example",
]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_format_placeholders_are_not_addresses(det: PiiDetector, text: str) -> None:
    assert [m.kind for m in det.scan(text)] == []


TRAPS = ["E=mc² 和 10³ 米", "水的化学式是H₂O，二氧化碳是CO₂", "第①题和第②题", "⑴⑵⑶ 三个步骤",
         "面积 100m² 的房子", "6.02×10²³ 个分子", "❶ 起床 ❷ 刷牙 ❸ 吃早饭"]


@pytest.mark.parametrize("text", TRAPS)
def test_digit_forms_in_ordinary_text_are_not_pii(det: PiiDetector, text: str) -> None:
    assert det.scan(text) == []


def test_spans_index_the_original_text(det: PiiDetector) -> None:
    text = "嗨～我的微信是9⓿二肆⁹₈③⑸⒋，记得加"
    (m,) = det.find(text)
    assert text[m.start:m.end] == m.text == "9⓿二肆⁹₈③⑸⒋"
    assert det.redact(text, [m]) == "嗨～我的微信是[账号]，记得加"
