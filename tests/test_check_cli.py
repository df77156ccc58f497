"""`kidsafe check` follows the DESIGN contract and never crashes on any input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filters.check_cli import check_stream
from filters.policy import DEFAULT_POLICY, FilterPolicy

KEYS = {"action", "categories", "redacted", "reasons"}


def run_stream(tf, data: bytes, policy: FilterPolicy = DEFAULT_POLICY) -> list[dict]:
    out = io.StringIO()
    assert check_stream(tf, policy, io.BytesIO(data), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def assert_contract(obj: dict, text: str) -> None:
    assert set(obj) == KEYS
    assert obj["action"] in ("allow", "block", "redact")
    assert isinstance(obj["categories"], list)
    assert isinstance(obj["redacted"], str)
    for r in obj["reasons"]:
        assert {"category", "rule", "span", "matched"} <= set(r)
        if r["span"] is not None:
            a, b = r["span"]
            assert 0 <= a <= b <= len(text)
            assert text[a:b] == r["matched"]


def test_one_json_object_per_line(shipped_filter) -> None:
    lines = ["色情小说在线阅读", "", "我们去看电影好不好", "手机：186 1234 5678"]
    data = ("\n".join(lines) + "\n").encode()
    objs = run_stream(shipped_filter, data)
    assert len(objs) == 4
    for obj, text in zip(objs, lines, strict=True):
        assert_contract(obj, text)
    assert objs[0]["action"] == "block" and "sexual" in objs[0]["categories"]
    assert objs[1]["action"] == "allow"
    assert objs[2]["action"] == "allow"
    assert objs[3]["action"] == "redact" and "1234" not in objs[3]["redacted"]


def test_block_never_shows_the_harmful_words(shipped_filter) -> None:
    (obj,) = run_stream(shipped_filter, "看色情小说\n".encode())
    assert obj["action"] == "block"
    assert "色情" not in obj["redacted"]


def test_bad_utf8_control_chars_and_crlf(shipped_filter) -> None:
    data = b"\xff\xfe\xfa bad bytes\r\n\x00\x01\x1b[31m red\n\xe8\x89\xb2\xe6\x83\n"
    objs = run_stream(shipped_filter, data)
    assert len(objs) == 3
    assert all(o["action"] in ("allow", "block", "redact") for o in objs)


def test_megabyte_line(shipped_filter) -> None:
    text = ("今天天气很好，我们去公园玩。" * 40_000)[:1_000_000] + "色情"
    (obj,) = run_stream(shipped_filter, (text + "\n").encode())
    assert obj["action"] == "block"
    span = obj["reasons"][0]["span"]
    assert text[span[0] : span[1]] == "色情"


def test_many_lines(shipped_filter) -> None:
    data = b"hello world\n" * 100_000
    objs = run_stream(shipped_filter, data)
    assert len(objs) == 100_000


def test_policy_changes_the_action(shipped_filter, tmp_path: Path) -> None:
    young = FilterPolicy.from_dict({"age_band": "8-11"})
    custom = FilterPolicy.from_dict({"age_band": "8-11", "block_words": ["奥特曼"], "allow_words": ["色情"]})
    assert run_stream(shipped_filter, "奥特曼\n".encode(), young)[0]["action"] == "allow"
    assert run_stream(shipped_filter, "奥特曼\n".encode(), custom)[0]["action"] == "block"
    assert run_stream(shipped_filter, "色情\n".encode(), custom)[0]["action"] == "allow"
    none_blocked = FilterPolicy.from_dict({"blocked_categories": []})
    assert run_stream(shipped_filter, "赌球网站\n".encode(), none_blocked)[0]["action"] == "allow"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_fuzz_bytes(shipped_filter, data: bytes) -> None:
    objs = run_stream(shipped_filter, data)
    expected = 0 if not data else data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    assert len(objs) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_fuzz_unicode(shipped_filter, text: str) -> None:
    verdict = shipped_filter.check(text)
    obj = verdict.to_json()
    json.dumps(obj, ensure_ascii=False)
    assert_contract(obj, text)


REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [["check", "--no-model"], ["check"]])
def test_command_line(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kidsafe", *args],
        input="赌球网站\nhello\n".encode(),
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    objs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [o["action"] for o in objs] == ["block", "allow"]


def test_invalid_policy_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "policy.json"
    bad.write_text('{"age_band": "toddler"}', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kidsafe", "check", "--no-model", "--policy", str(bad)],
        input=b"hello\n",
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "age_band" in proc.stderr.decode()


def test_unicode_line_separators_are_escaped(shipped_filter) -> None:
    # a consumer splitting by Unicode rules (str.splitlines) must see one verdict per input line
    lines = ["a\u2028b 色情\u2029c", "x\x85y\x1c\x1d\x1e\x0b\x0cz"]
    objs = run_stream(shipped_filter, ("\n".join(lines) + "\n").encode())
    assert len(objs) == 2
    assert objs[0]["redacted"].startswith("a\u2028b") and objs[1]["redacted"] == lines[1]


@pytest.mark.parametrize(
    "content, needle",
    [
        ('{"age_band": "12-15", "model_thresholds": {"sexual": NaN}}', "NaN"),
        ('{"min_severity": Infinity}', "Infinity"),
        ('{"model_thresholds": {"sexual": 1e999}}', "out of range"),
        ('{"min_severity": ' + "9" * 5000 + "}", "too large"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{"filter": {"min_severity": 2.0}}', "min_severity"),
        ("\xff\xfe", "UTF-8"),
    ],
)
def test_bad_policy_files_are_refused_in_process(tmp_path: Path, content: str, needle: str) -> None:
    from filters.policy import PolicyError

    bad = tmp_path / "policy.json"
    bad.write_bytes(content.encode("latin-1") if content == "\xff\xfe" else content.encode())
    with pytest.raises(PolicyError, match=needle):
        FilterPolicy.load(bad)


def test_special_policy_files_are_refused(tmp_path: Path) -> None:
    import os

    from filters.policy import PolicyError

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(PolicyError, match="regular file"):
        FilterPolicy.load(fifo)  # returns at once: no writer is waited for
    zero = tmp_path / "zero.json"
    os.symlink("/dev/zero", zero)
    with pytest.raises(PolicyError, match="regular file"):
        FilterPolicy.load(zero)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (2 << 20) + b"{}")
    with pytest.raises(PolicyError, match="larger than"):
        FilterPolicy.load(big)


@pytest.mark.parametrize("content", ["[" * 100_000, '{"age_band": NaN}', '{"min_severity": ' + "7" * 5000 + "}"])
def test_command_line_bad_policy_is_a_message_not_a_traceback(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "policy.json"
    bad.write_text(content, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kidsafe", "check", "--no-model", "--policy", str(bad)],
        input=b"hello\n", capture_output=True, cwd=REPO, timeout=300,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and "invalid policy" in err, err


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_plain_allow_fast_path_writes_what_json_dumps_writes(text: str) -> None:
    from filters.check_cli import verdict_line
    from filters.verdict import Verdict

    v = Verdict("allow", [], [], text)
    slow = json.dumps(v.to_json(), ensure_ascii=False)
    assert verdict_line(v) == slow.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace(
        "\x85", "\\u0085")


def _dumps_line(v) -> str:
    slow = json.dumps(v.to_json(), ensure_ascii=False)
    return slow.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


_ANY_TEXT = st.text(max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(
    lambda category, rule, span, matched, kind, severity, score, view: __import__("filters.verdict").verdict.Reason(
        category, rule, span, matched, kind, severity, score, view),
    _ANY_TEXT, _ANY_TEXT, st.none() | st.tuples(st.integers(-5, 10**7), st.integers(-5, 10**7)), _ANY_TEXT,
    st.sampled_from(["lexicon", "pii", "model", "policy", "notice"]), st.integers(0, 3) | st.booleans(),
    st.none() | st.floats(allow_nan=True, allow_infinity=True) | st.integers(0, 2), st.none() | _ANY_TEXT),
    max_size=4), st.sampled_from(["allow", "block", "redact"]), st.lists(_ANY_TEXT, max_size=3), _ANY_TEXT)
def test_every_verdict_line_is_what_json_dumps_writes(reasons, action, categories, redacted) -> None:
    """verdict_line puts the JSON together itself (filters/check_cli.verdict_json): the same text as
    json.dumps of the verdict's dict for any strings, spans, severities (bools too) and scores (ints,
    NaN and infinities fall back to json.dumps)."""
    from filters.check_cli import verdict_line
    from filters.verdict import Verdict

    v = Verdict(action, categories, reasons, redacted)
    assert verdict_line(v) == _dumps_line(v)


def test_verdict_lines_of_real_verdicts_are_what_json_dumps_writes(shipped_filter) -> None:
    """Blocks with several reasons, model scores, PII redactions and allows, as check_many gives them."""
    from filters.check_cli import verdict_line

    texts = ["色情直播加微信", "我的手机号是 186 1234 5678", "你就是个傻逼，滚", "今天天气不错", "free porn videos",
             "哥哥给你买皮肤，你发张自拍来", "Call me at 555-0100, \u2028 ok", "sb\x85 \"quoted\" \\ back"]
    verdicts = shipped_filter.check_many(texts)
    assert {v.action for v in verdicts} >= {"allow", "block", "redact"}
    for v in verdicts:
        assert verdict_line(v) == _dumps_line(v)
