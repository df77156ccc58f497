"""The README's `kidsafe check` examples are run as written: the command's output must be what the
README shows (a newcomer copies them). Update the README when the packs change what they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def examples(text: str) -> list[tuple[str, list[str]]]:
    """("$ command", expected output lines) for every `$ ... kidsafe check` line in a ```sh block."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").split("\n")
        for i, line in enumerate(lines):
            if line.startswith("$ ") and "kidsafe check" in line:
                expected = []
                for follow in lines[i + 1:]:
                    if follow.startswith("$ "):
                        break
                    expected.append(follow)
                out.append((line[2:], expected))
    return out


def test_readme_has_check_examples():
    found = examples((REPO / "README.md").read_text(encoding="utf-8"))
    assert found and all(expected for _, expected in found)


def test_readme_check_examples_print_what_the_readme_shows():
    for command, expected in examples((REPO / "README.md").read_text(encoding="utf-8")):
        run = subprocess.run(["bash", "-c", "set -o pipefail; " + command.replace(".venv/bin/", f"{BIN}/")],
                             cwd=REPO, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert run.stdout.rstrip("\n").split("\n") == expected, f"README example is stale: {command}"
