"""filters/lazy_numpy.py: `kidsafe check` imports numpy with five subpackages loaded lazily (importlib's
LazyLoader); each runs its real code at its first attribute lookup, so any use of them works as after a plain
`import numpy`."""

from __future__ import annotations

import subprocess
import sys

# in a fresh interpreter: the test process has imported numpy long ago
PROBE = r"""
import sys
import types
from filters.lazy_numpy import DEFERRED, STDLIB_DEFERRED, _Finder, import_numpy
np = import_numpy()
assert not any(isinstance(f, _Finder) for f in sys.meta_path), "the finder must go once numpy is in"
lazy = sorted(n for n in DEFERRED | STDLIB_DEFERRED if type(sys.modules[n]) is not types.ModuleType)
assert lazy == sorted(DEFERRED | STDLIB_DEFERRED), lazy
assert "numpy.random.mtrand" not in sys.modules  # numpy.random's code has not run
first = int(np.random.default_rng(3).integers(0, 1000))
assert first == int(sys.modules["numpy"].random.default_rng(3).integers(0, 1000))
from numpy.random import Generator
assert isinstance(np.random.default_rng(1), Generator) and type(np.random) is types.ModuleType
from numpy.ma import masked_array
assert masked_array([1, 2], mask=[0, 1]).sum() == 1
assert abs(np.fft.fft([1.0, 0.0])[0] - 1) < 1e-12 and np.polynomial.Polynomial([1, 2])(2) == 5
assert np.ctypeslib.as_array is not None
import textwrap
assert textwrap.indent("a\nb", "> ") == "> a\n> b"
import ast
assert isinstance(ast.parse("1 + 2").body[0], ast.Expr)
assert np.matrix("1 2; 3 4").sum() == 10  # numpy.matrixlib's string parser (ast)
a = np.arange(4, dtype=np.int32)
assert a.ctypes.data == a.__array_interface__["data"][0]  # numpy.core._internal._ctypes, from C
assert np.dtype("<i4,<f8").names == ("f0", "f1")
assert np.frombuffer(memoryview(np.arange(3.0)).cast("B").cast("d"), dtype=float).tolist() == [0.0, 1.0, 2.0]
assert np.asarray(memoryview(np.zeros(2, dtype="<i2,<f4"))).dtype.names == ("f0", "f1")  # pep3118, _internal
import ctypes
assert np.dtype(ctypes.c_int16) == np.int16  # numpy.core._dtype_ctypes, from C
assert np.core._add_newdocs is not None
try:
    np.random.no_such_name
except AttributeError:
    pass
else:
    raise AssertionError("a missing attribute must raise AttributeError")
print("ok")
"""


def test_deferred_numpy_subpackages_work_on_first_use() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_numpy_already_imported_is_left_as_it_is() -> None:
    import numpy

    from filters.lazy_numpy import import_numpy

    assert import_numpy() is numpy and type(sys.modules["numpy.random"]).__name__ == "module"


def test_kidsafe_check_never_runs_the_deferred_code() -> None:
    """The point of it: a real `kidsafe check` (model on) answers without numpy.random's or numpy.ma's code."""
    from pathlib import Path

    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "kidsafe", "check"], input="你好，今天天气很好\n",
                         capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0 and '"action"' in out.stdout, out.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "numpy" in imported and "numpy.random" in imported  # the lazy module is made...
    assert not {"numpy.random.mtrand", "numpy.random._generator", "numpy.ma.core"} & imported  # ...its code never runs
    # dataclasses imported without running inspect (filters/code_cache.py): every dataclass on the way has a
    # docstring (one without makes dataclasses call inspect.signature, whose code imports these)
    assert "inspect" in imported and not {"dis", "tokenize"} & imported
    # the finder is a plain class: importlib.abc would import importlib.resources, tempfile and random (~1% of
    # start-up's instructions) for a base class (tempfile itself is imported when a process writes a cache)
    assert not {"importlib.abc", "importlib.resources"} & imported
