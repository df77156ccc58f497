"""`import numpy` for the checking commands, with the numpy subpackages they never use made lazy.

numpy 1.x's `__init__` imports numpy.random, numpy.ma, numpy.polynomial, numpy.fft and numpy.ctypeslib
whatever the caller needs: about a fifth of numpy's import (~30 ms of `kidsafe check`'s start-up CPU at
load 7, numpy + tflite-runtime 155 -> 122 ms best of 8); numpy.core imports its docstrings (_add_newdocs*),
_internal and _dtype_ctypes, which numpy's C code imports itself where it needs them. The classifier (numpy
arrays, TFLite) needs none of them at import. `import_numpy()` imports numpy with a finder in front that loads
those modules through the standard library's `importlib.util.LazyLoader`: numpy's `from . import random`
binds the lazy module, and its first attribute lookup (`numpy.random.default_rng`, `from numpy.random import
...`, or numpy's C code fetching `_internal._ctypes`) runs the real module code, exactly as the import would have.
The finder is removed as soon as numpy is imported, so no other import is touched; a process that had already
imported numpy is left as it is.

The standard library modules numpy and tflite-runtime import only for functions the classifier never
calls are loaded the same way during that import (STDLIB_DEFERRED: textwrap, ast; not platform or ctypes: a
second `import` of a lazy module runs it, and tflite_runtime imports both again), and
`import_lazily` does it for any import (filters/code_cache.py: `dataclasses` without running `inspect`, which it
needs only for a class without a docstring).

Used by the `kidsafe check` command only (filters/check_cli.py), never at library import: tests,
training and the device import numpy as usual.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from typing import Any

DEFERRED = frozenset({"numpy.random", "numpy.ma", "numpy.polynomial", "numpy.fft", "numpy.ctypeslib",
                      # numpy.core's docstrings (add_newdoc calls only) and the modules it imports "for
                      # module-freeze analysis" that numpy's C code imports itself where it needs them
                      # (pep3118 buffers, .ctypes, ctypes dtypes): ~13 M instructions of `kidsafe check`
                      "numpy.core._add_newdocs", "numpy.core._add_newdocs_scalars", "numpy.core._internal",
                      "numpy.core._dtype_ctypes"})
# numpy.lib.utils uses textwrap only inside functions the classifier never calls; numpy.matrixlib.defmatrix
# uses ast only to parse a matrix string (importing ast makes every AST node type: ~9 M instructions)
STDLIB_DEFERRED = frozenset({"textwrap", "ast"})


class _Finder:
    """A meta path finder (a plain class: importlib.abc.MetaPathFinder would import importlib.resources,
    tempfile, shutil, random, bz2 and lzma, ~10 ms of `kidsafe check`'s start-up, for a base class)."""

    def __init__(self, names: frozenset[str] = DEFERRED | STDLIB_DEFERRED) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec  # (only a source package's code can be run later in the module made now)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def import_numpy() -> types.ModuleType:
    """numpy, imported now with DEFERRED and STDLIB_DEFERRED loaded lazily (or as it is, if already imported)."""
    return import_lazily("numpy", DEFERRED | STDLIB_DEFERRED)


def import_lazily(name: str, deferred: frozenset[str]) -> types.ModuleType:
    """Module `name`, imported now with the modules in `deferred` that it (or what it imports) imports first
    loaded lazily; as it is if already imported."""
    if name in sys.modules:
        return sys.modules[name]
    finder = _Finder(deferred)
    sys.meta_path.insert(0, finder)
    try:
        __import__(name)  # (the import statement's own path: `-X importtime` lists it)
    finally:
        sys.meta_path.remove(finder)
    return sys.modules[name]
