"""Compiled co-occurrence rules cached on disk, so a process starts without compiling them again.

Compiling the shipped rule files (filters/combos.py: parse and check every file, fold every cue, build
the automata) costs 50-90 ms of CPU at every start-up; loading the compiled matcher back costs a few ms.
`load_matcher(rules_dir, normalizer, segmenter)` gives the same `ComboMatcher` that
`ComboMatcher.load` would, from the cache when it can:

- the key digests everything the compiled rules derive from: this module's FORMAT, the source of every
  filters/combo*.py module and of the normaliser, the normaliser's table sources (filters/prebuilt.py),
  and the name and bytes of every rule file. Another rule file, an edited one, new matching code or
  new tables miss the cache and compile (then store) their own;
- the file lives in filters/matcher_cache.py's directory and is read through it, under its checks:
  ours and writable by nobody else, and an HMAC-SHA256 under the directory's secret. A forged,
  truncated, foreign or renamed file fails them and the rules are compiled from the files again,
  never unpickled;
- anything odd about the rule folder (a missing folder, a file that is not regular or is too large)
  skips the cache, so `ComboMatcher.load` reports the problem exactly as without a cache;
- only the default normaliser (shipped tables) is cached: the compiled cues depend on its tables.

The normaliser and segmenter are not stored: they are the caller's (pickle persistent ids). Frozen
dataclasses are stored as constructor calls, which unpickle several times faster than their default
state form (2,661 automaton keys: ~22 ms -> a few ms), and the automaton keys' named tuples by tuple.__new__.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import pickle
import stat
import sys
from array import array
from pathlib import Path
from typing import Any

from filters import matcher_cache, prebuilt
from filters.combo_rules import COMBOS_DIR, MAX_FILE_BYTES
from filters.combos import ComboMatcher, _Key
from filters.normalize import TABLES_DIR, Normalizer

FORMAT = 3  # 2: named tuples by tuple.__new__; 3: the automaton keys as columns (persistent id "keys")
KIND = "combos"
_FILTERS = Path(__file__).resolve().parent
_CODE = ("normalize.py", "tables.py")  # besides every combo*.py: how cues are folded


@functools.cache
def _code_digest() -> str:
    """Digest of the matching code the compiled form depends on (read once per process)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0".encode())
    for path in sorted(_FILTERS.glob("combo*.py")) + [_FILTERS / n for n in _CODE]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(prebuilt.digest(prebuilt.SOURCES["normalize"]).encode())
    return h.hexdigest()


def cache_key(rules_dir: Path) -> str | None:
    """The key of a rule folder's compiled form, or None when it is not to be cached (odd folder)."""
    try:
        h = hashlib.sha256(_code_digest().encode())
        for path in sorted(Path(rules_dir).glob("*.json")):
            st = os.stat(path, follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                return None  # ComboMatcher.load says what is wrong
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return h.hexdigest()[:32]


def cacheable(normalizer: object) -> bool:
    """Only the default normaliser's compiled cues can be reused (they depend on its tables)."""
    return type(normalizer) is Normalizer and normalizer.tables.tables_dir == TABLES_DIR


def load_matcher(rules_dir: str | Path = COMBOS_DIR, *, normalizer: Normalizer, segmenter: object | None = None,
                 directory: Path | None = None) -> ComboMatcher:
    """ComboMatcher.load(rules_dir, ...), from the cache when it holds this rule set (else stored there).

    Raises filters.combo_rules.ComboError exactly as ComboMatcher.load does."""
    key = cache_key(Path(rules_dir)) if cacheable(normalizer) else None
    if key is not None:
        found = _restore(matcher_cache.load(key, directory, kind=KIND), normalizer, segmenter)
        if found is not None:
            return found
    matcher = ComboMatcher.load(rules_dir, normalizer=normalizer, segmenter=segmenter)
    if key is not None:
        payload = _dumps(matcher, normalizer, segmenter)
        if payload is not None:
            matcher_cache.save(key, payload, directory, kind=KIND)
    return matcher


# --- pickling: the caller's normaliser and segmenter by reference, dataclasses as constructor calls, the
# automaton keys (the list the matcher and its CueGroups share) as columns ---
_KEYS = "keys"


def _key_columns(keys: list[_Key]) -> tuple[array, bytes, bytes, bytes, tuple[tuple[tuple[int, int], ...], ...]]:
    """The automaton keys as columns: unpickling ~12,600 named tuples one REDUCE each (and memoizing each) cost
    ~10 M instructions of every start-up; `_keys_of` makes them again in C."""
    return (array("I", [k.length for k in keys]), bytes(k.lead for k in keys), bytes(k.tail for k in keys),
            bytes(map(int, (k.segment for k in keys))), tuple(k.members for k in keys))


_new_key = functools.partial(tuple.__new__, _Key)


def _keys_of(lengths: array, leads: bytes, tails: bytes, segments: bytes,
             members: tuple[tuple[tuple[int, int], ...], ...]) -> list[_Key]:
    if not len(lengths) == len(leads) == len(tails) == len(segments) == len(members):
        raise pickle.UnpicklingError("automaton key columns of different lengths")
    return list(map(_new_key, zip(lengths, leads, tails, map(bool, segments), members, strict=True)))


class _Pickler(pickle.Pickler):
    def __init__(self, fh: io.BytesIO, shared: dict[int, str], keys: list[_Key] | None = None) -> None:
        super().__init__(fh, protocol=5)
        self._shared = shared
        self._keys = keys
        self._keys_sent = False

    def persistent_id(self, obj: Any) -> Any:  # noqa: ANN401
        if obj is self._keys and type(obj) is list:  # the columns once, then a reference to the same list
            if self._keys_sent:
                return _KEYS
            self._keys_sent = True
            return _KEYS, _key_columns(obj)
        return self._shared.get(id(obj))

    def reducer_override(self, obj: Any) -> Any:  # noqa: ANN401
        if type(obj) is _Key:  # made by tuple.__new__ in C, not the named tuple's __new__ in Python (10,000 keys)
            return tuple.__new__, (_Key, tuple(obj))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            fields = dataclasses.fields(obj)
            if all(f.init for f in fields):
                return type(obj), tuple(getattr(obj, f.name) for f in fields)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh: io.BytesIO, shared: dict[str, object]) -> None:
        super().__init__(fh)
        self._shared = shared
        self._keys: list[_Key] | None = None

    def persistent_load(self, pid: Any) -> object:  # noqa: ANN401
        if type(pid) is tuple and len(pid) == 2 and pid[0] == _KEYS and self._keys is None:
            self._keys = _keys_of(*pid[1])
            return self._keys
        if pid == _KEYS and self._keys is not None:
            return self._keys
        if type(pid) is not str or pid not in self._shared:
            raise pickle.UnpicklingError(f"unknown shared object {pid!r}")
        return self._shared[pid]


def _shared(normalizer: Normalizer, segmenter: object | None) -> dict[str, object]:
    out: dict[str, object] = {"normalizer": normalizer, "tables": normalizer.tables}
    if segmenter is not None:
        out["segmenter"] = segmenter
    return out


def _dumps(matcher: ComboMatcher, normalizer: Normalizer, segmenter: object | None) -> bytes | None:
    fh = io.BytesIO()
    try:
        _Pickler(fh, {id(v): k for k, v in _shared(normalizer, segmenter).items()}, matcher._keys).dump(vars(matcher))
    except Exception:  # noqa: BLE001 - a state that does not pickle is simply not cached
        return None
    return fh.getvalue()


def _restore(payload: object, normalizer: Normalizer, segmenter: object | None) -> ComboMatcher | None:
    """The matcher from a MAC-checked payload; None for anything unexpected (then it is compiled)."""
    if not isinstance(payload, bytes):
        return None
    try:
        state = _Unpickler(io.BytesIO(payload), _shared(normalizer, segmenter)).load()
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(state, dict):
        return None
    matcher = ComboMatcher.__new__(ComboMatcher)
    matcher.__dict__.update(state)
    matcher.segmenter = segmenter  # the caller's, as ComboMatcher.load would hold (the key does not cover it)
    return matcher
