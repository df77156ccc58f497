"""`kidsafe check` ends at once after its last answer (filters/check_cli.exit_at_once) without losing output
or the exit handlers' work, and, in that process only, re's own patterns come from filters/regex_cache.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# `kidsafe check` run as a program (cli.main() reads sys.argv), with an exit handler
_PROGRAM = """
import atexit, sys
from kidsafe import cli
atexit.register(lambda: sys.stderr.write("exit handler\\n"))
sys.argv = ["kidsafe", "check", "--no-model"]
code = cli.main()
sys.stderr.write("main returned\\n")
sys.exit(code)
"""


def _run(program: str, stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIDSAFE_CACHE_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", program], input=stdin, capture_output=True, text=True, env=env,
                          check=False, timeout=300)


def test_check_writes_every_answer_runs_the_exit_handlers_and_ends_at_once(tmp_path: Path) -> None:
    lines = [f"第{i}行 恐龙吃什么 色情直播" if i % 2 else f"line {i}" for i in range(1500)]
    proc = _run(_PROGRAM, "\n".join(lines) + "\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert len(out) == len(lines)  # everything written before the process ended (stdout flushed)
    assert '"action": "allow"' in out[-2] and '"action": "block"' in out[-1]
    assert "exit handler" in proc.stderr  # atexit ran (the regex and code caches save there)
    assert "main returned" not in proc.stderr  # ended inside main(), without the interpreter's teardown
    assert any(tmp_path.glob("regex-*.pickle"))  # the regex cache's exit handler wrote its file


def test_a_called_main_returns_and_tears_down_as_usual(tmp_path: Path) -> None:
    """cli.main(argv) called by code (tests, another command) returns its exit code: only the program exits."""
    called = _PROGRAM.replace("code = cli.main()", "code = cli.main(['check', '--no-model']); print('rc', code)")
    proc = _run(called, "hello\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "rc 0"
    assert "main returned" in proc.stderr and "exit handler" in proc.stderr


_RE_PROBE = """
import re
from filters import regex_cache
regex_cache.install()
pattern = r"(?P<word>[a-z0-9_]+)\\(.*[,=].*\\)"
p = re.compile(pattern, re.I)
print((pattern, int(re.I)) in regex_cache._used, p.findall("Call F(a, b=1) and g()"), p.groupindex["word"])
print(re.compile(b"[0-9]+").findall(b"a12b3"))
"""


def test_installed_regex_cache_serves_re_compile(tmp_path: Path) -> None:
    env = {**os.environ, "KIDSAFE_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first process stores the program, the second builds the pattern from it
        proc = subprocess.run([sys.executable, "-c", _RE_PROBE], capture_output=True, text=True, env=env, check=True)
        first, second = proc.stdout.splitlines()
        expected = re.compile(r"(?P<word>[a-z0-9_]+)\(.*[,=].*\)", re.I).findall("Call F(a, b=1) and g()")
        assert first == f"True {expected} 1"
        assert second == "[b'12', b'3']"  # bytes patterns: re's own compiler, unchanged

