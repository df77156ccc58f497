"""Prebuilt tables: the normaliser's and segmenter's data built once (`make tables`) and loaded in milliseconds.

Building the normaliser's per-character table walks 65,000+ code points through NFKC and regular
expressions (about 1 s); parsing the pinyin and word-frequency files takes a few hundred ms more.
`filters/tools/build_tables.py` does that once and writes filters/data/tables/prebuilt.pickle:
a pickled dict {"format", "digest", "sections": {name: zlib-compressed pickle}}. Each section is
unpickled only when first asked for (the readings are needed only to build a matcher). The word
frequencies (a dict of ~80,000 words) are stored as one string of the words and an array of their
frequencies: unpickling as many separate strings and ints cost a third more at every start-up.

The digest covers the source files, the Python Unicode database version and FORMAT. When it does not
match (a source table was edited, another Python), `load` returns None and the caller builds from
the sources as before: slower, never wrong. tests/test_prebuilt.py checks that the committed file
equals a fresh build, so a code change that forgets `make tables` fails there.

The file is package data written by our own build, never downloaded: unpickling it is as trusted as
importing our modules.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TABLES_DIR = Path(__file__).resolve().parent / "data" / "tables"
PREBUILT_PATH = TABLES_DIR / "prebuilt.pickle"
FORMAT = 4  # 2: the normaliser's per-character tables as runs (filters/tables.compact_state); 3: no character
# code table (filters/automata.CharCode), word frequencies packed (WORD_FREQ_SECTIONS); 4: each Chinese
# character's default syllable as an array (Tables.cjk_syllables, for the classifier's syllable features)
# the source files each section derives from
SOURCES: dict[str, tuple[str, ...]] = {
    "normalize": ("homoglyphs.json", "t2s.tsv", "pinyin.tsv", "pinyin_fuzzy.json"),
    "readings": ("pinyin.tsv", "pinyin_fuzzy.json"),
    "segdict": ("segdict.tsv",),
}
WORD_FREQ_SECTIONS = frozenset({"segdict"})  # word -> frequency dicts, stored packed (see _pack)

_lock = threading.Lock()
_cache: dict[Path, dict[str, Any] | None] = {}
_digests: dict[tuple, str] = {}
_digest_lock = threading.Lock()  # not _lock: _open holds it while asking for a digest


def digest(names: Iterable[str], tables_dir: Path = TABLES_DIR) -> str:
    """SHA-256 of FORMAT, the Unicode version and the named source files. Remembered per process for
    files whose size and modification time have not changed: the prebuilt file, the matcher cache and
    the combo cache each ask for it at start-up (~1.3 MB read and hashed each time)."""
    named = [(name, Path(tables_dir) / name) for name in sorted(set(names))]
    stamp = tuple((str(path), st.st_size, st.st_mtime_ns) for _, path in named for st in (os.stat(path),))
    with _digest_lock:
        known = _digests.get(stamp)
    if known is not None:
        return known
    h = hashlib.sha256(f"{FORMAT}\0{unicodedata.unidata_version}\0".encode())
    for name, path in named:
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    made = h.hexdigest()
    with _digest_lock:
        if len(_digests) >= 64:
            _digests.clear()
        _digests[stamp] = made
    return made


def all_sources() -> tuple[str, ...]:
    return tuple(sorted({n for names in SOURCES.values() for n in names}))


def _open(path: Path) -> dict[str, Any] | None:
    with _lock:
        if path not in _cache:
            doc: dict[str, Any] | None = None
            try:
                raw = pickle.loads(path.read_bytes())
                if isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("digest") == digest(
                    all_sources(), path.parent
                ):
                    doc = raw
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                doc = None
            _cache[path] = doc
        return _cache[path]


def load(section: str, tables_dir: Path = TABLES_DIR) -> Any | None:
    """The prebuilt section (a fresh object each call), or None when absent or stale."""
    if Path(tables_dir).resolve() != TABLES_DIR:
        return None
    doc = _open(PREBUILT_PATH)
    if doc is None or section not in doc["sections"]:
        return None
    value = pickle.loads(zlib.decompress(doc["sections"][section]))
    return _unpack(value) if section in WORD_FREQ_SECTIONS else value


def _pack(freq: dict[str, int]) -> tuple[str, array]:
    """A word -> frequency dict as its words joined by newlines and an array of the frequencies."""
    if any("\n" in w for w in freq):
        raise ValueError("a word with a newline")
    return "\n".join(freq), array("I", freq.values())


def _unpack(packed: tuple[str, array]) -> dict[str, int]:
    words, freqs = packed
    return dict(zip(words.split("\n"), freqs, strict=True)) if freqs else {}


def write(sections: dict[str, Any], path: Path = PREBUILT_PATH) -> int:
    """Write the sections (build time); returns the file size in bytes."""
    doc = {
        "format": FORMAT,
        "digest": digest(all_sources(), path.parent),
        "sections": {k: zlib.compress(pickle.dumps(_pack(v) if k in WORD_FREQ_SECTIONS else v, protocol=5), 6)
                     for k, v in sections.items()},
    }
    data = pickle.dumps(doc, protocol=5)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    with _lock:
        _cache.pop(path, None)
    return len(data)
