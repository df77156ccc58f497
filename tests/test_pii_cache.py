"""The PII detector's cache (filters/pii_cache.py): a detector from the cache finds what a fresh one finds; a
forged, damaged or misshapen file is never used (the detector is built again); the key follows the PII code
and data files."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from filters import matcher_cache, pii_cache
from filters.pii import PiiDetector
from filters.pii.types import UNCHECKED

TEXTS = ["我的手机号是13812345678", "call me on 212 555 0147", "密码是abc123", "住在幸福小区5号楼",
         "QQ ①②③④⑤⑥⑦⑧⑨", "今天天气很好", "mail a@b.cn", "我家住在北京市海淀区中关村大街1号，电话010-62345678",
         "my email is tom.lee@example.org and my zip is 94103", "身份证号11010519491231002X", ""]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("KIDSAFE_CACHE_DIR", str(d))
    return d


def _answers(det: PiiDetector) -> list[tuple]:
    return [(det.has_trigger(t), [(m.kind, m.start, m.end) for m in det.find(t)]) for t in TEXTS]


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every build of a detector's state and of its recognisers from the data files."""
    calls: list[str] = []
    init, build = PiiDetector.__init__, PiiDetector._build

    def counting_init(self, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append("state")
        init(self, *a, **kw)

    def counting_build(self):  # noqa: ANN001, ANN202
        if self._built is None:
            calls.append("recognisers")
        return build(self)

    monkeypatch.setattr(PiiDetector, "__init__", counting_init)
    monkeypatch.setattr(PiiDetector, "_build", counting_build)
    return calls


def test_a_cached_detector_finds_what_a_fresh_one_finds(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _answers(PiiDetector())
    assert sum(bool(found) for _, found in fresh) >= 6  # the texts do hold personal data
    first = pii_cache.CachedPiiDetector.load()
    assert _answers(first) == fresh  # built, and both parts stored
    assert {p.name.split("-")[0] for p in cache.glob("*.pickle")} == {pii_cache.KIND, pii_cache.BUILT_KIND}
    calls = _builds(monkeypatch)
    loaded = pii_cache.CachedPiiDetector.load()
    assert _answers(loaded) == fresh
    assert calls == []  # neither the state nor the recognisers were built again
    plain = PiiDetector()
    assert loaded.redact(TEXTS[0], loaded.find(TEXTS[0])) == plain.redact(TEXTS[0], plain.find(TEXTS[0]))


@pytest.mark.parametrize("kind", [pii_cache.KIND, pii_cache.BUILT_KIND])
def test_damaged_forged_or_misshapen_files_are_never_used(cache: Path, kind: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _answers(PiiDetector())
    _answers(pii_cache.CachedPiiDetector.load())
    (path,) = cache.glob(f"{kind}-*.pickle")
    key = path.name[len(kind) + 1 : -len(".pickle")]
    good = path.read_bytes()
    calls = _builds(monkeypatch)
    wanted = "state" if kind == pii_cache.KIND else "recognisers"
    flipped = bytearray(good)
    flipped[-5] ^= 0x40
    # a bit flipped (the MAC fails); under the right MAC: a state of the wrong shape, bytes that do not unpickle
    for bad in [None, {"_trigger": None}, (None, ()), b"not a pickle"]:
        if bad is None:
            path.write_bytes(bytes(flipped))
        else:
            assert matcher_cache.save(key, bad if isinstance(bad, bytes) else pickle.dumps(bad), kind=kind)
        calls.clear()
        assert _answers(pii_cache.CachedPiiDetector.load()) == fresh
        assert wanted in calls  # built afresh from the data files, not taken from the bad file
        path.write_bytes(good)


def test_the_key_follows_the_pii_code_and_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "pii"
    shutil.copytree(pii_cache.DATA_DIR, data)
    monkeypatch.setattr(pii_cache, "DATA_DIR", data)
    key = pii_cache.cache_key()
    assert key is not None and key == pii_cache.cache_key()
    cues = data / "cues.json"
    cues.write_text(cues.read_text(encoding="utf-8").replace("手机号", "手机号码号", 1), encoding="utf-8")
    assert pii_cache.cache_key() != key  # an edited cue list is a new detector
    code = tmp_path / "code"
    shutil.copytree(pii_cache.CODE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pii_cache, "CODE_DIR", code)
    before = pii_cache.cache_key()
    (code / "email.py").write_text((code / "email.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert pii_cache.cache_key() != before  # so is edited recogniser code


def test_a_cached_detector_still_fails_closed(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pii_cache.CachedPiiDetector.load().find(TEXTS[0])  # both parts stored
    det = pii_cache.CachedPiiDetector.load()
    (email,) = [r for r in det.recognisers if r.name == "email"]

    def broken(scan, cands):  # noqa: ANN001, ANN202
        raise RuntimeError("boom")

    monkeypatch.setattr(email, "scan", broken)
    (m,) = det.find("mail a@b.cn")
    assert m.kind == UNCHECKED and m.recogniser == "email"
