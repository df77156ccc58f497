"""An on-disk cache of built matchers and parsed word packs, so a process starts without redoing them.

Building the matcher costs about 60 µs a term in Python (folds, split variants, pinyin keys,
automata): 0.3 s for the shipped packs, seconds for a 50,000-term lexicon; parsing and validating
45,000 pack entries costs about 0.5 s. The results are pickled to `<cache dir>/<kind>-<key>.pickle`
(kind "matcher" or "packs"), where the key digests everything the result depends on (entries or
pack bytes, tables, code version). Another pack set, table or format simply misses the cache and
builds (then stores) its own.

Cache dir: $KIDSAFE_CACHE_DIR, else $XDG_CACHE_HOME/kidsafe, else ~/.cache/kidsafe; created 0700,
files 0600 and written atomically. A pickle runs code when loaded, so a file is unpickled only if
1. it and its directory belong to this user and nobody else may write them, and
2. its MAC verifies: each file starts with an HMAC-SHA256 of (kind, key, payload) under a random
   secret kept 0600 in the cache dir (`cache.key`). (HMAC-SHA256 rather than keyed BLAKE2b: OpenSSL's
   SHA-256 runs on the SHA extensions of x86 and ARMv8, 23 ms instead of 48 ms for a 31 MB cache. A
   Raspberry Pi 4's Cortex-A72 has no such extensions: there keyed BLAKE2b is likely the faster MAC for the
   ~25 MB a start-up reads; not measured on the device yet.)
   A truncated or bit-flipped file, a file made on another device or restored from elsewhere, or
   one renamed to another key fails the MAC and is rebuilt, never unpickled.
Writing is best effort: a read-only disk only costs start-up time.

Deferred parts (`save_split` / `load_split`): a large part of a state that many processes never
use (the matcher's syllable automaton: only texts where Latin touches Chinese scan it) is stored in a
file of its own (kind = the part's name, same key, same checks) and unpickled on first use
(`Deferred.get`); the rest of the state loads without reading it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import stat
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filters import prebuilt

CACHE_FORMAT = 23  # 11: allow-context state; 12: HMAC-SHA256 MACs; 13-14: mixed-term keys; 15: one syllable automaton;
# 16: deferred parts in files of their own (save_split); 17: WordKeys pairs share their words;
# 18: the character automaton spells keys with automata.CharCode; 19: WordKeys stored as one sorted string;
# 20: the mixed terms' Latin words (decoded_gate.MixedLatin); 21: the whole-word index a deferred part;
# 22: the whole-word index's gate (automata.WordGate) in the main state;
# 23: the character and syllable automata hold their keys' first symbols only (automata.PrefixAutomaton);
# bump on change
MAX_FILES = 8  # older files of a kind beyond this many are removed when a new one is written
MAGIC = b"KSC2"  # KSC1: keyed BLAKE2b MACs (such files fail the magic check and are rebuilt)
MAC_BYTES = 32
SECRET_NAME = "cache.key"


def cache_dir() -> Path:
    env = os.environ.get("KIDSAFE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kidsafe"


def digest(entries: Sequence[Any], tables: Sequence[Any], fingerprint: str | None = None) -> str:
    """Digest of everything a built matcher depends on (a fingerprint of the entries may stand for them)."""
    h = hashlib.sha256(f"{CACHE_FORMAT}\0".encode())
    h.update(prebuilt.digest(prebuilt.all_sources()).encode())
    h.update(json.dumps(tables, sort_keys=True, ensure_ascii=False).encode())
    if fingerprint is not None:
        h.update(f"fingerprint\0{fingerprint}\0{len(entries)}".encode())
        return h.hexdigest()[:32]
    for e in entries:
        h.update(repr((e.term, e.category, e.severity, e.match, e.homophones, e.allow, e.pack)).encode() + b"\0")
    return h.hexdigest()[:32]


def _trusted(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read_own(path: Path, limit: int | None = None, private: bool = False) -> bytes | None:
    """The bytes of a regular file of ours that nobody else may write (no links followed), else None.

    private: nobody else may read it either (the MAC secret)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _trusted(st) or (private and st.st_mode & 0o077):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read() if limit is None else fh.read(limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def _secret(directory: Path, create: bool) -> bytes | None:
    """The cache dir's MAC secret (made on first use), or None when it cannot be had safely."""
    path = directory / SECRET_NAME
    raw = _read_own(path, MAC_BYTES + 1, private=True)
    if raw is not None:
        return raw if len(raw) == MAC_BYTES else None
    if not create:
        return None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it meanwhile
        raw = _read_own(path, MAC_BYTES + 1, private=True)
        return raw if raw is not None and len(raw) == MAC_BYTES else None
    except OSError:
        return None
    secret = os.urandom(MAC_BYTES)
    try:
        os.write(fd, secret)
    finally:
        os.close(fd)
    return secret


def _mac(secret: bytes, kind: str, key: str) -> Any:
    """An HMAC-SHA256 bound to the file's kind and key; the caller feeds it the payload."""
    return hmac.new(secret, f"{kind}\0{key}\0".encode(), hashlib.sha256)


def _path(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key}.pickle"


def load(key: str, directory: Path | None = None, kind: str = "matcher") -> Any | None:
    """The cached object for `key`, or None (absent, foreign, writable by others, corrupt or forged).

    The file is read once, into one buffer that the MAC checks and pickle.loads reads in place (reading it
    twice, through the MAC and then as the unpickler's stream, cost ~3% of a start-up in copies and reads).
    The buffer lives only while the file is unpickled: the start-up's memory is still growing then, so it
    does not raise the process's peak (bench_filters: peak RSS after 2,000 lines).
    """
    directory = directory or cache_dir()
    try:
        if not _trusted(os.stat(directory)):
            return None
    except OSError:
        return None
    secret = _secret(directory, create=False)
    if secret is None:
        return None
    try:
        fd = os.open(_path(directory, kind, key), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _trusted(st):
            return None
        data = _read_all(fd, st.st_size)
        start = len(MAGIC) + MAC_BYTES
        if data is None or len(data) < start or data[: len(MAGIC)] != MAGIC:
            return None
        payload = memoryview(data)[start:]
        mac = _mac(secret, kind, key)
        mac.update(payload)
        if not hmac.compare_digest(bytes(data[len(MAGIC) : start]), mac.digest()):
            return None  # corrupt, truncated, renamed or not made here: rebuilt, never unpickled
        return pickle.loads(payload)
    except Exception:
        return None
    finally:
        os.close(fd)


def _read_all(fd: int, size: int) -> bytes | None:
    """The file's `size` bytes (its size when opened), in one read (no zero-filled buffer first); None if
    it is not that long (truncated meanwhile)."""
    data = os.read(fd, size)
    while 0 < len(data) < size:  # a short read (not seen for a regular file): read the rest
        more = os.read(fd, size - len(data))
        if not more:
            break
        data += more
    return data if len(data) == size else None


def save(key: str, state: Any, directory: Path | None = None, kind: str = "matcher") -> bool:
    """Store an object (best effort); True if written."""
    directory = directory or cache_dir()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(directory)):
            return False
        secret = _secret(directory, create=True)
        if secret is None:
            return False
        payload = pickle.dumps(state, protocol=5)
        mac = _mac(secret, kind, key)
        mac.update(payload)
        import tempfile  # here, not at the top: only a process that builds a cache writes one (~4 ms of start-up)

        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", dir=directory)  # created 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + mac.digest())
                fh.write(payload)
            os.replace(tmp, _path(directory, kind, key))
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(directory, kind)
        return True
    except Exception:
        return False


def load_entries(key: str, kind: str) -> dict:
    """load() of a save_entries dict; {} when there is none (or anything else is there, or it fails)."""
    try:
        stored = load(key, kind=kind)
    except Exception:  # noqa: BLE001 - a cache that cannot be read only costs the work it saves
        stored = None
    return stored if isinstance(stored, dict) else {}


def save_entries(key: str, entries: dict, used: set, limit: int, kind: str) -> bool:
    """save() of a dict of entries a process adds to (compiled programs, code): past `limit` entries only
    those this process `used` are kept, so stale ones do not pile up."""
    if len(entries) > limit:
        entries = {k: v for k, v in entries.items() if k in used}
    return save(key, entries, kind=kind)


def _prune(directory: Path, kind: str) -> None:
    files = sorted(directory.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        old.unlink(missing_ok=True)


class Deferred:
    """A part of a cached state in its own file, unpickled on first `get()` (None if that file is gone,
    forged or corrupt by then: the caller rebuilds it). Thread-safe; the file is read at most once."""

    __slots__ = ("key", "kind", "directory", "_lock", "_value", "_loaded")

    def __init__(self, key: str, kind: str, directory: Path | None = None) -> None:
        self.key, self.kind, self.directory = key, kind, directory
        self._lock = threading.Lock()
        self._value: Any = None
        self._loaded = False

    def get(self) -> Any | None:
        with self._lock:
            if not self._loaded:
                self._value = load(self.key, self.directory, kind=self.kind)
                self._loaded = True
            return self._value


def _part_kind(kind: str, name: str) -> str:
    # not "<kind>-...": _prune globs a kind's files by that prefix
    return f"{kind}{name.strip('_').replace('_', '')}"


def save_split(key: str, state: dict[str, Any], deferred: Sequence[str], directory: Path | None = None,
               kind: str = "matcher") -> bool:
    """save(), with each named part that is not None in a file of its own (written first: a state file
    never names a part that was not stored)."""
    rest = dict(state)
    for name in deferred:
        if rest.get(name) is not None:
            if not save(key, rest[name], directory, kind=_part_kind(kind, name)):
                return False
            rest[name] = _DEFERRED_MARK
    return save(key, rest, directory, kind=kind)


def load_split(key: str, deferred: Sequence[str], directory: Path | None = None,
               kind: str = "matcher") -> dict[str, Any] | None:
    """load() of a save_split state: the deferred parts are `Deferred`s, read on first use."""
    state = load(key, directory, kind=kind)
    if not isinstance(state, dict):
        return None
    for name in deferred:
        if state.get(name) == _DEFERRED_MARK:
            state[name] = Deferred(key, _part_kind(kind, name), directory)
    return state


_DEFERRED_MARK = "kidsafe-deferred-part"
