"""Compiled code of the methods that `dataclasses` and `collections.namedtuple` write, kept across processes.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, ... as Python source and exec()s it,
`namedtuple` eval()s the source of its `__new__`, and `typing.NamedTuple` compiles each field's string
annotation (under `from __future__ import annotations`) into a ForwardRef: CPython parses and compiles that
source in every process. For the ~15 dataclasses `kidsafe check` defines before its first verdict that is
~60 M instructions, ~7% of its start-up (callgrind). `install()` puts a caching `exec`, `eval` and `compile`
into those three modules' globals (where they shadow the builtins for that module's own calls only): the code
object compiled from the same source text, with the flags the builtins give it there (no inherited __future__
features, filename "<string>"), is taken from a file written at exit into the matcher cache directory
(filters/matcher_cache.py: owner checks, an HMAC, atomic writes, best effort), under a key of the exact
Python build and bytecode magic. The generated functions are the same code objects, so the classes are
the same; a source the file lacks, another Python, or any error: compiled as the builtins do.

Installed by the `kidsafe check` command before it imports the modules that define dataclasses
(filters/check_cli.py), never at library import.
"""

from __future__ import annotations

import atexit
import builtins
import hashlib
import marshal
import sys
import threading
import typing
from types import CodeType
from typing import Any

from filters import matcher_cache

FORMAT = 1
KIND = "code"
MAX_ENTRIES = 400  # past this many, a write keeps only the sources this process used

_lock = threading.Lock()
_stored: dict[tuple[str, str], bytes] | None = None  # (mode, source) -> marshalled code, loaded on install
_compiled: dict[tuple[str, str], CodeType] = {}
_added = False
_used: set[tuple[str, str]] = set()
_installed = False


def cache_key() -> str:
    """Code objects are valid only for the Python build and bytecode that made them."""
    from importlib.util import MAGIC_NUMBER

    ident = f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0{MAGIC_NUMBER.hex()}\0{marshal.version}"
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def _code(source: str, mode: str) -> CodeType:
    """The code object exec()/eval() would compile for `source` in a module without __future__ imports."""
    global _added
    key = (mode, source)
    with _lock:
        code = _compiled.get(key)
        if code is not None:
            return code
        _used.add(key)
        raw = _stored.get(key) if _stored is not None else None
    if raw is not None:
        try:
            code = marshal.loads(raw)
        except Exception:  # noqa: BLE001 - a stored code this Python refuses: compile it afresh
            code = None
    if not isinstance(code, CodeType):
        code = compile(source, "<string>", mode, dont_inherit=True)
        with _lock:
            if _stored is not None:
                _stored[key] = marshal.dumps(code)
                _added = True
    with _lock:
        _compiled[key] = code
    return code


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # noqa: A002, ANN401 - as exec
    if globals is None:  # the caller's namespace, as the builtin takes it
        frame = sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    if type(source) is str:
        try:
            code = _code(source, "exec")
        except Exception:  # noqa: BLE001 - the builtin reports it as it would
            code = source
    else:
        code = source
    return builtins.exec(code, globals, locals)


def _eval(source: Any, globals: Any = None, locals: Any = None, /) -> Any:  # noqa: A002, ANN401 - as eval
    if globals is None:
        frame = sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    if type(source) is str:
        try:
            code = _code(source, "eval")
        except Exception:  # noqa: BLE001
            code = source
    else:
        code = source
    return builtins.eval(code, globals, locals)


def _compile(source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False,  # noqa: ANN401
             optimize: int = -1) -> Any:  # noqa: ANN401 - as compile, called from `typing` (no __future__ there)
    if type(source) is str and filename == "<string>" and mode == "eval" and not flags and optimize == -1:
        try:
            return _code(source, "eval")
        except Exception:  # noqa: BLE001, S110 - the builtin reports it as it would
            pass
    return builtins.compile(source, filename, mode, flags, True, optimize)


def install() -> None:
    """Use the stored code in `dataclasses` and `collections` from now on (once a process; best effort)."""
    global _stored, _installed
    if _installed:
        return
    _installed = True
    _stored = matcher_cache.load_entries(cache_key(), KIND)
    import collections

    from filters.lazy_numpy import import_lazily

    # inspect (~5 ms with dis, tokenize, linecache) runs only for a dataclass without a docstring
    dataclasses = import_lazily("dataclasses", frozenset({"inspect"}))

    dataclasses.exec = _exec  # type: ignore[attr-defined]
    collections.eval = _eval  # type: ignore[attr-defined]
    # typing.NamedTuple compiles each field's string annotation (from __future__ import annotations) into a
    # ForwardRef: ~1.5% of start-up
    typing.compile = _compile  # type: ignore[attr-defined]
    atexit.register(save)


def save() -> bool:
    """Write the code objects if this process compiled any the file lacked (best effort; True if written)."""
    global _added
    with _lock:
        snapshot = dict(_stored) if _added and _stored is not None else None
        _added = False
    return snapshot is not None and matcher_cache.save_entries(cache_key(), snapshot, _used, MAX_ENTRIES, kind=KIND)
