"""The local measurer (filters/tools/local_eval.py) and its tables (local_report.py): the whole filter on built
rows, counts split into even (design) and odd (held out) rows, row texts shown only for even benign rows unless
asked, never for a never-read set; a malformed built file is a clear error. Every text here was written for this
test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.tools import local_eval, local_report
from filters.tools.local_manifest import load_manifest

SETS = {
    "harm": ("block", False, ["色情直播", "今天天气很好", "色情直播间", "我们去公园"]),
    "kind": ("allow", False, ["EVEN今天天气很好", "ODD色情直播", "EVEN色情直播", "ODD我们去公园"]),
    "seen": ("allow", True, ["EVEN色情直播", "ODD色情直播"]),
}


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    sets, sources = [], {"s": {"kind": "repo", "paths": ["x"], "format": "jsonl", "licence": "test"}}
    data = tmp_path / "data"
    data.mkdir()
    for name, (expect, never, texts) in SETS.items():
        sets.append({"name": name, "title": name, "source": "s", "expect": expect, "rows": len(texts),
                     "never_read": never, "select": {"how": "test"}})
        rows = [{"i": i, "text": t, "expect": expect} for i, t in enumerate(texts)]
        (data / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"schema": 1, "description": "t", "sources": sources, "sets": sets}),
                        encoding="utf-8")
    return manifest, data


def test_measure_counts_with_the_whole_filter(built: tuple[Path, Path], tmp_path: Path) -> None:
    manifest, data = built
    out = tmp_path / "run.json"
    assert local_eval.main(["--manifest", str(manifest), "--data", str(data), "measure", str(out), "--no-model"]) == 0
    run = json.loads(out.read_text(encoding="utf-8"))["sets"]
    assert run["harm"]["flags"] == [1, 0, 1, 0] and run["harm"]["kind"] == "harmful"
    assert run["kind"]["flags"] == [0, 1, 1, 0] and run["kind"]["flagged"] == 2
    assert run["kind"]["actions"] == "abba"


def _run(flags: dict[str, list[int]]) -> dict:
    return {"meta": {"commit": "x"}, "sets": {n: {"kind": "benign" if n != "harm" else "harmful", "flags": f,
                                                  "flagged": sum(f)} for n, f in flags.items()}}


def test_diff_splits_even_and_odd_and_shows_only_even_benign_rows(built: tuple[Path, Path]) -> None:
    manifest, data = built
    m = load_manifest(manifest)
    a = _run({"harm": [0, 0, 1, 0], "kind": [0, 0, 0, 0], "seen": [0, 0]})
    b = _run({"harm": [1, 1, 0, 0], "kind": [1, 1, 1, 0], "seen": [1, 1]})
    lines = local_report.diff_lines(m, a, b, show=10, data=data)
    text = "\n".join(lines)
    harm = next(line for line in lines if line.startswith("harm "))
    assert harm.split()[1:8] == ["4", "1", "2", "1", "1", "1", "0"]  # rows A B +even +odd -even -odd
    assert "all harmful sets: +1 even / +1 odd, -1 even / -0 odd (net +0 even / +1 odd)" in lines
    assert "all benign sets: +3 even / +2 odd, -0 even / -0 odd (net +3 even / +2 odd)" in lines
    assert "EVEN今天天气很好" in text and "EVEN色情直播" in text
    assert "ODD" not in text  # odd (held-out) rows are not shown by default
    assert "never-read set: counts only" in text
    odd = "\n".join(local_report.diff_lines(m, a, b, show=10, odd_too=True, data=data))
    assert "ODD色情直播" in odd  # the kind set's odd row, on request
    assert odd.count("ODD") == 1  # still nothing of the never-read set


def test_a_malformed_built_file_is_a_clear_error(built: tuple[Path, Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    manifest, data = built
    (data / "kind.jsonl").write_text('{"i": 0, "text": "好"}\n{"i": 1, "text": \n', encoding="utf-8")
    rc = local_eval.main(["--manifest", str(manifest), "--data", str(data), "measure", str(tmp_path / "r.json"),
                          "--no-model", "--only", "kind"])
    assert rc == 2
    assert "kind.jsonl line 2: not JSON" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def test_a_missing_set_is_named(built: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest, data = built
    (data / "seen.jsonl").unlink()
    rc = local_eval.main(["--manifest", str(manifest), "--data", str(data), "measure", str(tmp_path / "r.json"),
                          "--no-model", "--only", "seen"])
    assert rc == 2
    assert "seen.jsonl is missing" in capsys.readouterr().err


def test_runs_on_different_builds_of_a_set_are_not_compared(built: tuple[Path, Path]) -> None:
    manifest, _ = built
    a = _run({"harm": [0, 0, 1, 0]})
    b = _run({"harm": [1, 1, 0, 0]})
    a["sets"]["harm"]["data_sha256"], b["sets"]["harm"]["data_sha256"] = "1" * 64, "2" * 64
    lines = local_report.diff_lines(load_manifest(manifest), a, b)
    assert any("not comparable" in line for line in lines if line.startswith("harm "))


def test_rows_lists_even_flagged_or_missed_rows_and_nothing_of_a_never_read_set(built: tuple[Path, Path]) -> None:
    manifest, data = built
    m = load_manifest(manifest)
    run = _run({"kind": [0, 1, 1, 0], "seen": [1, 1], "harm": [1, 0, 0, 1]})
    text = "\n".join(local_report.row_lines(m, run, "kind", data))
    assert "EVEN色情直播" in text and "ODD" not in text
    assert "ODD色情直播" in "\n".join(local_report.row_lines(m, run, "kind", data, odd_too=True))
    missed = "\n".join(local_report.row_lines(m, run, "harm", data, missed=True))
    assert "色情直播间" in missed and "今天天气很好" not in missed  # row 1 is odd: held out
    seen = "\n".join(local_report.row_lines(m, run, "seen", data, odd_too=True))
    assert "2 flagged of 2" in seen and "色情" not in seen


def test_every_command_runs_from_the_command_line(built: tuple[Path, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    manifest, data = built
    run = tmp_path / "run.json"
    common = ["--manifest", str(manifest), "--data", str(data)]
    assert local_eval.main([*common, "measure", str(run), "--no-model"]) == 0
    assert local_eval.main([*common, "table", str(run)]) == 0
    assert local_eval.main([*common, "diff", str(run), str(run), "--show", "3"]) == 0
    assert local_eval.main([*common, "rows", str(run), "kind"]) == 0
    assert "EVEN色情直播" in capsys.readouterr().out


def test_a_model_that_does_not_load_stops_the_measure(built: tuple[Path, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A run without the model must be asked for (--no-model), never a silent fallback: its figures differ."""
    manifest, data = built
    out = tmp_path / "r.json"
    rc = local_eval.main(["--manifest", str(manifest), "--data", str(data), "measure", str(out),
                          "--model", str(tmp_path / "missing.tflite")])
    assert rc == 2
    assert "the model did not load" in capsys.readouterr().err
    assert not out.exists()


def test_measure_keeps_self_harm_rows_and_categories(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The care answer's share: a blocked row whose categories hold self_harm counts, another block does not."""
    manifest, data = built
    texts = ["我想自杀", "今天天气很好", "色情直播", "怎么自杀"]
    rows = [{"i": i, "text": t, "expect": "allow"} for i, t in enumerate(texts)]
    (data / "kind.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "run.json"
    assert local_eval.main(["--manifest", str(manifest), "--data", str(data), "measure", str(out), "--no-model",
                            "--only", "kind"]) == 0
    rec = json.loads(out.read_text(encoding="utf-8"))["sets"]["kind"]
    assert rec["actions"] == "babb"
    assert rec["self_harm"] == [1, 0, 0, 1]
    assert rec["categories"]["self_harm"] == 2 and sum(rec["categories"].values()) >= 3
    lines = local_report.table_lines(load_manifest(manifest), {"sets": {"kind": rec}}, categories=True)
    assert "2 (1/1)" in next(line for line in lines if line.startswith("kind "))
    assert any(line.startswith("    blocked by category:") and "self_harm 2" in line for line in lines)


def test_rows_care_lists_even_self_harm_rows_and_old_runs_say_so(built: tuple[Path, Path]) -> None:
    manifest, data = built
    m = load_manifest(manifest)
    run = _run({"kind": [0, 1, 1, 0], "seen": [1, 1]})
    assert "no self_harm record" in "\n".join(local_report.row_lines(m, run, "kind", data, care=True))
    assert local_report.table_lines(m, run)[2].split()[-1] == "-"  # an old run: no care column to show
    run["sets"]["kind"]["self_harm"] = [0, 1, 1, 0]
    run["sets"]["seen"]["self_harm"] = [1, 1]
    text = "\n".join(local_report.row_lines(m, run, "kind", data, care=True))
    assert "2 self_harm of 4" in text and "EVEN色情直播" in text and "ODD" not in text
    seen = "\n".join(local_report.row_lines(m, run, "seen", data, care=True, odd_too=True))
    assert "2 self_harm of 2" in seen and "色情" not in seen  # never-read: counts only
