"""Voice search: speech -> transcript -> the same search pipeline as typed queries.

    transcribe_wav("ask.wav", model_dir) -> Transcript(text, partials, segments, timings)
    VoiceSearch(pipeline, model_dir).listen_file("ask.wav").to_json()
      = the search object + {"transcript": ..., "timings": {...}}

The transcript shown back is the pipeline's view of the query (masked when blocked, redacted when
it held personal information), never the raw words. A missing or corrupt model raises
ASRModelError at construction with a bilingual message; text search is unaffected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from device.i18n import say
from device.search.pipeline import INVALID, SearchPipeline, SearchResponse
from device.voice.audio import AudioError, read_wav
from device.voice.model import ASRModelError, load_model
from device.voice.recognizer import Endpointer, Transcript, decode_chunks
from filters.policy import FilterPolicy

__all__ = ["ASRModelError", "AudioError", "Transcript", "VoiceResponse", "VoiceSearch", "transcribe_wav"]


def transcribe_wav(path: str | Path, model_dir: str | Path | None, silence_s: float = 10.0) -> Transcript:
    """Decode a WAV file (the whole file unless `silence_s` of quiet follows speech)."""
    audio = read_wav(path)
    model = load_model(model_dir)
    return decode_chunks(model, audio.chunks(), audio.rate, Endpointer(audio.rate, silence_s=silence_s))


@dataclass(slots=True)
class VoiceResponse:
    search: SearchResponse
    transcript: str
    partials: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = self.search.to_json()
        out["transcript"] = self.transcript
        out["timings"] = dict(self.timings)
        return out


class VoiceSearch:
    def __init__(
        self,
        pipeline: SearchPipeline,
        model_dir: str | Path | None,
        text_filter: Any | None = None,
        silence_s: float = 0.8,
    ) -> None:
        self.pipeline = pipeline
        self.model_dir = model_dir
        self.text_filter = text_filter or pipeline.text_filter
        self.silence_s = silence_s
        t = time.perf_counter()
        self.model = load_model(model_dir)  # raises ASRModelError with a clear message
        self.model_load_s = round(time.perf_counter() - t, 3)

    @classmethod
    def from_settings(cls, settings: Any, pipeline: SearchPipeline, model_dir: str | Path | None = None,
                      text_filter: Any | None = None) -> VoiceSearch:
        return cls(pipeline, model_dir or getattr(settings, "asr_model_dir", None), text_filter=text_filter)

    def set_policy(self, policy: FilterPolicy) -> None:
        self.pipeline.set_policy(policy)

    def listen_file(self, path: str | Path, policy: FilterPolicy | None = None, lang: str | None = None,
                    limit: int = 10) -> VoiceResponse:
        audio = read_wav(path)
        transcript = decode_chunks(self.model, audio.chunks(), audio.rate, Endpointer(audio.rate, silence_s=10.0))
        return self.answer(transcript, policy, lang, limit)

    def listen_mic(self, max_seconds: float = 10.0, policy: FilterPolicy | None = None,
                   lang: str | None = None, limit: int = 10) -> VoiceResponse:
        from device.voice.mic import RATE, mic_chunks

        transcript = decode_chunks(self.model, mic_chunks(max_seconds), RATE, Endpointer(RATE, self.silence_s))
        return self.answer(transcript, policy, lang, limit)

    def answer(self, transcript: Transcript, policy: FilterPolicy | None, lang: str | None,
               limit: int = 10) -> VoiceResponse:
        """Send a transcript through the search pipeline and time it."""
        t = time.perf_counter()
        if transcript.text:
            response = self.pipeline.search(transcript.text, limit=limit, policy=policy, lang=lang, source="voice")
        else:
            lang = lang if lang in ("zh", "en") else "zh"
            response = SearchResponse("", INVALID, say("not_heard", lang), lang=lang,
                                      provider=self.pipeline.provider.name)
        search_ms = (time.perf_counter() - t) * 1000
        timings = dict(transcript.timings)
        timings["search_ms"] = round(search_ms, 2)
        timings["end_of_speech_to_results_ms"] = round(timings.get("finalize_ms", 0.0) + search_ms, 2)
        timings["model_load_s"] = self.model_load_s
        return VoiceResponse(response, response.query, transcript.partials, timings)
