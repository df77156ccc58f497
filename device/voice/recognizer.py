"""Streaming Vosk decoding with partial results and endpointing.

`StreamDecoder` takes 16-bit mono PCM chunks as they arrive (file or microphone) and reports
partial hypotheses and finished segments (Kaldi's own endpoint rules). An energy endpointer
(`Endpointer`) ends an utterance after a trailing silence, so a microphone stream stops by itself.
`decode_chunks` runs a whole stream and returns a `Transcript` with timings: audio length,
decode time, real-time factor and the finalisation latency after the last audio.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FRAME_S = 0.02


@dataclass(slots=True)
class Transcript:
    text: str
    partials: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "partials": list(self.partials), "segments": list(self.segments),
                "timings": dict(self.timings)}


class Endpointer:
    """Energy endpointing: speech once a frame is loud, end after `silence_s` of quiet after speech."""

    def __init__(self, rate: int, silence_s: float = 0.8, threshold: float = 400.0) -> None:
        self.rate, self.silence_s, self.threshold = rate, silence_s, threshold
        self.heard_speech = False
        self.quiet_s = 0.0
        self.position_s = 0.0
        self.speech_end_s = 0.0

    def feed(self, pcm: bytes) -> bool:
        """True when the utterance has ended (speech then enough silence)."""
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        frame = max(1, int(self.rate * FRAME_S))
        for i in range(0, len(samples), frame):
            part = samples[i : i + frame]
            self.position_s += len(part) / self.rate
            if part.size and float(np.sqrt(np.mean(part * part))) >= self.threshold:
                self.heard_speech = True
                self.quiet_s = 0.0
                self.speech_end_s = self.position_s
            elif self.heard_speech:
                self.quiet_s += len(part) / self.rate
        return self.heard_speech and self.quiet_s >= self.silence_s


class StreamDecoder:
    def __init__(self, model: Any, rate: int) -> None:
        from vosk import KaldiRecognizer

        from device.voice.model import ASRModelError

        self.rate = rate
        try:
            self.rec = KaldiRecognizer(model, float(rate))
        except Exception as exc:
            raise ASRModelError(f"语音识别器无法启动 / the recogniser cannot start ({exc})") from exc
        self.partials: list[str] = []
        self.segments: list[str] = []

    def feed(self, pcm: bytes) -> tuple[str, str]:
        """("final", text) when Kaldi closed a segment, else ("partial", text)."""
        if self.rec.AcceptWaveform(pcm):
            text = json.loads(self.rec.Result()).get("text", "").strip()
            if text:
                self.segments.append(text)
            return "final", text
        text = json.loads(self.rec.PartialResult()).get("partial", "").strip()
        if text and (not self.partials or self.partials[-1] != text):
            self.partials.append(text)
        return "partial", text

    def finish(self) -> str:
        text = json.loads(self.rec.FinalResult()).get("text", "").strip()
        if text:
            self.segments.append(text)
        return " ".join(self.segments).strip()


def decode_chunks(
    model: Any,
    chunks: Iterable[bytes],
    rate: int,
    endpointer: Endpointer | None = None,
    on_partial: Callable[[str], None] | None = None,
) -> Transcript:
    """Decode a stream; stops early when the endpointer says the utterance ended."""
    decoder = StreamDecoder(model, rate)
    ep = endpointer or Endpointer(rate)
    audio_s = decode_s = last_feed_s = 0.0
    ended = False
    for chunk in chunks:
        if not chunk:
            continue
        audio_s += len(chunk) / 2 / rate
        t = time.perf_counter()
        kind, text = decoder.feed(chunk)
        last_feed_s = time.perf_counter() - t
        decode_s += last_feed_s
        if kind == "partial" and text and on_partial is not None:
            on_partial(text)
        if ep.feed(chunk):
            ended = True
            break
    t = time.perf_counter()
    text = decoder.finish()
    finish_s = time.perf_counter() - t
    decode_s += finish_s
    timings = {
        "audio_s": round(audio_s, 3),
        "decode_s": round(decode_s, 3),
        "rtf": round(decode_s / audio_s, 4) if audio_s else 0.0,
        "speech_end_s": round(ep.speech_end_s, 3),
        "finalize_ms": round((last_feed_s + finish_s) * 1000, 2),
        "endpointed": float(ended),
    }
    return Transcript(text, decoder.partials, decoder.segments, timings)
