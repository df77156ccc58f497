"""`kidsafe` command dispatcher: a part whose own package is absent is left out quietly; a part
that is present but misses a package it needs is left out with a clear message when asked for,
and never stops the other parts' commands (a device image has no portal server packages)."""

from __future__ import annotations

import pytest

from kidsafe import cli


@pytest.fixture()
def broken_part(tmp_path, monkeypatch):
    package = tmp_path / "brokenpart"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("import no_such_package_for_kidsafe_tests\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "UNAVAILABLE", {})
    return "brokenpart.cli"


def test_a_part_missing_a_dependency_does_not_stop_the_other_commands(broken_part):
    parser = cli.build_parser(("filters.check_cli", broken_part))
    assert "check" in parser.get_default("_commands")
    assert cli.UNAVAILABLE == {broken_part: "no_such_package_for_kidsafe_tests"}
    assert parser.parse_args(["check", "--no-model"]).command == "check"


def test_asking_for_a_missing_command_names_the_missing_package(broken_part, capsys):
    parser = cli.build_parser(("filters.check_cli", broken_part))
    cli._explain_unavailable(["portal", "run"], parser)
    err = capsys.readouterr().err
    assert "brokenpart.cli" in err and "no_such_package_for_kidsafe_tests" in err
    cli._explain_unavailable(["check"], parser)  # a loaded command: nothing to explain
    assert capsys.readouterr().err == ""


def test_an_absent_part_is_left_out_quietly(monkeypatch):
    monkeypatch.setattr(cli, "UNAVAILABLE", {})
    parser = cli.build_parser(("filters.check_cli", "no_such_kidsafe_part.cli"))
    assert parser.get_default("_commands") == ("check",)
    assert cli.UNAVAILABLE == {}
