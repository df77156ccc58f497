"""Compiled regular-expression programs kept across processes, so start-up does not compile them again.

CPython compiles a pattern in Python (re._parser, re._compiler): each class over the Chinese ranges
costs ~3 ms (the compiler walks all 28,000 code points), the PII trigger and cue alternations tens of
ms; together ~0.13 s of `kidsafe check`'s start-up. `compile(pattern, flags)` gives the same
re.Pattern as re.compile. The programs (the code list re._compiler makes, with the group tables) of
the patterns a process compiled are written when it exits to the matcher cache directory
(filters/matcher_cache.py: owner checks, a MAC, atomic writes, best effort) under a key of the exact
Python build and regex engine (sys.version, _sre.MAGIC); the next process builds those patterns from
them with _sre.compile. A pattern the file lacks, another Python, or any error: re.compile as usual.
Programs are held as compact arrays of SRE_CODE (4 bytes an opcode), not lists of Python ints: the
lists cost ~15-25 MB of resident memory for the ~1.5 M opcodes a busy cache holds, which pushed
`kidsafe check` past its 150 MB budget; a list is made only for the moment of _sre.compile.
"""

from __future__ import annotations

import _sre
import array
import atexit
import hashlib
import re
import sys
import threading
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

from filters import matcher_cache

FORMAT = 3  # 2: code stored as array("I"), not a list of ints; 3: a new key, dropping the per-process
# variants of the PII alternations (built from sets until filters/pii/patterns.py sorted them) that
# older processes piled up (150 programs, 7 MB, all loaded by every start-up)
KIND = "regex"
# (flags, code, groups - 1, groupindex, indexgroup): the arguments of _sre.compile after the pattern
Program = tuple[int, array.array, int, dict[str, int], tuple[Any, ...]]
CODE_TYPE = "I" if array.array("I").itemsize == _sre.CODESIZE else "L"

_lock = threading.RLock()  # (re-entered if loading the programs ever compiled a pattern through install())
_programs: dict[tuple[str, int], Program] | None = None  # loaded on first use
_added = False  # a program was compiled here that the file lacks: write it at exit
_used: set[tuple[str, int]] = set()  # the patterns this process asked for
MAX_PROGRAMS = 200  # past this many, a write keeps only this process's patterns (stale ones go)


def cache_key() -> str:
    """The file's key: programs are valid only for the Python build and regex engine that made them."""
    ident = f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}\0{_sre.CODESIZE}"
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def _load() -> dict[tuple[str, int], Program]:
    global _programs
    if _programs is None:
        _programs = matcher_cache.load_entries(cache_key(), KIND)
        atexit.register(save)
    return _programs


def program(pattern: str, flags: int = 0) -> Program:
    """What re._compiler.compile passes to _sre.compile for this pattern (compiled in Python)."""
    parsed = _parser.parse(pattern, flags)
    code = array.array(CODE_TYPE, [int(op) for op in _compiler._code(parsed, flags)])  # compact; opcodes pickle as ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:  # noqa: A001 - as re.compile
    """re.compile(pattern, flags), from the stored program when there is one."""
    return _compile(pattern, int(flags), re.compile)


def install() -> None:
    """Make every str pattern the re module itself compiles from now on in this process (the standard library's
    and numpy's module-level patterns: ~5 ms of `kidsafe check`'s start-up, numpy's case-blind signature pattern
    alone ~2.5 ms) come from the stored programs too, through re's own cache as before. For the `kidsafe check`
    command only (filters/check_cli.py), never at library import."""
    if _compiler.compile is not _re_compile:
        return
    _compiler.compile = _compile_for_re


_re_compile = _compiler.compile  # what re.compile runs for a pattern its own cache lacks


def _compile_for_re(pattern: Any, flags: int) -> Any:  # noqa: ANN401 - as re._compiler.compile
    if type(pattern) is str and not flags & re.DEBUG:
        return _compile(pattern, int(flags), _re_compile)
    return _re_compile(pattern, flags)


def _compile(pattern: str, flags: int, fallback: Any) -> re.Pattern[str]:  # noqa: ANN401
    global _added
    key = (pattern, flags)
    with _lock:
        programs = _load()
        stored = programs.get(key)
        _used.add(key)
    if stored is not None:
        try:
            pflags, code, groups, groupindex, indexgroup = stored
            return _sre.compile(pattern, pflags, code.tolist(), groups, groupindex, indexgroup)
        except Exception:  # noqa: BLE001 - a program this engine refuses: compile it afresh
            pass
    try:
        made = program(pattern, flags)
        pflags, code, groups, groupindex, indexgroup = made
        compiled = _sre.compile(pattern, pflags, code.tolist(), groups, groupindex, indexgroup)
    except Exception:  # noqa: BLE001 - anything unexpected in the internals: the public way
        return fallback(pattern, flags)
    with _lock:
        programs[key] = made
        _added = True
    return compiled


def save() -> bool:
    """Write the programs if this process compiled any the file lacked (best effort; True if written)."""
    global _added
    with _lock:
        if not _added or _programs is None:
            return False
        _added = False
        snapshot = dict(_programs)
    return matcher_cache.save_entries(cache_key(), snapshot, _used, MAX_PROGRAMS, kind=KIND)
