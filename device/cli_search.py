"""`kidsafe search "QUERY"` and `kidsafe listen FILE.wav`: the child's pipelines from the shell.

    kidsafe search "大熊猫吃什么" [--json] [--home DIR] [--provider local|searxng] [--limit N] [--policy FILE]
    kidsafe listen ask.wav [--json] [--home DIR] [--asr-model DIR] [--speak] [--mic]

`--json` prints one object: {"query", "action", "message", "results": [{"title", "snippet", "url"}],
"hidden", "reasons"} (+ "transcript" and "timings" for listen). Events for the parent go to the
device's event log (--home, else DeviceSettings.home). An error is printed on stderr and, with
--json, also as {"error", "message", "exit"} on stdout. Exit codes: 0 answered (including refusals and
"search is offline"), 2 bad input (policy, audio), 3 speech model unavailable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INPUT, EXIT_NO_MODEL = 0, 2, 3


def add_parser(subparsers: Any) -> None:
    s = subparsers.add_parser("search", help="filtered search for a child / 儿童安全搜索")
    s.add_argument("query", help="what the child typed")
    _common(s)
    s.set_defaults(func=run_search)

    li = subparsers.add_parser("listen", help="voice search from a WAV file or the microphone / 语音搜索")
    li.add_argument("wav", nargs="?", help="16 kHz mono 16-bit WAV (other PCM WAVs are converted)")
    li.add_argument("--asr-model", type=Path, default=None,
                    help="Vosk model folder (default: KIDSAFE_ASR_MODEL or <home>/asr/current)")
    li.add_argument("--mic", action="store_true", help="listen on the microphone instead (needs sounddevice)")
    li.add_argument("--speak", action="store_true", help="speak the filtered answer with espeak-ng")
    _common(li)
    li.set_defaults(func=run_listen)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--provider", choices=("local", "searxng"), default=None,
                   help="search provider (default: KIDSAFE_SEARCH or local)")
    p.add_argument("--searxng-url", default=None, help="SearXNG base URL (default: KIDSAFE_SEARXNG_URL)")
    p.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (default: from query)")
    p.add_argument("--policy", type=Path, default=None, help="policy JSON (default: the device's policy)")
    p.add_argument("--model", type=Path, default=None, help="text classifier .tflite (default: shipped)")
    p.add_argument("--no-model", action="store_true", help="word lists and PII only, no classifier")
    p.add_argument("--no-events", action="store_true", help="do not write the parent's event log")
    p.add_argument("--home", type=Path, default=None,
                   help="device data folder: policy, event log, speech models (default: KIDSAFE_HOME)")


def _err(msg: str) -> None:
    print(f"kidsafe: {msg}", file=sys.stderr)


def _fail(args: argparse.Namespace, code: int, error: str, msg: str) -> int:
    """An error on stderr, and with --json also as one JSON object on stdout: {"error", "message", "exit"}."""
    _err(msg)
    if getattr(args, "json", False):
        print(json.dumps({"error": error, "message": msg, "exit": code}, ensure_ascii=False))
    return code


def _settings(args: argparse.Namespace) -> Any:
    from device.config import DeviceSettings

    settings = DeviceSettings(home=args.home) if args.home is not None else DeviceSettings()
    if args.provider:
        settings.search_provider = args.provider
    if args.searxng_url:
        settings.searxng_url = args.searxng_url
    if getattr(args, "asr_model", None) is not None:
        settings.asr_model_dir = args.asr_model
    return settings


def _policy(args: argparse.Namespace, settings: Any) -> Any:
    from filters.policy import DEFAULT_POLICY, FilterPolicy

    path = args.policy or settings.policy_path
    if args.policy is None and (path is None or not Path(path).exists()):
        return DEFAULT_POLICY
    return FilterPolicy.load(path)  # PolicyError explains what is wrong


def _event_sink(args: argparse.Namespace, settings: Any) -> Any:
    if args.no_events:
        return None
    try:
        from device.events import EventLog

        return EventLog(settings.events_db).record
    except Exception as exc:  # the child's answer never depends on the log
        _err(f"event log unavailable ({exc}); continuing without it")
        return None


def _pipeline(args: argparse.Namespace, settings: Any) -> Any:
    from device.search.pipeline import SearchPipeline
    from filters.engine import TextFilter

    model = None if args.no_model else args.model
    text_filter = TextFilter.load(model_path=model if model is not None and Path(model).exists() else None)
    return SearchPipeline.from_settings(settings, text_filter, event_sink=_event_sink(args, settings))


def _print_human(out: dict[str, Any]) -> None:
    if "transcript" in out:
        print(f"听到 / heard: {out['transcript'] or '—'}")
    print(out["message"])
    from device.voice.speak import care_lines

    for line in care_lines(out):  # a self-harm answer: the help lines (device/care.py)
        print(f"  {line}")
    for n, r in enumerate(out["results"], start=1):
        print(f"{n:2d}. {r['title']}\n    {r['snippet']}\n    {r['url']}")
    if "timings" in out:
        t = out["timings"]
        print(f"[audio {t.get('audio_s', 0)} s, decode {t.get('decode_s', 0)} s, RTF {t.get('rtf', 0)}, "
              f"end of speech -> results {t.get('end_of_speech_to_results_ms', 0)} ms]")


def _emit(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        _print_human(out)


def run_search(args: argparse.Namespace) -> int:
    from filters.policy import PolicyError

    settings = _settings(args)
    try:
        policy = _policy(args, settings)
        pipeline = _pipeline(args, settings)
    except (PolicyError, ValueError) as exc:
        return _fail(args, EXIT_INPUT, "bad_input", str(exc))
    response = pipeline.search(args.query, limit=max(1, args.limit), policy=policy, lang=args.lang)
    _emit(response.to_json(), args.json)
    return EXIT_OK


def run_listen(args: argparse.Namespace) -> int:
    from device.voice.audio import AudioError
    from device.voice.listen import VoiceSearch
    from device.voice.model import ASRModelError
    from filters.policy import PolicyError

    if not args.mic and not args.wav:
        return _fail(args, EXIT_INPUT, "bad_input", "give a WAV file or --mic / 请提供 WAV 文件或使用 --mic")
    settings = _settings(args)
    try:
        policy = _policy(args, settings)
        pipeline = _pipeline(args, settings)
        voice = VoiceSearch.from_settings(settings, pipeline)
        if args.mic:
            response = voice.listen_mic(policy=policy, lang=args.lang, limit=max(1, args.limit))
        else:
            response = voice.listen_file(args.wav, policy=policy, lang=args.lang, limit=max(1, args.limit))
    except ASRModelError as exc:
        return _fail(args, EXIT_NO_MODEL, "no_speech_model",
                     f"{exc}\n  文字搜索仍可使用 / text search still works: kidsafe search \"...\"")
    except AudioError as exc:
        return _fail(args, EXIT_INPUT, "bad_audio", str(exc))
    except (PolicyError, ValueError) as exc:
        return _fail(args, EXIT_INPUT, "bad_input", str(exc))
    out = response.to_json()
    _emit(out, args.json)
    if args.speak:
        from device.voice.speak import speak, spoken_text

        text = spoken_text({**out, "lang": response.search.lang}, pipeline.text_filter, policy)
        if not speak(text, response.search.lang):
            _err("espeak-ng is not available; answer not spoken / 未能朗读")
    return EXIT_OK
