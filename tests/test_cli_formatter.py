"""kidsafe/cli.py's help formatter: the help argparse prints, at the width shutil would give, without argparse
importing shutil (and bz2, lzma) at every start-up."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kidsafe import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("columns", [None, "40", "200", "abc", "0", "-5"])
def test_the_width_is_shutils(monkeypatch, columns: str | None) -> None:  # noqa: ANN001
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert cli.terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("columns", ["50", "120"])
def test_help_is_argparses(monkeypatch, columns: str) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", columns)
    ours = cli.build_parser(("filters.check_cli",))
    monkeypatch.setattr(cli, "_Formatter", argparse.HelpFormatter)
    monkeypatch.setattr(cli, "_Parser", argparse.ArgumentParser)
    plain = cli.build_parser(("filters.check_cli",))
    assert ours.format_help() == plain.format_help()
    sub = [a for a in ours._actions if isinstance(a, argparse._SubParsersAction)][0]
    sub_plain = [a for a in plain._actions if isinstance(a, argparse._SubParsersAction)][0]
    assert sub.choices["check"].format_help() == sub_plain.choices["check"].format_help()
    assert "--no-model" in sub.choices["check"].format_help()


def test_parsing_a_check_command_does_not_import_shutil() -> None:
    probe = ("import sys; from kidsafe import cli; cli.build_parser(('filters.check_cli',)).parse_args(['check']); "
             "print(sorted({'shutil', 'bz2', 'lzma'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={k: v for k, v in os.environ.items() if k != "COLUMNS"})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
