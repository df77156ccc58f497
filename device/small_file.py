"""Read a small file the device does not control (policy, pairing state) without ever blocking or bloating.

    read_small_file(path, limit) -> bytes     SmallFileError(kind, en, zh) otherwise

A FIFO or device node at the path is refused without reading (opened O_NONBLOCK, then fstat), no more than
`limit` bytes are read, and every OS error becomes a SmallFileError whose `kind` says what went wrong:
"missing", "unreadable", "special" or "too_big".
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class SmallFileError(Exception):
    """Why a small file could not be read, in English and Chinese."""

    def __init__(self, kind: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.kind, self.en, self.zh = kind, en, zh


def read_small_file(path: Path, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        kind = "missing" if isinstance(exc, FileNotFoundError) else "unreadable"
        raise SmallFileError(kind, f"cannot read {path}: {exc.strerror}", f"无法读取 {path}：{exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SmallFileError("special", f"{path} is not a regular file (a pipe or device?)",
                                 f"{path} 不是普通文件")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SmallFileError("unreadable", f"cannot read {path}: {exc.strerror}",
                             f"无法读取 {path}：{exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise SmallFileError("too_big", f"{path} is larger than {limit:,} bytes", f"{path} 超过 {limit:,} 字节")
    return b"".join(chunks)
