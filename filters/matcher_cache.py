"""A cache of built matchers, so a process starts without rebuilding automata for the same word packs.

Building the matcher costs about 60 µs a term in Python (folds, split variants, pinyin keys,
automata): 0.3 s for the shipped packs, seconds for a 50,000-term lexicon. The built state (keys,
automata) is pickled to `<cache dir>/matcher-<digest>.pickle`, where the digest covers every entry,
the split-character and leetspeak tables, the normaliser's tables and CACHE_FORMAT. Another pack
set, table or format simply misses the cache and builds (then stores) its own.

Cache dir: $KIDSAFE_CACHE_DIR, else $XDG_CACHE_HOME/kidsafe, else ~/.cache/kidsafe; created 0700,
files 0600 and written atomically. A pickle runs code when loaded, so a file is used only if it and
its directory belong to this user and nobody else may write them; anything unreadable, foreign or
corrupt is ignored (and rebuilt). Writing is best effort: a read-only disk only costs start-up time.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filters import prebuilt

CACHE_FORMAT = 4  # 3: keys are plain 6-tuples; 4: the state holds _vocab_uses; bump whenever it changes
MAX_FILES = 8  # older matcher files beyond this many are removed when a new one is written


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


def load(key: str, directory: Path | None = None) -> dict[str, Any] | None:
    """The cached state for `key`, or None (absent, foreign, writable by others, or corrupt)."""
    directory = directory or cache_dir()
    path = directory / f"matcher-{key}.pickle"
    try:
        if not _trusted(os.stat(directory)):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _trusted(st):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            state = pickle.load(fh)
    except Exception:  # a corrupt or truncated cache is rebuilt, never trusted
        return None
    finally:
        os.close(fd)
    if not isinstance(state, dict) or state.get("_cache_key") != key:
        return None
    return state


def save(key: str, state: dict[str, Any], directory: Path | None = None) -> bool:
    """Store the state (best effort); True if written."""
    directory = directory or cache_dir()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(directory)):
            return False
        fd, tmp = tempfile.mkstemp(prefix=".matcher-", dir=directory)  # created 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump({**state, "_cache_key": key}, fh, protocol=5)
            os.replace(tmp, directory / f"matcher-{key}.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(directory)
        return True
    except Exception:
        return False


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("matcher-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        old.unlink(missing_ok=True)
