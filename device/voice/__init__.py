"""The child's voice search: offline Vosk recognition (WAV file or microphone), endpointing and
partial results, the transcript through the search pipeline, and espeak-ng speaking the filtered
answer. Raw audio is only held in memory while it is decoded; it is never stored or sent.

`VoiceSearch` and `transcribe_wav` live in device/voice/listen.py (imported lazily so that
`import device.voice` never needs vosk).
"""

from __future__ import annotations

from typing import Any

__all__ = ["VoiceSearch", "transcribe_wav", "Transcript", "ASRModelError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from device.voice import listen

        return getattr(listen, name)
    raise AttributeError(name)
