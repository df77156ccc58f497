"""Large bundle files in hashed, resumable chunks (fleet/{cohort}/chunks/{file sha256}/{index}).

Operator side:
    split(data, chunk_size)                the pieces of a file
    chunk_messages(data, chunk_size)       one retained ChunkMessage per piece (publish before the bundle)

Device side, `ChunkStore(HOME/fleet/chunks)`:
    missing(spec)      indexes not yet here; every stored chunk is re-hashed, so a chunk cut short by a
                       power cut is fetched again
    put(raw, wanted)   a ChunkMessage is kept only when its data hashes to the SIGNED hash of that index
                       (the metadata's FileSpec.chunks); a forged or truncated chunk is refused
    assemble(spec)     the whole file, checked once more against the signed length and SHA-256
    discard(keep)      forget chunks of files no longer wanted

`Download` tracks what one verified bundle still needs and the window of chunk topics to subscribe to.

Chunks are written to a temp file, fsynced and renamed, so a process killed at any moment leaves only
whole chunks behind, and the download resumes from them after a restart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path

from mqtt_bridge import topics as names
from mqtt_bridge.payloads import ChunkMessage, FileSpec, PayloadError, parse
from mqtt_bridge.trust import atomic_write

log = logging.getLogger(__name__)
DEFAULT_CHUNK_SIZE = 512 * 1024


class ChunkRefused(ValueError):
    """A chunk that does not belong to the wanted file or does not match its signed hash."""


def split(data: bytes, chunk_size: int) -> list[bytes]:
    return [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] or [b""]


def hashes(data: bytes, chunk_size: int) -> tuple[str, ...]:
    return tuple(hashlib.sha256(piece).hexdigest() for piece in split(data, chunk_size))


def chunk_messages(data: bytes, chunk_size: int) -> list[ChunkMessage]:
    file_sha = hashlib.sha256(data).hexdigest()
    pieces = split(data, chunk_size)
    return [ChunkMessage(msg_id=f"{file_sha[:16]}:{i}", file_sha256=file_sha, index=i, count=len(pieces),
                         sha256=hashlib.sha256(piece).hexdigest(), data=base64.b64encode(piece).decode())
            for i, piece in enumerate(pieces)]


def expected_length(spec: FileSpec, index: int) -> int:
    size = int(spec.chunk_size or 0)
    return size if index < len(spec.chunks) - 1 else spec.length - size * (len(spec.chunks) - 1)


class ChunkStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, spec: FileSpec, index: int) -> Path:
        return self.folder / spec.sha256 / str(index)

    def _valid(self, spec: FileSpec, index: int) -> bool:
        try:
            data = self._path(spec, index).read_bytes()
        except OSError:
            return False
        return len(data) == expected_length(spec, index) and hashlib.sha256(data).hexdigest() == spec.chunks[index]

    def missing(self, spec: FileSpec) -> list[int]:
        return [i for i in range(len(spec.chunks)) if not self._valid(spec, i)]

    def put(self, raw: bytes, wanted: Mapping[str, FileSpec]) -> tuple[FileSpec, int]:
        """Verify and keep one chunk of a wanted file (by file SHA-256); returns its file and index.
        Raises ChunkRefused, and writes nothing, for anything else."""
        try:
            msg = parse(ChunkMessage, raw)
        except PayloadError as exc:
            raise ChunkRefused(f"malformed chunk: {exc.en}") from exc
        spec = wanted.get(msg.file_sha256)
        if spec is None:
            raise ChunkRefused(f"chunk of file {msg.file_sha256[:12]}, which no signed bundle here wants")
        if msg.count != len(spec.chunks) or msg.index >= len(spec.chunks):
            raise ChunkRefused(f"chunk {msg.index}/{msg.count} is not part of file {spec.sha256[:12]}")
        try:
            data = base64.b64decode(msg.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ChunkRefused(f"chunk {msg.index}: not valid base64") from exc
        if len(data) != expected_length(spec, msg.index):
            raise ChunkRefused(f"chunk {msg.index}: {len(data)} bytes, the signed metadata says "
                               f"{expected_length(spec, msg.index)} (truncated)")
        if hashlib.sha256(data).hexdigest() != spec.chunks[msg.index]:
            raise ChunkRefused(f"chunk {msg.index}: does not match its signed SHA-256 (forged)")
        path = self._path(spec, msg.index)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        return spec, msg.index

    def assemble(self, spec: FileSpec) -> bytes | None:
        """The whole file when every chunk is here (None while some are missing). Raises ChunkRefused
        when the chunks, each matching its signed hash, do not make the signed length and SHA-256."""
        if self.missing(spec):
            return None
        data = b"".join(self._path(spec, i).read_bytes() for i in range(len(spec.chunks)))
        if len(data) != spec.length or hashlib.sha256(data).hexdigest() != spec.sha256:
            raise ChunkRefused(f"the chunks of {spec.sha256[:12]} do not make the signed file")
        return data

    def discard(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        for child in self.folder.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)


class Download:
    """The chunked files one verified bundle still needs (the updater's thread changes it; the agent's
    network thread reads `topics()` to subscribe to a sliding window of missing chunks)."""

    WINDOW = 8  # chunk subscriptions at a time per file: bounds what the broker pushes at once

    def __init__(self, store: ChunkStore, cohort: str) -> None:
        self.store, self.cohort = store, cohort
        self._lock = threading.Lock()
        self.raw: bytes | None = None  # the bundle message waiting for its chunks
        self._specs: dict[str, FileSpec] = {}
        self._missing: dict[str, list[int]] = {}

    def begin(self, raw: bytes, specs: list[FileSpec]) -> dict[str, bytes] | None:
        """Every chunked file's bytes by SHA-256 when all chunks are here; else None, and the missing
        chunks are wanted from now on (what is already here, from before a restart, is kept)."""
        missing = {s.sha256: self.store.missing(s) for s in specs}
        if not any(missing.values()):
            out = {s.sha256: self.store.assemble(s) for s in specs}
            self.finish(keep={s.sha256 for s in specs})
            return out  # type: ignore[return-value]
        with self._lock:
            self.raw = raw
            self._specs = {s.sha256: s for s in specs}
            self._missing = {sha: idx for sha, idx in missing.items() if idx}
        have = sum(len(s.chunks) for s in specs) - sum(len(i) for i in missing.values())
        if have:
            log.info("resuming a download: %d of %d chunks already here", have, sum(len(s.chunks) for s in specs))
        return None

    def put(self, raw: bytes) -> bool:
        """Keep one chunk (ChunkRefused for a forged, truncated or unwanted one); True when complete."""
        with self._lock:
            specs = dict(self._specs)
        spec, index = self.store.put(raw, specs)
        with self._lock:
            left = self._missing.get(spec.sha256, [])
            if index in left:
                left.remove(index)
            if not left:
                self._missing.pop(spec.sha256, None)
            return bool(self._specs) and not self._missing

    def topics(self) -> set[str]:
        with self._lock:
            return {names.chunk(self.cohort, sha, i) for sha, idx in self._missing.items() for i in idx[:self.WINDOW]}

    def progress(self) -> float | None:
        with self._lock:
            if not self._specs:
                return None
            total = sum(len(s.chunks) for s in self._specs.values())
            return 1 - sum(len(i) for i in self._missing.values()) / total

    def finish(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Stop wanting chunks; forget stored chunks of every file not in `keep`."""
        with self._lock:
            self.raw, self._specs, self._missing = None, {}, {}
        self.store.discard(keep)
