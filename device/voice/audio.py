"""Read a WAV file into 16-bit mono PCM chunks for the recogniser, with clear errors for bad input.

Accepts PCM WAV, 8/16/32-bit, any channel count (mixed down to mono) and any sample rate (the
recogniser is told the rate; Vosk resamples). Audio stays in memory and is never written anywhere.
"""

from __future__ import annotations

import os
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_SECONDS = 120.0
CHUNK_SECONDS = 0.2


def scratch_dir() -> Path | None:
    """Where an uploaded recording waits while it is decoded (the API deletes it right after).

    KIDSAFE_AUDIO_SCRATCH if set (a firmware image may point it at its own tmpfs); else /dev/shm,
    RAM-backed, so audio never touches the SD card; else None (the system temp folder).
    """
    env = os.environ.get("KIDSAFE_AUDIO_SCRATCH")
    if env:
        return Path(env)
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


class AudioError(ValueError):
    """The audio cannot be decoded; str() is a bilingual message."""


@dataclass(frozen=True, slots=True)
class Audio:
    pcm: bytes  # signed 16-bit little-endian mono
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate if self.rate else 0.0

    def chunks(self, seconds: float = CHUNK_SECONDS) -> Iterator[bytes]:
        step = max(2, int(self.rate * seconds) * 2)
        for i in range(0, len(self.pcm), step):
            yield self.pcm[i : i + step]


def read_wav(path: str | Path, max_seconds: float = MAX_SECONDS) -> Audio:
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as wf:
            channels, width, rate, frames = wf.getnchannels(), wf.getsampwidth(), wf.getframerate(), wf.getnframes()
            if wf.getcomptype() != "NONE":
                raise AudioError(f"只支持未压缩的 PCM WAV / only uncompressed PCM WAV is supported: {path}")
            if rate < 8000 or rate > 96000:
                raise AudioError(f"采样率不支持 / unsupported sample rate {rate} Hz: {path}")
            if frames / rate > max_seconds:
                raise AudioError(f"录音太长（超过{int(max_seconds)}秒）/ recording longer than {int(max_seconds)} s")
            raw = wf.readframes(frames)
    except FileNotFoundError as exc:
        raise AudioError(f"找不到音频文件 / audio file not found: {path}") from exc
    except (wave.Error, EOFError) as exc:
        raise AudioError(f"不是有效的 WAV 文件 / not a valid WAV file: {path} ({exc})") from exc
    return Audio(to_mono16(raw, width, channels), rate)


def to_mono16(raw: bytes, width: int, channels: int) -> bytes:
    if width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.int32)
    elif width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.int32) - 128) << 8
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.int64) >> 16
    else:
        raise AudioError(f"不支持的位深 / unsupported sample width {width * 8} bit")
    if channels > 1:
        usable = len(samples) - len(samples) % channels
        samples = samples[:usable].reshape(-1, channels).mean(axis=1)
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()
