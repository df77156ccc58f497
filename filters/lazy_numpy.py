"""`import numpy` for the checking commands, with the numpy subpackages they never use made lazy.

numpy 1.x's `__init__` imports numpy.random, numpy.ma, numpy.polynomial, numpy.fft and numpy.ctypeslib
whatever the caller needs: about a fifth of numpy's import (~30 ms of `kidsafe check`'s start-up CPU at
load 7, numpy + tflite-runtime 155 -> 122 ms best of 8). The classifier (numpy arrays, TFLite) touches
none of them. `import_numpy()` imports numpy with a finder in front that gives those five modules as
placeholders: numpy's `from . import random` binds the placeholder, and its first attribute lookup
(`numpy.random.default_rng`, `from numpy.random import ...`) runs the real module code in it, under a
lock, exactly as the import would have. The finder is removed as soon as numpy is imported, so no
other import is touched; a process that had already imported numpy is left as it is.

Used by the `kidsafe check` command only (filters/check_cli.py), never at library import: tests,
training and the device import numpy as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
import types
from typing import Any

DEFERRED = frozenset({"numpy.random", "numpy.ma", "numpy.polynomial", "numpy.fft", "numpy.ctypeslib"})
_LOCK = threading.RLock()


class _Placeholder(types.ModuleType):
    """A module whose code runs at its first missing-attribute lookup (its dunders are set by import)."""

    def __getattr__(self, name: str) -> Any:
        with _LOCK:
            loader = self.__dict__.pop("_kidsafe_loader", None)
            if loader is not None:
                self.__class__ = types.ModuleType  # from here on an ordinary module
                self.__spec__.loader = self.__loader__ = loader
                try:
                    loader.exec_module(self)
                except BaseException:
                    sys.modules.pop(self.__name__, None)  # as a failed import: the next import retries
                    raise
        return types.ModuleType.__getattribute__(self, name)


class _Loader(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Placeholder(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__dict__["_kidsafe_loader"] = self.real


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec  # (a compiled module cannot run in a module object made beforehand)
        spec.loader = _Loader(spec.loader)
        return spec


def import_numpy() -> types.ModuleType:
    """numpy, imported now with DEFERRED left as placeholders (or as it is, if already imported)."""
    if "numpy" in sys.modules:
        return sys.modules["numpy"]
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    try:
        import numpy
    finally:
        sys.meta_path.remove(finder)
    return numpy
