"""The PII detector kept across processes, so start-up does not build its patterns again.

Building a PiiDetector reads its data files and writes its pre-check alternation (~20 M instructions
at every `kidsafe check` start-up); the first text that needs the recognisers writes their ~90
patterns too (~25 M more, in the first verdict). Both are pure functions of the PII code and data, so
they are pickled beside the matcher cache (filters/table_cache.py, filters/matcher_cache.py: owner checks,
an HMAC, atomic writes, best effort) under a key that digests every file of filters/pii/ and filters/data/pii/, the
Python build and the Unicode database: the detector's state (`pii-<key>.pickle`, read at load) and
its built recognisers (`piibuilt-<key>.pickle`, read by the first text that needs them). A compiled
pattern is stored as its text and rebuilt through filters/regex_cache.py.

Fails closed: a missing, foreign, forged or damaged file, a state of the wrong shape, or any error on
the way gives a detector built afresh (the same one); the detector's own fail-closed rule (a recogniser
error is a PII hit) is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import unicodedata
from pathlib import Path

from filters import table_cache
from filters.pii import PiiDetector
from filters.pii.cues import CueIndex
from filters.pii.data import DATA_DIR, PiiData
from filters.pii.digits import DigitView
from filters.pii.trigger import Trigger

FORMAT = 1
KIND, BUILT_KIND = "pii", "piibuilt"
CODE_DIR = Path(__file__).resolve().parent / "pii"
_STATE = ("_data", "_labels", "_view", "_trigger")  # what PiiDetector.__init__ makes (besides locks)


def cache_key() -> str | None:
    """Digest of everything the detector is built from; None if a file cannot be read (then: no cache)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{unicodedata.unidata_version}\0".encode())
    try:
        for d in (CODE_DIR, DATA_DIR):
            with os.scandir(d) as it:
                names = sorted(e.name for e in it if e.is_file() and not e.name.startswith("."))
            for name in names:
                with open(os.path.join(d, name), "rb") as fh:
                    h.update(f"{d.name}/{name}\0".encode() + fh.read() + b"\0")
    except OSError:
        return None
    return h.hexdigest()[:32]


def _state_ok(state: object) -> bool:
    return (isinstance(state, dict) and set(state) == set(_STATE) and isinstance(state["_data"], PiiData)
            and isinstance(state["_labels"], dict) and isinstance(state["_view"], DigitView)
            and isinstance(state["_trigger"], Trigger))


def _built_ok(built: object) -> bool:
    return (isinstance(built, tuple) and len(built) == 2 and isinstance(built[0], CueIndex)
            and isinstance(built[1], tuple) and len(built[1]) > 0
            and all(callable(getattr(r, "scan", None)) and isinstance(getattr(r, "name", None), str)
                    for r in built[1]))


class CachedPiiDetector(PiiDetector):
    """A PiiDetector (default data) whose state and built recognisers come from the cache when it has them."""

    _key: str | None = None

    @classmethod
    def load(cls) -> PiiDetector:
        """The shipped data's detector: from the cache if it holds this key's state, else built (and stored)."""
        key = cache_key()
        state = table_cache.load(key, KIND) if key is not None else None
        if key is None or not _state_ok(state):
            det = cls()
            det._key = key
            if key is not None:
                table_cache.save(key, KIND, {name: getattr(det, name) for name in _STATE})
            return det
        det = cls.__new__(cls)
        det.__dict__.update(state)
        det._key = key
        det._built = None
        det._build_lock = threading.Lock()
        det._logged = set()
        det._log_lock = threading.Lock()
        return det

    def _build(self) -> tuple[CueIndex, tuple]:
        if self._built is not None or self._key is None:
            return super()._build()
        stored = table_cache.load(self._key, BUILT_KIND)
        if _built_ok(stored):
            with self._build_lock:
                if self._built is None:
                    self._built = stored
            return self._built  # type: ignore[return-value]
        built = super()._build()
        table_cache.save(self._key, BUILT_KIND, built)
        return built
