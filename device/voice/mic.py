"""Microphone input (optional): 16 kHz mono chunks from sounddevice / PortAudio.

Install with `pip install 'kidsafe[mic]'` and the OS PortAudio library. Chunks are yielded from
memory and dropped after decoding; nothing is recorded to disk.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator

from device.voice.model import ASRModelError

RATE = 16000
BLOCK_S = 0.1


def mic_chunks(max_seconds: float = 10.0, rate: int = RATE, device: int | str | None = None) -> Iterator[bytes]:
    """PCM chunks from the default microphone until `max_seconds` (the caller's endpointer stops earlier)."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        raise ASRModelError(
            "没有可用的麦克风支持（需要 sounddevice 和 PortAudio）/ microphone input needs the sounddevice "
            f"package and PortAudio ({exc})"
        ) from exc
    blocks: queue.Queue[bytes] = queue.Queue()

    def callback(indata, frames, time_info, status) -> None:  # noqa: ANN001 - PortAudio signature
        blocks.put(bytes(indata))

    frames = int(rate * BLOCK_S)
    total = 0.0
    with sd.RawInputStream(samplerate=rate, blocksize=frames, dtype="int16", channels=1,
                           device=device, callback=callback):
        while total < max_seconds:
            chunk = blocks.get(timeout=5.0)
            total += len(chunk) / 2 / rate
            yield chunk
