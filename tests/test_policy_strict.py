"""Hostile policy files: wrong number types, huge or non-standard numbers, deep nesting and special files
are refused with a bilingual message naming the field; the policy in force stays and the device starts."""

from __future__ import annotations

import json
import os
import threading

import pytest

from device.policy import SCHEMA_PATH, DevicePolicyError, parse_policy, render_schema, validate
from device.policy_manager import PolicyManager, PolicyWatcher, read_policy_file

GOOD = {"schema_version": 1, "version": "5", "time": {"daily_limit_min": 30}}

HOSTILE = [
    ('{"schema_version":1,"time":{"daily_limit_min":30.0}}', "$.time.daily_limit_min", "integer"),
    ('{"schema_version":1,"time":{"daily_limit_min":' + "9" * 5000 + "}}", "$.time.daily_limit_min", "too large"),
    ("[" * 100_000 + "]" * 100_000, "$[0][0]", "deeper"),
    ('{"time":{"extra_time":' + "[" * 100_000 + "]" * 100_000 + "}}", "$.time.extra_time[0]", "deeper"),
    ('{"schema_version":1,"issued_at":NaN}', "$.issued_at", "NaN"),
    ('{"schema_version":1,"future":Infinity}', "$.future", "Infinity"),
    ('{"schema_version":1,"issued_at":1e999}', "$.issued_at", "not allowed"),
    ('{"schema_version":1,"time":{"idle_gap_s":true}}', "$.time.idle_gap_s", "integer"),
    ('{"schema_version":1,"voice":"off"}', "$.voice", "boolean"),
    ('{"schema_version":1,"reporting_level":"everything"}', "$.reporting_level", "one of"),
    ('{"schema_version":1,"version":1.5}', "$.version", "integer or string"),
]


@pytest.mark.parametrize(("text", "path", "en_word"), HOSTILE, ids=[h[1] + ":" + h[2] for h in HOSTILE])
def test_hostile_documents_are_refused_naming_the_field(text, path, en_word):
    with pytest.raises(DevicePolicyError) as exc:
        validate(parse_policy(text.encode()))
    problem = exc.value.problems[0]
    assert problem.path.startswith(path) and en_word in problem.en, problem
    assert problem.zh and problem.zh != problem.en


@pytest.mark.parametrize(("text", "path", "en_word"), HOSTILE[:5], ids=[h[2] for h in HOSTILE[:5]])
def test_bad_file_keeps_previous_policy_and_service_starts(tmp_path, text, path, en_word):
    from device.config import DeviceSettings
    from device.service import DeviceService

    (tmp_path / "policy.json").write_text(json.dumps(GOOD), encoding="utf-8")
    settings = DeviceSettings(home=tmp_path, timezone="Asia/Shanghai", classifier_path=tmp_path / "none.tflite")
    svc = DeviceService(settings)
    svc.start()
    try:
        assert svc.policies.current.version == "5"
        (tmp_path / "policy.json").write_text(text, encoding="utf-8")
        result = svc.watcher.check()
        assert result is not None and not result.ok and result.errors[0].path.startswith(path)
        assert svc.policies.current.version == "5"
    finally:
        svc.stop()
    again = DeviceService(settings)  # a restart with the bad file in place still starts, on the last good one
    again.start()
    try:
        assert again.policies.current.version == "5"
        assert again.policies.current.time.weekday_limit_min == 30
        kinds = [e["kind"] for e in again.events.recent(10)]
        assert "policy_rejected" in kinds
    finally:
        again.stop()


@pytest.mark.parametrize("text", [h[0] for h in HOSTILE[:7]])
def test_check_policy_cli_prints_json_errors_not_tracebacks(tmp_path, capsys, text):
    from kidsafe.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    assert main(["device", "check-policy", str(bad)]) == 1
    out = capsys.readouterr()
    errors = json.loads(out.out)["errors"]
    assert errors and errors[0]["en"] and errors[0]["zh"] and "Traceback" not in out.err


def test_fifo_at_policy_path_does_not_block(tmp_path):
    fifo = tmp_path / "policy.json"
    os.mkfifo(fifo)
    mgr = PolicyManager(None)
    watcher = PolicyWatcher(fifo, mgr)
    done: list = []
    worker = threading.Thread(target=lambda: done.append(watcher.check()), daemon=True)
    worker.start()
    worker.join(timeout=20)  # a generous bound: a blocking open would hang here forever
    assert done, "the watcher blocked on a FIFO"
    assert not done[0].ok and "not a regular file" in done[0].errors[0].en
    assert mgr.current.version == "default"


def test_symlink_to_dev_zero_is_not_read_whole(tmp_path):
    link = tmp_path / "policy.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(DevicePolicyError, match="not a regular file"):
        read_policy_file(link)
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(50_000_000)  # sparse: a 50 MB file must be refused after reading at most the limit
    with pytest.raises(DevicePolicyError, match="larger than"):
        read_policy_file(big, limit=1000)


def test_active_policy_is_private(tmp_path):
    mgr = PolicyManager(tmp_path / "policy.active.json")
    assert mgr.apply_policy(GOOD).ok
    assert (tmp_path / "policy.active.json").stat().st_mode & 0o777 == 0o600


def test_shipped_schema_is_generated_from_the_model():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), "run: python -m device.policy"


def test_schema_validates_what_the_model_accepts():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    example = json.loads((SCHEMA_PATH.parent / "policy.example.json").read_text(encoding="utf-8"))
    jsonschema.validate(example, schema)
    validate(example)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"time": {"daily_limit_min": 30.5}}, schema)


def test_new_keys_reach_the_device_policy():
    pol, _ = validate({"voice": False, "reporting_level": "with_text", "version": 12,
                       "filter": {"age_band": "under8"}, "time": {"break": {"after_min": 20}}})
    assert pol.voice is False and pol.reporting_level == "with_text" and pol.version == "12"
    assert pol.filter.age_band == "under8" and pol.time.break_after_min == 20 and pol.time.weekday_limit_min == 40
