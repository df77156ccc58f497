"""Objects built from package files kept across processes: the built object is pickled beside the matcher
cache (filters/matcher_cache.py: owner checks, an HMAC, atomic writes, best effort) under a key that
digests the bytes of every file it is built from (its data and the modules that build it), the Python
build and the Unicode database. A compiled pattern is stored as its text and rebuilt through
filters/regex_cache.py.

`cached(kind, sources, build, expected)` gives build() the first time and the stored object afterwards;
a missing, foreign, forged or damaged file, an object of another type, or any error on the way gives
build() again (never a stale or half-read object). Used where validating and indexing a table costs more
at start-up than unpickling its result: the 拆字 reader (filters/chaizi.py), the homophone reopen table
(filters/homophone_reopen.py), the PII detector (filters/pii_cache.py).
"""

from __future__ import annotations

import hashlib
import io
import pickle
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from filters import matcher_cache, regex_cache

FORMAT = 2  # 2: large string sets and dicts joined
T = TypeVar("T")


def digest(kind: str, sources: Iterable[str | Path]) -> str | None:
    """Digest of the named files' bytes (with the kind, Python build and Unicode version); None if one
    cannot be read (then nothing is cached)."""
    h = hashlib.sha256(f"{FORMAT}\0{kind}\0{sys.version}\0{unicodedata.unidata_version}\0".encode())
    try:
        for path in sources:
            with open(path, "rb") as fh:
                h.update(f"{Path(path).name}\0".encode() + fh.read() + b"\0")
    except OSError:
        return None
    return h.hexdigest()[:32]


_JOINED_MIN = 64  # a set or dict of strings at least this large is stored as joined strings (see persistent_id)


def _joinable(items: Iterable[object]) -> bool:
    return all(type(x) is str and "\n" not in x for x in items)


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:  # noqa: ANN401
        # a large frozenset of strings, or dict of strings to strings, as newline-joined strings that one
        # str.split makes again in C: unpickled one by one (each decoded, memoized), ~9,000 strings cost more
        # than the JSON they came from
        if type(obj) is frozenset and len(obj) >= _JOINED_MIN and _joinable(obj):
            return "frozenset", "\n".join(obj)
        if type(obj) is dict and len(obj) >= _JOINED_MIN and _joinable(obj) and _joinable(obj.values()):
            return "dict", "\n".join(obj), "\n".join(obj.values())
        return None

    def reducer_override(self, obj: Any) -> Any:  # noqa: ANN401
        if type(obj) is re.Pattern and isinstance(obj.pattern, str):
            # the flags the pattern was compiled with (a str pattern adds re.UNICODE itself): the regex cache's key
            return regex_cache.compile, (obj.pattern, obj.flags & ~re.UNICODE)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> object:  # noqa: ANN401
        if type(pid) is tuple and len(pid) == 2 and pid[0] == "frozenset" and type(pid[1]) is str:
            return frozenset(pid[1].split("\n"))
        if type(pid) is tuple and len(pid) == 3 and pid[0] == "dict" and type(pid[1]) is str and type(pid[2]) is str:
            return dict(zip(pid[1].split("\n"), pid[2].split("\n"), strict=True))
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def dumps(obj: object) -> bytes | None:
    """The object pickled with its patterns as text; None if it does not pickle."""
    fh = io.BytesIO()
    try:
        _Pickler(fh, protocol=5).dump(obj)
    except Exception:  # noqa: BLE001 - a state that does not pickle is simply not cached
        return None
    return fh.getvalue()


def load(key: str, kind: str) -> Any | None:  # noqa: ANN401
    """The stored object of this key, or None (absent, forged, damaged, or any error)."""
    try:
        payload = matcher_cache.load(key, kind=kind)
        return _Unpickler(io.BytesIO(payload)).load() if isinstance(payload, bytes) else None
    except Exception:  # noqa: BLE001 - a cache that cannot be read only costs the work it saves
        return None


def save(key: str, kind: str, obj: object) -> None:
    """Store the object (best effort)."""
    payload = dumps(obj)
    if payload is not None:
        matcher_cache.save(key, payload, kind=kind)


def cached(kind: str, sources: Iterable[str | Path], build: Callable[[], T], expected: type) -> T:
    """build(), or the object a build from the same source files stored (exactly of type `expected`)."""
    key = digest(kind, sources)
    if key is not None:
        stored = load(key, kind)
        if type(stored) is expected:
            return stored  # type: ignore[no-any-return]
    value = build()
    if key is not None:
        save(key, kind, value)
    return value
