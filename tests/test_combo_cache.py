"""The compiled-rules cache: a cached rule set finds what a compiled one finds; a forged, foreign or
stale file is never trusted (the rules are compiled from the files again)."""

from __future__ import annotations

import io
import json
import pickle
import shutil
from pathlib import Path

import pytest

from filters import combo_cache
from filters.combo_rules import COMBOS_DIR, ComboError
from filters.combos import ComboMatcher
from filters.normalize import Views

TEXTS = ["诚招学生兼职，只需手机关注点赞，一单一结，日赚300不是问题，感兴趣私聊",
         "急招打字员 时间自由 当天结算提现 每天轻松赚几百 加vx详谈",
         "URGENT! You are the winner of a 2000 pounds cash award. To claim call 09061234567 now",
         "导师带你炒币，稳赚不赔，今天入金明天翻倍，扫码进群", "黑人都是懒鬼", "今天天气很好，我们去公园"]


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    shutil.copytree(COMBOS_DIR, d)
    return d


def _found(m: ComboMatcher, normalizer) -> list[list[tuple[str, tuple[int, int], tuple[str, ...]]]]:  # noqa: ANN001
    return [[(h.rule.rule_id, h.span, h.cues) for h in m.find(Views(t, normalizer))] for t in TEXTS]


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every compile from the rule files (ComboMatcher.load)."""
    calls: list[Path] = []
    real = ComboMatcher.load.__func__  # type: ignore[attr-defined]

    def counting(cls, rules_dir=COMBOS_DIR, **kw):  # noqa: ANN001, ANN202
        calls.append(Path(rules_dir))
        return real(cls, rules_dir, **kw)

    monkeypatch.setattr(ComboMatcher, "load", classmethod(counting))
    return calls


def _one_file(cache: Path) -> Path:
    (path,) = cache.glob(f"{combo_cache.KIND}-*.pickle")
    return path


def test_cached_rules_find_the_same(cache: Path, rules: Path, normalizer, segmenter,  # noqa: ANN001
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = ComboMatcher.load(rules, normalizer=normalizer, segmenter=segmenter)
    calls = _compiles(monkeypatch)
    first = combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    loaded = combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    assert len(calls) == 1  # the second came from the cache
    assert (_one_file(cache).stat().st_mode & 0o777) == 0o600
    assert loaded is not first and loaded.segmenter is segmenter and loaded.versions() == compiled.versions()
    found = _found(loaded, normalizer)
    assert found == _found(compiled, normalizer) == _found(first, normalizer)
    assert sum(map(bool, found)) >= 3  # the texts do fire rules
    # the automaton keys come back as the same named tuples (stored as tuple.__new__ calls)
    assert loaded._keys == compiled._keys and {type(k) for k in loaded._keys} == {type(compiled._keys[0])}


def test_forged_or_damaged_cache_is_compiled_again(cache: Path, rules: Path, normalizer, segmenter,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    path = _one_file(cache)
    good = path.read_bytes()
    calls = _compiles(monkeypatch)
    ran: list[str] = []
    monkeypatch.setattr(combo_cache, "_forged_payload_ran", ran.append, raising=False)
    # a payload that would run code when unpickled, with a MAC made without the secret
    evil = pickle.dumps(_Evil(), protocol=5)
    damaged = [good[:200], good[:-1] + bytes([good[-1] ^ 1]), good[:4] + bytes(32) + pickle.dumps(evil)]
    for bad in damaged:
        path.write_bytes(bad)
        m = combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
        assert _found(m, normalizer)[0]  # still a working rule set
    assert len(calls) == len(damaged) and not ran
    assert path.read_bytes() != damaged[-1]  # stored again, correctly
    path.chmod(0o666)  # anyone could have replaced it: not trusted
    combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    assert len(calls) == len(damaged) + 1


class _Evil:
    def __reduce__(self):  # noqa: ANN204
        return (_record, ("unpickled a forged cache",))


def _record(msg: str) -> None:
    getattr(combo_cache, "_forged_payload_ran", lambda _: None)(msg)


def test_a_changed_rule_file_is_not_served_from_the_cache(cache: Path, rules: Path, normalizer,  # noqa: ANN001
                                                          segmenter) -> None:
    before = combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    path = rules / "fraud.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["version"] += ".local"
    doc["rules"] = [r for r in doc["rules"] if r["name"] != "parttime_task_scam"]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    after = combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    assert after.versions()["fraud"] != before.versions()["fraud"]
    assert "parttime_task_scam" not in {r.name for r in after.rules}
    assert len(list(cache.glob(f"{combo_cache.KIND}-*.pickle"))) == 2


def test_bad_rule_folder_reports_as_without_a_cache(cache: Path, rules: Path, normalizer, segmenter) -> None:  # noqa: ANN001
    (rules / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ComboError, match="broken.json"):
        combo_cache.load_matcher(rules, normalizer=normalizer, segmenter=segmenter, directory=cache)
    with pytest.raises(ComboError, match="no such folder"):
        combo_cache.load_matcher(rules / "missing", normalizer=normalizer, segmenter=segmenter, directory=cache)
    assert not list(cache.glob(f"{combo_cache.KIND}-*.pickle"))


def test_the_key_covers_the_matching_code(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = combo_cache.cache_key(rules)
    monkeypatch.setattr(combo_cache, "_code_digest", lambda: "other code")
    assert combo_cache.cache_key(rules) != key


def test_automaton_keys_come_back_as_one_shared_list(rules: Path, normalizer, segmenter) -> None:  # noqa: ANN001
    compiled = ComboMatcher.load(rules, normalizer=normalizer, segmenter=segmenter)
    payload = combo_cache._dumps(compiled, normalizer, segmenter)
    assert payload is not None
    state = combo_cache._restore(payload, normalizer, segmenter)
    assert state is not None and state._keys == compiled._keys
    assert state._groups._keys is state._keys  # the rule groups read the very same list, not a second copy
    assert [type(k) for k in state._keys[:3]] == [type(compiled._keys[0])] * 3
    assert [type(v) for v in state._keys[0]] == [type(v) for v in compiled._keys[0]]  # ints, ints, ints, bool, tuple
    # columns of different lengths, or a reference to the list before its columns: not unpickled
    lengths, leads, tails, segments, members = combo_cache._key_columns(compiled._keys)
    with pytest.raises(pickle.UnpicklingError):
        combo_cache._keys_of(lengths, leads, tails, segments[:-1], members)
    shared = combo_cache._shared(normalizer, segmenter)
    with pytest.raises(pickle.UnpicklingError):
        combo_cache._Unpickler(io.BytesIO(b""), shared).persistent_load(combo_cache._KEYS)
