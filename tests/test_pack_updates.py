"""A pack update must not weaken the filter silently, and a malformed pack file is a LexiconError.

Issue 11: a pack set without `sexual`, or `"entries": []` under an unchanged version, turned 色情直播
into `allow`; deep nesting and huge integers raised RecursionError / ValueError.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.engine import TextFilter
from filters.lexicon import LexiconError, check_replacement, load_pack, parse_pack

SEXUAL = {"schema": 1, "pack": "sexual", "version": "1",
          "entries": [{"term": "色情直播", "category": "sexual", "severity": 3}]}
VIOLENCE = {"schema": 1, "pack": "violence", "version": "1",
            "entries": [{"term": "砍死你", "category": "violence", "severity": 2}]}


def _write(d: Path, *docs: dict) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("*.json"):
        old.unlink()
    for doc in docs:
        (d / f"{doc['pack']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return d


@pytest.fixture()
def tf(tmp_path: Path) -> TextFilter:
    tf = TextFilter.load(packs_dir=_write(tmp_path / "v1", SEXUAL, VIOLENCE))
    assert tf.check("色情直播").action == "block"
    return tf


def test_dropping_a_category_is_refused_unless_the_update_says_so(tf: TextFilter, tmp_path: Path) -> None:
    without_sexual = _write(tmp_path / "v2", {**VIOLENCE, "version": "2"})
    with pytest.raises(LexiconError, match="sexual"):
        tf.reload_packs(without_sexual)
    assert tf.check("色情直播").action == "block"
    assert set(tf.pack_versions()) == {"sexual", "violence"}
    tf.reload_packs(without_sexual, drop_categories=("sexual",))  # stated explicitly: accepted
    assert tf.check("色情直播").action == "allow"
    with pytest.raises(LexiconError, match="unknown"):
        tf.reload_packs(without_sexual, drop_categories=("politics",))


def test_empty_pack_is_refused(tf: TextFilter, tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no entries"):
        tf.reload_packs(_write(tmp_path / "v2", {**SEXUAL, "entries": []}, VIOLENCE))
    assert tf.check("色情直播").action == "block"


def test_changed_content_under_the_same_version_is_refused(tf: TextFilter, tmp_path: Path) -> None:
    before = tf.pack_versions()
    weakened = {**SEXUAL, "entries": [{"term": "成人视频", "category": "sexual", "severity": 2}]}
    with pytest.raises(LexiconError, match="keeps version"):
        tf.reload_packs(_write(tmp_path / "v2", weakened, VIOLENCE))
    assert tf.check("色情直播").action == "block" and tf.pack_versions() == before
    tf.reload_packs(_write(tmp_path / "v3", {**weakened, "version": "2"}, VIOLENCE))  # a new version: fine
    assert tf.pack_versions()["sexual"].startswith("2+")
    assert tf.pack_versions()["violence"] == before["violence"]  # same content, same label


def test_pack_versions_carry_the_content_digest() -> None:
    a = parse_pack(SEXUAL)
    b = parse_pack({**SEXUAL, "entries": [{"term": "成人视频", "category": "sexual"}]})
    assert a.version == b.version and a.label != b.label
    assert a.label == f"1+{a.sha256[:12]}"
    check_replacement([a], [a])  # the same set again is no change


@pytest.mark.parametrize("term", ["💋", "\u200b", "***", "\u0301", "  "])
def test_terms_that_normalise_to_nothing_are_refused(term: str) -> None:
    with pytest.raises(LexiconError, match="term"):
        parse_pack({**SEXUAL, "entries": [{"term": term, "category": "sexual"}]})


@pytest.mark.parametrize(
    "raw",
    [
        b'{"schema": 1, "pack": "x", "version": "1", "entries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"schema": 1, "pack": "x", "version": "1", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b","
        b' "entries": [{"term": "\xe8\x89\xb2\xe6\x83\x85", "category": "sexual"}]}',
        b'{"schema": 1, "pack": "x", "version": "1", "entries": [{"term": "a b c", "category": "sexual", '
        b'"severity": ' + b"9" * 5000 + b"}]}",
        b'{"schema": 1' + b"0" * 30 + b', "pack": "x", "version": "1", "entries": []}',
        b'{"schema": 1, "pack": "x", "version": "1", "entries": [{"term": "abc", "category": "sexual", '
        b'"severity": NaN}]}',
        b'{"schema": 1, "pack": "x", "version": "1", "description": Infinity, "entries": []}',
        b"\xff\xfe{}",
    ],
    ids=["deep-entries", "deep-extra", "huge-int", "long-int", "nan", "infinity", "bad-utf8"],
)
def test_malformed_pack_files_raise_lexicon_error(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(raw)
    with pytest.raises(LexiconError):
        load_pack(path)


def test_deep_nesting_in_an_already_parsed_document_is_a_lexicon_error() -> None:
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(LexiconError):
        parse_pack({**SEXUAL, "extra": deep})
