"""toolgood/ToolGood.Words keyword lists: only harm lines are kept and placed; provenance is pinned."""

from __future__ import annotations

from filters.tools import import_toolgood
from filters.tools.import_toolgood import harm_lines, place
from filters.tools.sources import load_sources


def test_lines_are_placed_by_harm_morpheme_or_illicit_offer() -> None:
    assert place("办理假学历证书") == ("fraud", 2)  # a fake-document advert
    assert place("销售四氢吡喃酮")[0] == "violence"  # an offer of a chemical: a poison / hazard offer
    assert place("k7娱乐城")[0] == "gambling"
    assert place("销售热线") is None  # a trade verb and nothing else
    assert place("高低温交变湿热试验箱") is None  # ordinary equipment
    assert place("打倒共产党") is None  # politics stays out


def test_harm_copy_keeps_placed_lines_once_in_order() -> None:
    upstream = "\ufeff打倒共产党\n办理假学历证书\n高低温交变湿热试验箱\n办理假学历证书\n\nk7娱乐城\n"
    assert harm_lines(upstream) == ["办理假学历证书", "k7娱乐城"]


def test_source_is_pinned_with_a_redistributable_licence() -> None:
    src = load_sources()["toolgood-words"]
    assert src.repository == "https://github.com/toolgood/ToolGood.Words" and src.license == "Apache-2.0"
    assert src.commit == "33019cd23b74048d82e298fcb4a673517aa587bf"
    terms, _ = import_toolgood.read(src)
    assert terms and all(c.source == "toolgood-words" for c in terms)
    assert all(c.origin.split(":")[0] in {"IllegalKeywords.harm.txt", "BadWord.harm.txt"} for c in terms)
    assert {c.category for c in terms} <= {"fraud", "violence", "sexual", "gambling", "drugs"}
    # the committed copy holds only what the importer keeps: re-deriving it changes nothing
    for name in import_toolgood.FILES:
        text = src.file(f"{name}.harm.txt").read_text(encoding="utf-8")
        assert harm_lines(text) == text.splitlines()
