"""The cheap pre-checks in front of a text's second reading (filters/readings.py) answer exactly as the full
reading does: English text whose every token is already known to read as nothing skips the token loop
(EnglishReading._plain), and a text holding none of the table's symbols skips the translation
(emoji_readings._symbols). Each test here goes red when its fast path answers wrongly. Own sentences."""

from __future__ import annotations

from filters import emoji_readings, english_reading, readings
from filters.english_reading import EnglishReading


def _fresh() -> EnglishReading:
    shipped = english_reading.default_reading()
    return EnglishReading(shipped.targets, shipped.real, shipped.function, shipped.leet)


def test_a_token_that_reads_back_is_read_again_after_the_plain_tokens_are_known() -> None:
    reader = _fresh()
    assert reader.read("those people are nice") is None  # every token now known to read as nothing
    assert reader.read("those people are nice") is None  # the fast path's answer
    for _ in range(2):  # first through the loop, then with every token remembered
        got = reader.read("those people are scmu")
        assert got is not None and got[0] == "those people are scum"
    assert "scmu" not in reader._plain and "people" in reader._plain


def test_the_fast_path_answers_as_the_loop_on_mixed_text() -> None:
    texts = ["the herd of hats and a mate", "what a disgustting bunch", "h4te all w0men", "womenarefilth",
             "Honestly womenarefilth, and peolpe agree", "PoolManager ValueError womenarefilth", "a660 b2b x86",
             "the fiting room", "", "纯中文没有字母", "those peolpe are scmu"] * 2
    fast, slow = _fresh(), _fresh()
    slow._plain = _NeverPlain()  # the loop every time
    assert [_plainly(fast.read(t)) for t in texts] == [_plainly(slow.read(t)) for t in texts]


def _plainly(got: tuple | None) -> tuple | None:
    return None if got is None else (got[0], got[1]._anchors)


def test_the_memo_and_the_plain_tokens_are_cleared_together(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(english_reading, "MEMO", 3)
    reader = _fresh()
    reader.read("plain text here with many more words beyond every limit")
    assert len(reader._plain) <= len(reader._memo) <= 3
    assert reader._plain <= set(reader._memo)


def test_the_symbol_check_knows_every_symbol_of_the_table() -> None:
    table = emoji_readings._table()
    assert emoji_readings._symbols() == frozenset(map(chr, table))
    for code, char in table.items():
        assert emoji_readings.read_symbols(f"你们{chr(code)}的") == f"你们{char}的"
    assert emoji_readings.read_symbols("今天和同学出去玩😀") == "今天和同学出去玩😀"
    r = readings.read("🀄国👨人")
    assert r is not None and r.text == "中国男人"


class _NeverPlain(set):
    """A _plain that knows no token: every read goes through the token loop."""

    def issuperset(self, other) -> bool:  # noqa: ANN001
        return False
