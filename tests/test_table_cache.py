"""Tables kept across processes (filters/table_cache.py): the 拆字 reader and the homophone reopen table from the
cache equal the ones read from their files; a damaged, forged or wrong-typed file is never used; the key follows
the source files; large string sets and dicts come back equal (joined in the file)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from filters import chaizi, homophone_reopen, matcher_cache, table_cache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(d))
    return d


def _chaizi_state(c: chaizi.Chaizi) -> tuple:
    return c.joins, c.terms, c.longest, c._anchor.pattern if c._anchor else None


def test_cached_tables_equal_the_files(cache: Path) -> None:
    read = chaizi._read_table()
    for _ in range(2):  # built and stored, then from the file
        got = table_cache.cached("chaizi", (chaizi.TABLE, chaizi.__file__), chaizi._read_table, chaizi.Chaizi)
        assert type(got) is chaizi.Chaizi and _chaizi_state(got) == _chaizi_state(read)
        assert got.replacements("一夜忄青") == read.replacements("一夜忄青") != []
    reopened = homophone_reopen._read_table()
    for _ in range(2):
        got = table_cache.cached("reopen", (homophone_reopen.TABLE, homophone_reopen.__file__),
                                 homophone_reopen._read_table, dict)
        assert got == reopened and len(got) > 10
    assert {p.name.split("-")[0] for p in cache.glob("*.pickle")} == {"chaizi", "reopen"}


def test_large_string_sets_and_dicts_come_back_equal(cache: Path) -> None:
    words = [f"词{i}" for i in range(200)]
    value = {"set": frozenset(words), "dict": {w: w[::-1] for w in words}, "pattern": re.compile("[猫狗]+"),
             "newline": frozenset([*words, "a\nb"]), "empty": frozenset({"", *words}), "small": frozenset({"x"}),
             "not_str": {w: i for i, w in enumerate(words)}}
    payload = table_cache.dumps(value)
    assert payload is not None
    table_cache.save("k", "test", value)
    back = table_cache.load("k", "test")
    assert back == value and type(back["set"]) is frozenset and back["pattern"].pattern == "[猫狗]+"
    assert table_cache.load("other", "test") is None


def test_damaged_forged_or_wrong_typed_files_are_never_used(cache: Path) -> None:
    sources = (chaizi.TABLE, chaizi.__file__)
    builds: list[int] = []

    def build() -> chaizi.Chaizi:
        builds.append(1)
        return chaizi._read_table()

    table_cache.cached("chaizi", sources, build, chaizi.Chaizi)
    (path,) = cache.glob("chaizi-*.pickle")
    key = path.name[len("chaizi-") : -len(".pickle")]
    good = path.read_bytes()
    flipped = bytearray(good)
    flipped[-9] ^= 0x20
    for bad in [None, pickle.dumps({"joins": {}}), b"not a pickle", pickle.dumps(("frozenset", 1))]:
        if bad is None:
            path.write_bytes(bytes(flipped))  # the MAC fails
        else:
            assert matcher_cache.save(key, bad, kind="chaizi")  # the right MAC over the wrong thing
        builds.clear()
        got = table_cache.cached("chaizi", sources, build, chaizi.Chaizi)
        assert builds == [1] and _chaizi_state(got) == _chaizi_state(chaizi._read_table())
        path.write_bytes(good)
    builds.clear()
    table_cache.cached("chaizi", sources, build, chaizi.Chaizi)
    assert builds == []  # the good file is used again


def test_the_key_follows_the_source_files(tmp_path: Path) -> None:
    table = tmp_path / "chaizi.json"
    table.write_bytes(chaizi.TABLE.read_bytes())
    key = table_cache.digest("chaizi", (table, chaizi.__file__))
    assert key is not None and key == table_cache.digest("chaizi", (table, chaizi.__file__))
    assert table_cache.digest("reopen", (table, chaizi.__file__)) != key  # another kind
    table.write_bytes(table.read_bytes().replace("强".encode(), "弱".encode(), 1))
    assert table_cache.digest("chaizi", (table, chaizi.__file__)) != key  # an edited table
    assert table_cache.digest("chaizi", (tmp_path / "missing.json", chaizi.__file__)) is None  # no cache at all
