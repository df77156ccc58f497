"""A PII recogniser that raises fails closed: logged once, the text treated as personal data
(redacted or blocked per policy) with a reason naming the recogniser; the strict `scan` raises."""

from __future__ import annotations

import logging

import pytest

from filters.engine import TextFilter
from filters.lexicon import load_packs
from filters.pii import UNCHECKED, PiiDetector, PiiMatch, RecogniserError
from filters.policy import DEFAULT_POLICY, FilterPolicy

# reaches every recogniser and, through "电话 62345678" (no judge before the last accepts it), every number judge
TEXT = "电话 62345678，邮箱 a@b.cn，住在幸福小区5号楼，育才小学三年级二班，密码是abc123，42 Elm Street"


def _boom(*_args: object, **_kw: object) -> None:
    raise ValueError("recogniser bug")


def _targets(det: PiiDetector) -> list[tuple[str, object, str]]:
    """(name, object, method) for the cue index, every recogniser and every number judge."""
    out: list[tuple[str, object, str]] = [("cues", det._cue_index, "find")]
    for rec in det.recognisers:
        out.append((rec.name, rec, "scan"))
        out.extend((j.name, j, "judge") for j in getattr(rec, "judges", []))
    return out


NAMES = [name for name, _, _ in _targets(PiiDetector())]


def test_every_recogniser_is_covered() -> None:
    assert len(NAMES) == len(set(NAMES)) >= 16
    assert {"cues", "digit_runs", "id_card", "phone", "landline", "im_account", "email", "bank_card",
            "address", "school", "password", "us_phone", "us_address", "spelled_phone", "im_id"} <= set(NAMES)


def test_text_reaches_every_recogniser() -> None:
    det = PiiDetector()
    kinds = {m.kind for m in det.find(TEXT)}
    assert {"landline", "email", "address", "school", "password", "us_address"} <= kinds


@pytest.fixture(scope="module")
def tf() -> TextFilter:
    return TextFilter(load_packs())


@pytest.mark.parametrize("name", NAMES)
def test_recogniser_error_fails_closed(tf: TextFilter, name: str, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    det = PiiDetector()
    (target,) = [(obj, meth) for n, obj, meth in _targets(det) if n == name]
    monkeypatch.setattr(target[0], target[1], _boom)

    with pytest.raises(RecogniserError) as err:
        det.scan(TEXT)
    assert err.value.name == name and isinstance(err.value.__cause__, ValueError)

    with caplog.at_level(logging.ERROR, logger="kidsafe.pii"):
        first = det.find(TEXT)
        second = det.find("我的手机号是13812345678 " + TEXT)
    assert first == [PiiMatch(UNCHECKED, 0, len(TEXT), TEXT, name)]
    assert first[0].rule == f"pii:unchecked:{name}"
    assert second[0].kind == UNCHECKED and (second[0].start, second[0].end) == (0, len(TEXT) + 18)
    logged = [r for r in caplog.records if r.name == "kidsafe.pii"]
    assert len(logged) == 1 and name in logged[0].getMessage() and "recogniser bug" in logged[0].getMessage()

    # through the whole filter: redacted (default policy) or blocked (a policy that blocks PII), never allowed
    monkeypatch.setattr(tf, "pii", det)
    v = tf.check(TEXT, DEFAULT_POLICY)
    assert v.action == "redact" and v.categories == ["pii"]
    assert [r.rule for r in v.reasons if r.kind == "pii"] == [f"pii:unchecked:{name}"]
    assert v.redacted == "[未能检查，已隐藏]" and "62345678" not in v.redacted
    assert tf.check("call me on 212 555 0147", DEFAULT_POLICY).redacted == "[hidden: could not be checked]"
    blocking = FilterPolicy.from_dict({"blocked_categories": ["pii"]})
    v = tf.check(TEXT, blocking)
    assert v.action == "block" and "62345678" not in v.redacted


def test_text_without_a_trigger_is_not_affected(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-check is sound (test_pii's property test), so text it rejects needs no recogniser."""
    det = PiiDetector()
    for rec in det.recognisers:
        monkeypatch.setattr(rec, "scan", _boom)
    assert det.find("今天天气很好") == []
    assert det.find("我的手机号是13812345678")[0].kind == UNCHECKED
