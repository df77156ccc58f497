"""Load a Vosk model directory with clear errors (missing, incomplete, corrupt, vosk not installed).

Models are cached per path: loading a small model takes a second or two and ~100-300 MB.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

REQUIRED = ("am/final.mdl", "conf/model.conf")
_cache: dict[str, Any] = {}
_lock = threading.Lock()


class ASRModelError(RuntimeError):
    """The speech model cannot be used; str() is a bilingual message for people."""


class VoiceUnavailable(RuntimeError):
    """Voice search cannot run now (no usable model); already logged once, text search still works."""


def model_stamp(model_dir: str | Path | None) -> tuple[str, int, int] | None:
    """What the model folder is now (resolved path, mtimes of its two key files), None if absent.

    A changed stamp means someone installed or replaced a model: worth trying to load again.
    """
    if model_dir is None:
        return None
    try:
        path = Path(model_dir).resolve()
        return (str(path), *((path / name).stat().st_mtime_ns for name in REQUIRED))  # type: ignore[return-value]
    except OSError:
        return None


def _msg(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def check_model_dir(model_dir: str | Path | None) -> Path:
    """The model folder if it looks like a Vosk model, else ASRModelError saying what is wrong."""
    hint_zh = "请用 `kidsafe models install-asr` 安装语音模型，文字搜索仍可使用。"
    hint_en = "install one with `kidsafe models install-asr`; text search still works."
    if model_dir is None:
        raise ASRModelError(_msg(f"没有配置语音模型。{hint_zh}", f"no speech model is configured; {hint_en}"))
    path = Path(model_dir)
    if not path.is_dir():
        raise ASRModelError(_msg(f"找不到语音模型：{path}。{hint_zh}", f"speech model not found: {path}; {hint_en}"))
    missing = [name for name in REQUIRED if not (path / name).is_file()]
    if missing:
        raise ASRModelError(_msg(
            f"语音模型不完整（缺少 {', '.join(missing)}）：{path}。{hint_zh}",
            f"speech model at {path} is incomplete (missing {', '.join(missing)}); {hint_en}",
        ))
    return path


def load_model(model_dir: str | Path | None) -> Any:
    """A vosk.Model for the folder (cached), or ASRModelError."""
    path = check_model_dir(model_dir)
    key = str(path.resolve())
    with _lock:
        if key in _cache:
            return _cache[key]
        try:
            import vosk
        except ImportError as exc:  # pragma: no cover - vosk is a hard dependency
            raise ASRModelError(_msg("没有安装 vosk。", "the vosk package is not installed")) from exc
        vosk.SetLogLevel(-1)
        try:
            model = vosk.Model(key)
            vosk.KaldiRecognizer(model, 16000.0)  # the decoding graph loads here; corrupt ones fail
        except Exception as exc:
            raise ASRModelError(_msg(
                f"语音模型已损坏，无法加载：{path}。请重新安装。",
                f"speech model at {path} is corrupt and cannot be loaded ({exc}); reinstall it",
            )) from exc
        _cache[key] = model
        return model
