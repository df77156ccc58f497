"""filters/lazy_numpy.py: `kidsafe check` imports numpy with five subpackages as placeholders; each runs
its real code at its first attribute lookup, so any use of them works as after a plain `import numpy`."""

from __future__ import annotations

import subprocess
import sys

# in a fresh interpreter: the test process has imported numpy long ago
PROBE = r"""
import sys
from filters.lazy_numpy import DEFERRED, _Finder, _Placeholder, import_numpy
np = import_numpy()
assert not any(isinstance(f, _Finder) for f in sys.meta_path), "the finder must go once numpy is in"
lazy = sorted(n for n in DEFERRED if type(sys.modules[n]) is _Placeholder)
assert lazy == sorted(DEFERRED), lazy
assert "numpy.random.mtrand" not in sys.modules  # numpy.random's code has not run
import numpy.random  # an import statement alone does not run it either
assert type(sys.modules["numpy.random"]) is _Placeholder
first = int(np.random.default_rng(3).integers(0, 1000))
assert first == int(sys.modules["numpy"].random.default_rng(3).integers(0, 1000))
from numpy.random import Generator
assert isinstance(np.random.default_rng(1), Generator) and type(np.random) is not _Placeholder
from numpy.ma import masked_array
assert masked_array([1, 2], mask=[0, 1]).sum() == 1
assert abs(np.fft.fft([1.0, 0.0])[0] - 1) < 1e-12 and np.polynomial.Polynomial([1, 2])(2) == 5
assert np.ctypeslib.as_array is not None
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
