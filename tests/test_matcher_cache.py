"""The matcher cache: a cached matcher finds what a built one finds; foreign, unsafe or corrupt files are ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from filters import matcher_cache
from filters.lexicon import Entry, load_packs
from filters.matcher import Matcher

TEXTS = ["色情小说在线阅读", "涩情图片", "se情漫画", "f*ck you p0rn", "他的脸色情况不太好", "sports bett1ng 菠菜平台"]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(d))
    return d


def _found(m: Matcher) -> list[list[tuple[str, tuple[int, int], str]]]:
    return [[(h.entry.term, h.span, h.view) for h in m.find(t)] for t in TEXTS]


def test_cached_matcher_finds_the_same(cache: Path, normalizer, segmenter) -> None:
    entries = [e for p in load_packs() for e in p.entries]
    built = Matcher(entries, normalizer, segmenter, cache=True)
    files = list(cache.glob("matcher-*.pickle"))
    assert len(files) == 1 and (files[0].stat().st_mode & 0o777) == 0o600
    assert (cache.stat().st_mode & 0o777) == 0o700
    loaded = Matcher(entries, normalizer, segmenter, cache=True)
    assert "_raw_readings" not in loaded.__dict__  # loaded, not rebuilt
    assert _found(loaded) == _found(built) and any(_found(built))
    # another pack set is another file, never the first one's automata
    other = Matcher([*entries, Entry("恐龙", "custom", 3, "word", False, (), "extra")], normalizer, segmenter,
                    cache=True)
    assert len(list(cache.glob("matcher-*.pickle"))) == 2
    assert [h.entry.term for h in other.find("我喜欢恐龙")] == ["恐龙"]
    assert loaded.find("我喜欢恐龙") == []
    # a file renamed to another pack set's name is not that pack set's matcher
    a, b = sorted(cache.glob("matcher-*.pickle"))
    b.write_bytes(a.read_bytes())
    assert matcher_cache.load(b.name[len("matcher-") : -len(".pickle")]) is None


def test_corrupt_or_unsafe_cache_is_ignored(cache: Path, normalizer, segmenter) -> None:
    entries = [Entry("色情", "sexual", 3, "default", True, (), "t")]
    Matcher(entries, normalizer, segmenter, cache=True)
    (path,) = cache.glob("matcher-*.pickle")
    key = path.name[len("matcher-") : -len(".pickle")]
    assert matcher_cache.load(key) is not None
    path.write_bytes(path.read_bytes()[:100])  # truncated
    assert matcher_cache.load(key) is None
    assert [h.entry.term for h in Matcher(entries, normalizer, segmenter, cache=True).find("色情")] == ["色情"]
    assert matcher_cache.load(key) is not None  # rebuilt and stored again
    os.chmod(path, 0o666)  # anyone could have replaced it: not trusted
    assert matcher_cache.load(key) is None
    os.chmod(path, 0o600)
    os.chmod(cache, 0o777)
    assert matcher_cache.load(key) is None
    os.chmod(cache, 0o700)
    path.unlink()
    path.symlink_to("/dev/zero")
    assert matcher_cache.load(key) is None


def test_unwritable_cache_dir_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, normalizer,
                                           segmenter) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(blocker / "sub"))
    m = Matcher([Entry("色情", "sexual", 3, "default", True, (), "t")], normalizer, segmenter, cache=True)
    assert [h.entry.term for h in m.find("色情")] == ["色情"]
