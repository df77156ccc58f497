"""Device policy: schema validation with Chinese and English errors, apply_policy, hot reload that keeps
the previous policy when the new one is invalid, and the last good policy surviving a restart."""

from __future__ import annotations

import json
import os

import pytest

from device.policy import DevicePolicyError, PolicyManager, PolicyWatcher, validate

GOOD = {
    "schema_version": 1,
    "version": "7",
    "age_band": "under8",
    "blocked_categories": ["sexual", "violence", "gambling"],
    "block_words": ["奥特曼打怪兽"],
    "timezone": "Asia/Shanghai",
    "time": {
        "daily_limit_min": {"weekday": 30, "weekend": 90},
        "night": {"start": "21:00", "end": "07:00"},
        "break": {"after_min": 20, "pause_min": 10},
        "exempt_features": ["dictionary"],
        "exempt_dates": ["2026-10-01"],
        "extra_time": [{"date": "2026-11-24", "minutes": 15}],
    },
    "contacts": {"parent": {"name": "妈妈", "tel": "138 0000 0000"}, "emergency": "110"},
}


def test_good_policy_parses_filter_and_time_parts():
    pol, warnings = validate(GOOD)
    assert warnings == []
    assert pol.filter.age_band == "under8" and pol.filter.block_words == ("奥特曼打怪兽",)
    assert pol.filter.blocked_categories == frozenset({"sexual", "violence", "gambling"})
    assert pol.time.weekday_limit_min == 30 and pol.time.weekend_limit_min == 90
    assert pol.time.break_after_min == 20 and pol.version == "7"


def test_filter_keys_nested_under_filter_are_accepted():
    pol, _ = validate({"filter": {"age_band": "16-17"}})
    assert pol.filter.age_band == "16-17" and pol.time.weekday_limit_min == 120


@pytest.mark.parametrize(
    ("doc", "path", "en_word", "zh_word"),
    [
        ([1, 2], "$", "JSON object", "JSON 对象"),
        ({"age_band": "9"}, "$.age_band", "one of", "之一"),
        ({"time": {"daily_limit_min": -5}}, "$.time.daily_limit_min", "at least 0", "不能小于"),
        ({"time": {"daily_limit_min": "1h"}}, "$.time.daily_limit_min", "type", "类型"),
        ({"time": {"night": {"start": "25:00", "end": "06:00"}}}, "$.time.night.start", "HH:MM", "时:分"),
        ({"time": {"night": {"start": "22:00", "end": "22:00"}}}, "$.time.night", "differ", "不能相同"),
        ({"time": {"dailylimit": 60}}, "$.time.dailylimit", "unknown key", "未知"),
        ({"time": {"exempt_dates": ["2026-02-30"]}}, "$.time.exempt_dates[0]", "calendar date", "有效日期"),
        ({"timezone": "Mars/Olympus"}, "$.timezone", "time zone", "时区"),
        ({"blocked_categories": ["nonsense"]}, "$.blocked_categories[0]", "one of", "之一"),
        ({"filter": {"blocked_categories": ["sexual", "sexual"]}}, "$.filter.blocked_categories", "repeated", "重复"),
        ({"contacts": {"parent": {"tel": "call me"}}}, "$.contacts.parent.tel", "phone number", "电话号码"),
        ({"schema_version": 2}, "$.schema_version", "one of 1", "之一：1"),
    ],
)
def test_invalid_policies_are_rejected_with_clear_bilingual_errors(doc, path, en_word, zh_word):
    with pytest.raises(DevicePolicyError) as exc:
        validate(doc)
    problems = exc.value.problems
    assert any(p.path == path and en_word in p.en and zh_word in p.zh for p in problems), problems


def test_unknown_top_level_keys_are_warnings_not_errors():
    _, warnings = validate({"future_feature": True})
    assert [w.path for w in warnings] == ["$.future_feature"]


def test_apply_policy_keeps_previous_when_invalid_and_persists_last_good(tmp_path):
    active = tmp_path / "policy.active.json"
    events: list[dict] = []
    mgr = PolicyManager(active, event_sink=events.append)
    seen = []
    mgr.subscribe(seen.append)
    assert mgr.apply_policy(GOOD).ok and mgr.current.version == "7"
    bad = mgr.apply_policy({**GOOD, "version": "8", "age_band": "adult"})
    assert not bad.ok and bad.version == "7" and bad.errors[0].zh
    assert mgr.current.version == "7" and len(seen) == 1
    assert [e["kind"] for e in events] == ["policy_applied", "policy_rejected"]
    assert json.loads(active.read_text(encoding="utf-8"))["version"] == "7"
    again = PolicyManager(active)  # a restart enforces the last good policy
    assert again.current.version == "7" and again.current.time.weekday_limit_min == 30


def test_watcher_hot_reloads_and_keeps_previous_on_bad_file(tmp_path):
    path = tmp_path / "policy.json"
    mgr = PolicyManager(tmp_path / "policy.active.json")
    watcher = PolicyWatcher(path, mgr, interval_s=0.05)
    assert watcher.check() is None  # no file yet: defaults
    assert mgr.current.version == "default"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert watcher.check().ok and mgr.current.version == "7"
    assert watcher.check() is None  # unchanged
    for broken in (b"{not json", b"\xff\xfe\x00", json.dumps({**GOOD, "time": {"night": 5}}).encode()):
        path.write_bytes(broken)
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        result = watcher.check()
        assert result is not None and not result.ok and result.errors
        assert mgr.current.version == "7"
    path.write_text(json.dumps({**GOOD, "version": "9"}), encoding="utf-8")
    assert watcher.check().ok and mgr.current.version == "9"


def test_watcher_thread_picks_up_changes(tmp_path):
    import time

    path = tmp_path / "policy.json"
    mgr = PolicyManager(None)
    watcher = PolicyWatcher(path, mgr, interval_s=0.02)
    watcher.start()
    try:
        path.write_text(json.dumps(GOOD), encoding="utf-8")
        for _ in range(500):  # wait for the poller, bounded by iterations not by a time assertion
            if mgr.current.version == "7":
                break
            time.sleep(0.01)
        assert mgr.current.version == "7"
    finally:
        watcher.stop()


def test_shipped_example_policy_is_valid():
    from device.policy import SCHEMA_PATH, parse_file

    pol, warnings = validate(parse_file(SCHEMA_PATH.parent / "policy.example.json"))
    assert warnings == [] and pol.time.weekday_limit_min == 60 and pol.time.night is not None


def test_check_policy_cli(tmp_path, capsys):
    from kidsafe.cli import main

    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    assert main(["device", "check-policy", str(good)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["daily_limit_min"] == {"weekday": 30, "weekend": 90} and out["night"] == ["21:00", "07:00"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"time": {"night": {"start": "9pm", "end": "06:00"}}}), encoding="utf-8")
    assert main(["device", "check-policy", str(bad)]) == 1
    err = json.loads(capsys.readouterr().out)["errors"][0]
    assert err["path"] == "$.time.night.start" and "HH:MM" in err["en"] and "时:分" in err["zh"]
    assert main(["device", "check-policy", str(tmp_path / "missing.json")]) == 1
