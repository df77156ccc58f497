"""Speed work must not change a verdict: every eval set, three configurations, against a golden file.

The golden file was produced by the code before the speed work (0f4fa3c) and is regenerated with
`make golden` only when packs, the model, the tables or an eval set change on purpose (its header
records their digests; a mismatch says so). Each row is checked twice: per-text `check()` and the
batched `check_many()` fast path (model windows skipped when they cannot change the action).
"""

from __future__ import annotations

import json

import pytest
from real_parts import require

from filters.tools import verdict_golden as golden


@pytest.fixture(scope="module")
def expected():
    require(golden.GOLDEN_PATH.exists(), f"golden verdicts {golden.GOLDEN_PATH} (make golden)")
    inputs, rows = golden.load_golden()
    now = golden.inputs_digest()
    stale = {k: (inputs.get(k), v) for k, v in now.items() if inputs.get(k) != v}
    assert not stale, (
        f"packs/model/tables/eval sets changed since the golden verdicts were made ({stale}); "
        "if that change is intended, regenerate with `make golden` and review the diff"
    )
    return rows


@pytest.fixture(scope="module")
def filters():
    require(golden.MODEL_PATH.exists(), f"the shipped model {golden.MODEL_PATH}")
    return golden.load_filters()


def _compare(expected, produced) -> None:
    seen = 0
    diffs = []
    for row in produced:
        row = golden.parse_row(golden.format_row(row))
        want = expected.get((row["config"], row["set"], row["i"]))
        assert want is not None, f"row {row['config']}/{row['set']}/{row['i']} missing from the golden file"
        assert want["key"] == row["key"], f"eval set {row['set']} changed at row {row['i']}: `make golden`"
        if want != row:
            diffs.append((want, row))
        seen += 1
    assert seen == len(expected), f"{len(expected) - seen} golden rows were not produced"
    assert not diffs, (
        f"{len(diffs)} verdicts changed; first: {json.dumps(diffs[:3], ensure_ascii=False)}. A speed change must "
        "not do this; if a pack, model or PII rule changed them on purpose, run `make golden` and review the diff"
    )


def test_per_text_check_matches_golden(expected, filters) -> None:
    _compare(expected, golden.verdict_rows(filters, batched=False))


def test_batched_check_many_matches_golden(expected, filters) -> None:
    _compare(expected, golden.verdict_rows(filters, batched=True))


def test_golden_covers_every_set_and_config(expected) -> None:
    sets = {s for _, s, _ in expected}
    configs = {c for c, _, _ in expected}
    assert {name for name, _ in golden.eval_sets()} <= sets
    assert configs == {c for c, _, _ in golden.CONFIGS}
    actions = {r["action"] for r in expected.values()}
    assert actions == {"allow", "block", "redact"}  # the sets exercise every outcome
    rules = {k for r in expected.values() for k in r["rules"]}
    assert {"lexicon", "model", "pii", "policy"} <= rules
