"""benchmarks/same_verdicts.py: the two-tree verdict comparison finds every differing row, and names rows
of the project's own sets but never those of a held-out public set."""

from __future__ import annotations

from pathlib import Path

from benchmarks.same_verdicts import compare


def _write(path: Path, rows: list[tuple[str, str, int, str]]) -> Path:
    path.write_text("".join(f"{c}\t{s}\t{i}\t{d}\n" for c, s, i, d in rows), encoding="utf-8")
    return path


def test_identical_files_pass_and_one_changed_row_fails(tmp_path: Path, capsys):
    rows = [("model", "extra_traps", i, f"d{i}") for i in range(3)] + [("words", "stormfront_posts", 0, "s0")]
    before = _write(tmp_path / "a.tsv", rows)
    assert compare(before, _write(tmp_path / "b.tsv", rows)) == 0
    changed = [*rows[:1], ("model", "extra_traps", 1, "other"), *rows[2:]]
    assert compare(before, _write(tmp_path / "c.tsv", changed)) == 1
    lines = [x.split() for x in capsys.readouterr().out.splitlines()]
    assert ["model", "extra_traps", "3", "rows,", "1", "differ", "rows", "1"] in lines


def test_held_out_rows_are_counted_not_named(tmp_path: Path, capsys):
    rows = [("words", "stormfront_posts", i, f"s{i}") for i in range(2)]
    before = _write(tmp_path / "a.tsv", rows)
    assert compare(before, _write(tmp_path / "b.tsv", [rows[0], ("words", "stormfront_posts", 1, "x")])) == 1
    lines = [x.split() for x in capsys.readouterr().out.splitlines()]
    assert ["words", "stormfront_posts", "2", "rows,", "1", "differ"] in lines


def test_a_missing_row_fails(tmp_path: Path):
    rows = [("model", "dev", i, f"d{i}") for i in range(2)]
    assert compare(_write(tmp_path / "a.tsv", rows), _write(tmp_path / "b.tsv", rows[:1])) == 1
