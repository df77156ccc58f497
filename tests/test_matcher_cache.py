"""The matcher cache: a cached matcher finds what a built one finds; foreign, unsafe or corrupt files are ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from filters import matcher_cache
from filters.lexicon import Entry, EntryTable, load_packs
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


def _evil_pickle(marker: Path) -> bytes:
    """A pickle that would create `marker` if it were ever unpickled."""
    import pickle

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    return pickle.dumps(Evil())


def test_parsed_packs_are_cached_and_a_forged_or_corrupt_cache_is_rebuilt(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filters import lexicon

    first = load_packs()
    (path,) = cache.glob("packs-*.pickle")
    assert (path.stat().st_mode & 0o777) == 0o600 and ((cache / "cache.key").stat().st_mode & 0o777) == 0o600
    parsed: list[str] = []
    real_parse = lexicon.parse_pack_bytes
    monkeypatch.setattr(lexicon, "parse_pack_bytes", lambda data, source: parsed.append(source) or
                        real_parse(data, source))
    assert load_packs() == first and parsed == []  # from the cache, identical
    key = path.name[len("packs-") : -len(".pickle")]
    good = path.read_bytes()

    # forged: the same pack names with every entry but one dropped, under a MAC made with another secret
    weakened = [(*row[:6], EntryTable(row[6][:1], row[0])) for row in matcher_cache.load(key, kind="packs")]
    other = tmp_path / "other"
    assert matcher_cache.save(key, weakened, directory=other, kind="packs")
    path.write_bytes((other / path.name).read_bytes())
    assert load_packs() == first and len(parsed) == len(first)  # detected, parsed again
    # a file that would run code when unpickled is never unpickled without the MAC
    marker = tmp_path / "ran"
    path.write_bytes(good[:36] + _evil_pickle(marker))
    assert matcher_cache.load(key, kind="packs") is None and not marker.exists()
    # corrupt: one flipped byte in the payload, then truncated
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 1
    path.write_bytes(bytes(flipped))
    assert matcher_cache.load(key, kind="packs") is None
    path.write_bytes(good[: len(good) // 2])
    assert matcher_cache.load(key, kind="packs") is None
    parsed.clear()
    assert load_packs() == first and len(parsed) == len(first)
    assert path.read_bytes() == good or matcher_cache.load(key, kind="packs") is not None  # stored again
    # a secret others may read is not a secret: nothing is trusted (the packs are parsed)
    os.chmod(cache / "cache.key", 0o644)
    assert matcher_cache.load(key, kind="packs") is None
    parsed.clear()
    assert load_packs() == first and len(parsed) == len(first)


def test_a_changed_pack_file_misses_the_cache(cache: Path, tmp_path: Path) -> None:
    import json
    import shutil

    from filters.lexicon import PACKS_DIR

    packs_dir = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, packs_dir)
    before = load_packs(packs_dir)
    target = packs_dir / "drugs.json"
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["entries"] = doc["entries"][:3]
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    after = load_packs(packs_dir)
    assert [len(p.entries) for p in after if p.name == "drugs"] == [3]
    assert len(list(cache.glob("packs-*.pickle"))) == 2 and before != after


# the matcher's parts with their own cache file (matcher_cache.save_split): the file, the attribute, a text
# that never reads the part, and a text whose match needs it
DEFERRED_PARTS = [
    ("matchersylauto-*.pickle", "_syl_auto", "free porn videos", "se情漫画"),  # read only for Chinese
    # the spelt-pinyin and English whole-word keys (automata.WordKeys): read only for a Latin word that may be
    # one of its keys (automata.WordGate), never for Chinese alone or a word such as NBA
    ("matcherwordkeys-*.pickle", "_word_keys", "今天我们去公园玩, 看NBA", "ta shuo se qing"),
]


@pytest.mark.parametrize(("pattern", "attr", "untouched", "probe"), DEFERRED_PARTS)
def test_a_deferred_part_loads_on_first_use_and_is_rebuilt_if_its_file_went(
        cache: Path, normalizer, segmenter, pattern: str, attr: str, untouched: str, probe: str) -> None:  # noqa: ANN001
    """A part with its own cache file is unpickled only for a text that needs it; if that file is gone or
    forged by then, the matcher builds it again: never skips it."""
    entries = [e for p in load_packs() for e in p.entries]
    built = Matcher(entries, normalizer, segmenter, cache=True)
    (part,) = cache.glob(pattern)
    loaded = Matcher(entries, normalizer, segmenter, cache=True)
    assert isinstance(getattr(loaded, attr), matcher_cache.Deferred)
    loaded.find(untouched)  # a text that does not need the part: not read
    assert isinstance(getattr(loaded, attr), matcher_cache.Deferred)
    assert _found(loaded) == _found(built)
    assert not isinstance(getattr(loaded, attr), matcher_cache.Deferred)
    found = [(h.entry.term, h.view) for h in built.find(probe)]
    assert ("色情", "pinyin") in found
    for damage in (lambda: part.write_bytes(b"KSC2" + bytes(40)), part.unlink):  # forged, then gone
        again = Matcher(entries, normalizer, segmenter, cache=True)
        assert isinstance(getattr(again, attr), matcher_cache.Deferred)
        damage()
        assert [(h.entry.term, h.view) for h in again.find(probe)] == found
