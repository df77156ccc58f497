"""`kidsafe` command: one subcommand per job, each owned by the part that does it.

Each part's module exposes `add_parser(subparsers)`, which registers its subcommand and sets
`func` (a callable taking the parsed args and returning an exit code). Modules are imported
only when listed here, so `kidsafe check` never loads the device or the portal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# subcommand modules, in the order `kidsafe --help` lists them
PART_MODULES: tuple[str, ...] = (
    "filters.check_cli",      # kidsafe check
    "filters.classify_cli",   # kidsafe classify
    "device.cli_search",      # kidsafe search, kidsafe listen
    "device.cli_models",      # kidsafe models install-asr
    "device.cli_device",      # kidsafe device run
    "mqtt_bridge.cli",        # kidsafe device agent, kidsafe fleet ... (after device: adds `device agent`)
    "parent_portal.cli",      # kidsafe portal run|migrate|ingest|retention|feedback, kidsafe fleet feedback
    "kidsafe.demo",           # kidsafe demo
)
# subcommands one module registers alone: `kidsafe check` starts without importing the other parts
# (the portal's settings alone cost ~0.4 s of start-up)
SOLE_MODULES: dict[str, str] = {"check": "filters.check_cli", "classify": "filters.classify_cli"}


# parts that are installed but could not load because a package they need is missing, with that
# package: on a device image the portal's server packages are absent, and `kidsafe device run`
# must still start; the user hears about it only when asking for a command of such a part
UNAVAILABLE: dict[str, str] = {}


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the width shutil.get_terminal_size gives (COLUMNS, else the terminal's,
    else 80) found without importing shutil: argparse imports it for that alone, and it imports bz2, lzma and
    fnmatch (~2% of `kidsafe check`'s start-up)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through add_subparsers, each subcommand's) with _Formatter unless one is named."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def build_parser(modules: tuple[str, ...] = PART_MODULES) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kidsafe",
        description="Offline content filter for children's devices / 儿童设备离线内容过滤",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part is not installed in this build
            if not exc.name:
                raise
            UNAVAILABLE[name] = exc.name  # the part is here, a package it needs is not
            continue
        module.add_parser(sub)
    parser.set_defaults(_commands=tuple(sub.choices))
    return parser


def _explain_unavailable(argv: list[str], parser: argparse.ArgumentParser) -> None:
    """Say which parts could not load when the asked command is not among the loaded ones."""
    if not argv or argv[0].startswith("-") or argv[0] in parser.get_default("_commands"):
        return
    for name, package in UNAVAILABLE.items():
        print(
            f"kidsafe: part {name} is not available here: package {package!r} is missing "
            f"(install it, e.g. pip install 'kidsafe[portal]') / 该部分缺少依赖包 {package}，未加载",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    program = argv is None  # run as the `kidsafe` program, not called by a test or another command
    # numpy's OpenBLAS starts a thread per core when imported (~20 ms CPU of `kidsafe check`'s start-up);
    # no command multiplies large float matrices (TFLite runs its own single-threaded kernels)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    argv = sys.argv[1:] if argv is None else argv
    sole = SOLE_MODULES.get(argv[0]) if argv else None
    parser = build_parser((sole,) if sole else PART_MODULES)
    _explain_unavailable(argv, parser)
    args = parser.parse_args(argv)
    if getattr(args, "model", "unset") is None:
        from models import MODEL_PATH  # the shipped classifier, unless --model names another

        args.model = MODEL_PATH
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        code = int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    exit_at_once = getattr(args, "exit_at_once", None)  # a command that holds nothing to tear down
    if program and exit_at_once is not None:
        exit_at_once(code)  # returns only if the output could not be flushed
    return code


if __name__ == "__main__":
    sys.exit(main())
