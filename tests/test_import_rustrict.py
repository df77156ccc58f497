"""finnbear/rustrict's profanity.csv: its five 0-3 scales map to kidsafe categories; provenance is pinned."""

from __future__ import annotations

from filters.tools import import_rustrict
from filters.tools.import_rustrict import map_row
from filters.tools.sources import load_sources


def scores(profane: int = 0, offensive: int = 0, sexual: int = 0, mean: int = 0) -> dict[str, int]:
    return {"profane": profane, "offensive": offensive, "sexual": sexual, "mean": mean}


def test_scales_map_to_categories_and_severities() -> None:
    assert map_row("fuhk", scores(profane=2, sexual=2)) == ("sexual", 2)
    assert map_row("jigabo", scores(offensive=3)) == ("bullying", 3)
    assert map_row("nyger", scores(profane=3, offensive=5)) == ("bullying", 3)  # 5 is capped at 3
    assert map_row("gayass", scores(profane=2, offensive=2, sexual=2)) == ("bullying", 2)  # a slur, not sex
    assert map_row("numbnuts", scores(mean=2)) == ("bullying", 2)
    assert map_row("shootupaschool", scores(profane=3)) == ("violence", 3)
    assert map_row("killurself", scores(offensive=2, mean=3)) == ("bullying", 3)  # told to a person: bullying
    assert map_row("hopeyoudie", scores(mean=3)) == ("bullying", 3)


def test_mild_evasive_symbol_art_and_short_rows_are_left_out() -> None:
    assert map_row("damn", scores(profane=1)).startswith("mild")
    assert map_row("pregnant", scores(sexual=1)).startswith("mild")
    assert map_row("pron", scores()) == "evasive only"
    assert map_row("8==D", scores(sexual=2)).startswith("symbol art")
    assert map_row("fk", scores(profane=2, sexual=2)).startswith("under three letters")  # FK: a foreign key
    assert map_row("f'd", scores(profane=2, sexual=2)).startswith("under three letters")  # fd: a file descriptor
    assert map_row("бля", scores(profane=2)) == "a script kidsafe does not filter"
    assert map_row("傻逼", scores(profane=2, mean=2)) == ("bullying", 2)  # two Chinese characters are fine


def test_source_is_pinned_with_a_redistributable_licence() -> None:
    src = load_sources()["rustrict"]
    assert src.repository == "https://github.com/finnbear/rustrict" and src.license == "MIT"
    assert src.commit == "8c8644b7585795934fda3efb41afd977549e856f" and src.path == "src/profanity.csv"
    terms, skipped = import_rustrict.read(src)
    by_term = {c.term: c for c in terms}
    assert by_term["jigabo"].category == "bullying" and by_term["jigabo"].origin.startswith("profanity.csv:")
    assert all(c.source == "rustrict" for c in terms)
    assert {c.category for c in terms} == {"bullying", "sexual", "violence"}
    assert any(why.startswith("mild") for _, why in skipped)
