"""The start-up checks of the 拆字 and misspelling tables, made on all entries at once (filters/chaizi.py
`_valid_at_once`, filters/english_reading.py `_ascii_words`), refuse exactly what the per-entry loops refuse:
a damaged table still raises (fails closed), naming the 拆字 entry at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters import chaizi, english_reading

_SHIPPED = json.loads(chaizi.TABLE.read_text(encoding="utf-8"))

# (parts -> character) joins that break one rule each, the message naming the entry
_BAD_JOINS = [
    ({"女干": "奸", "女": "奸"}, "'女'"),  # one part
    ({"女干": "奸", "女干子口": "奸"}, "'女干子口'"),  # four parts
    ({"女干": "奸", "弓虽": "强强"}, "'弓虽'"),  # joined to two characters
    ({"女干": "奸", "女a": "奸"}, "'女a'"),  # a part that is not a Chinese character
    ({"女干": "奸", "弓虽": "A"}, "'弓虽'"),  # joined to a letter
    ({"女干": "奸", "口口": "吕"}, "holds no anchor"),  # no anchor among its parts
]


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joins: dict) -> chaizi.Chaizi:
    table = tmp_path / "chaizi.json"
    table.write_text(json.dumps({"joins": joins, "terms": ["强奸"], "anchors": "女弓虽干"}, ensure_ascii=False),
                     encoding="utf-8")
    monkeypatch.setattr(chaizi, "TABLE", table)
    chaizi.default_chaizi.cache_clear()
    try:
        return chaizi.default_chaizi()
    finally:
        chaizi.default_chaizi.cache_clear()


def test_the_shipped_table_passes_at_once() -> None:
    assert chaizi._valid_at_once(_SHIPPED["joins"], _SHIPPED["anchors"])


@pytest.mark.parametrize(("joins", "named"), _BAD_JOINS)
def test_a_damaged_chaizi_table_fails_closed_naming_the_entry(tmp_path, monkeypatch, joins, named) -> None:  # noqa: ANN001
    assert not chaizi._valid_at_once(joins, "女弓虽干")
    with pytest.raises(ValueError, match=named):
        _load(tmp_path, monkeypatch, joins)


def test_a_join_to_a_number_fails_closed(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    with pytest.raises((TypeError, ValueError)):
        _load(tmp_path, monkeypatch, {"女干": "奸", "弓虽": 5})


def test_a_sound_chaizi_table_loads(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    reader = _load(tmp_path, monkeypatch, {"女干": "奸", "弓虽": "强"})
    assert reader.longest == 2 and reader.replacements("弓虽女干") == [(0, 2, "强"), (2, 4, "奸")]


@pytest.mark.parametrize("words", [
    [], ["hate", "kill"], ["hate", 3], ["hate", ""], ["hate", "k1ll"], ["naïve"], ["two words"], ["ok", None],
    ["hate", "Kill"], json.loads(english_reading.TABLE.read_text(encoding="utf-8"))["targets"],
])
def test_ascii_words_is_the_per_word_check(words: list) -> None:
    assert english_reading._ascii_words(words) == all(
        isinstance(w, str) and w.isascii() and w.isalpha() for w in words)
