"""filters/regex_cache.py: a pattern built from a stored program behaves exactly as re.compile's, and a
stored file that is forged, corrupt or from another Python is never used."""

from __future__ import annotations

import _sre
import array
import pickle
import re
from pathlib import Path

import pytest

from filters import matcher_cache, regex_cache
from filters.engine import TextFilter
from filters.tools.verdict_golden import eval_sets


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty cache dir and no programs loaded yet."""
    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_programs", None)
    monkeypatch.setattr(regex_cache, "_added", False)
    monkeypatch.setattr(regex_cache, "_used", set())
    return tmp_path


def _same(a: re.Pattern[str], b: re.Pattern[str], texts: list[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for t in texts:
        assert [(m.span(), m.groups()) for m in a.finditer(t)] == [(m.span(), m.groups()) for m in b.finditer(t)]


@pytest.fixture
def in_use(shipped_filter: TextFilter) -> list[tuple[str, int]]:
    """The patterns the filter compiles through the cache (PII recognisers built on a text that needs them)."""
    shipped_filter.pii.find("我家住在北京市朝阳区建国路88号3栋2单元501室，电话13812345678，QQ 12345678 a@b.com")
    return sorted(regex_cache._used)


def test_stored_programs_give_the_patterns_re_compile_gives(in_use: list[tuple[str, int]], fresh: Path) -> None:
    assert len(in_use) > 30  # normaliser, tables, combo scan and PII patterns go through the cache
    for pattern, flags in in_use:
        regex_cache.compile(pattern, flags)
    assert regex_cache.save()
    (written,) = fresh.glob("regex-*.pickle")
    assert written.stat().st_size > 1000
    regex_cache._programs = None  # as in a new process: the programs come from the file
    texts = [t for _, ts in eval_sets() for t in ts][::5] + ["ＡＢＣ123 一二三 abc@example.com 13812345678"]
    for pattern, flags in in_use:
        assert regex_cache._load()[(pattern, flags)] == regex_cache.program(pattern, flags)
        _same(regex_cache.compile(pattern, flags), re.compile(pattern, flags), texts)


def test_a_forged_or_foreign_file_is_not_used(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regex_cache.compile("[0-9]+x", 0)
    assert regex_cache.save()
    (path,) = fresh.glob("regex-*.pickle")
    key = path.name[len("regex-") : -len(".pickle")]
    assert matcher_cache.load(key, kind="regex") is not None
    head = path.read_bytes()[: len(matcher_cache.MAGIC) + matcher_cache.MAC_BYTES]
    forged = {("[0-9]+x", 0): regex_cache.program("[a-z]+x", 0)}  # a well-formed pickle, not the one MACed
    path.write_bytes(head + pickle.dumps(forged, protocol=5))
    assert matcher_cache.load(key, kind="regex") is None  # the MAC fails: never unpickled
    regex_cache._programs = None
    assert regex_cache._load() == {}
    assert regex_cache.compile("[0-9]+x").findall("12x 3 45x") == ["12x", "45x"]
    monkeypatch.setattr(regex_cache, "FORMAT", regex_cache.FORMAT + 1)  # another Python or format: other key
    assert regex_cache.cache_key() != key


def test_a_program_the_engine_refuses_falls_back(fresh: Path) -> None:
    regex_cache._load()[("a+b", 0)] = (0, [1, 2, 3], 0, {}, (None,))  # not a valid program
    assert regex_cache.compile("a+b").findall("aab ab b") == ["aab", "ab"]


def test_programs_are_held_compactly(fresh: Path) -> None:
    """Stored code is an array of SRE_CODE, not a list of Python ints: the lists held ~15-25 MB and pushed
    `kidsafe check` past its 150 MB budget (benchmarks/bench_filters.py measures it)."""
    cjk = "[\u4e00-\u9fff]+"
    regex_cache.compile(cjk)
    flags, code, *_ = regex_cache._programs[(cjk, 0)]
    assert isinstance(code, array.array) and code.itemsize == _sre.CODESIZE
    assert regex_cache.save()
    regex_cache._programs = None
    again = regex_cache.compile(cjk)
    assert isinstance(regex_cache._programs[(cjk, 0)][1], array.array)
    _same(again, re.compile(cjk), ["abc 中文 def", "没有"])


_BUILD_EVERY_PATTERN = """
from filters import regex_cache
from filters.engine import TextFilter
tf = TextFilter.load()
tf.check("我家住在北京市朝阳区建国路88号3栋2单元501室，电话13812345678 two one two five five five 0147 a@b.com")
print(sorted(k for k in regex_cache._programs if k in regex_cache._used and regex_cache._added))
"""


def test_a_second_process_compiles_no_pattern_again(tmp_path: Path) -> None:
    """The PII alternations were built from sets, whose order follows the per-process string hash: every
    process made other pattern text, missed the stored programs, compiled ~40 ms and rewrote the file at
    exit (which grew to 150 variants, 7 MB, all loaded at each start-up). Under another hash seed, a
    second process must find every pattern it builds already stored."""
    import os
    import subprocess
    import sys

    def run(seed: str) -> str:
        env = {**os.environ, "KIDSAFE_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": seed}
        return subprocess.run([sys.executable, "-c", _BUILD_EVERY_PATTERN], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()

    assert run("1") != "[]"  # the first process compiled and stored them
    assert run("2") == "[]"
