"""Speak the (filtered) answer with espeak-ng. What is spoken is checked by the filter again.

The spoken text is the response message plus the first titles; any sentence the filter would
block is left out, and personal information is spoken in its redacted form.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from filters.policy import DEFAULT_POLICY, FilterPolicy
from filters.verdict import BLOCK, REDACT

VOICES = {"zh": "cmn", "en": "en-us"}
MAX_TITLES = 3


def care_lines(response: dict[str, Any]) -> list[str]:
    """The help lines and emergency sentence of a care answer (device/care.py) in the answer's language."""
    care = response.get("care")
    if not isinstance(care, dict):
        return []
    lang = care.get("lang", "zh")
    out = [f"{line['name'][lang]} {line['number']}" for line in care.get("lines", [])]
    if care.get("emergency"):
        out.append(care["emergency"]["text"][lang])
    return out


def spoken_text(response: dict[str, Any], text_filter: Any, policy: FilterPolicy = DEFAULT_POLICY) -> str:
    """The sentence list to speak, each passed through the filter (blocked ones dropped)."""
    parts = [str(response.get("message", ""))]
    parts += care_lines(response)  # a child at risk hears the help lines, not only "call a number below"
    parts += [str(r.get("title", "")) for r in response.get("results", [])[:MAX_TITLES]]
    out = []
    for part in parts:
        if not part.strip():
            continue
        verdict = text_filter.check(part, policy)
        if verdict.action == BLOCK:
            continue
        out.append(verdict.redacted if verdict.action == REDACT else part)
    return "。".join(out) if response.get("lang", "zh") == "zh" else ". ".join(out)


def speak(text: str, lang: str = "zh", to_wav: str | Path | None = None, timeout_s: float = 30.0) -> bool:
    """Say text aloud (or write it to a WAV file); False if espeak-ng is not available."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None or not text.strip():
        return False
    cmd = [exe, "-v", VOICES.get(lang, "en-us")]
    if to_wav is not None:
        cmd += ["-w", str(to_wav)]
    cmd += ["--", text]
    try:
        subprocess.run(cmd, check=True, timeout=timeout_s, capture_output=True)
    except (subprocess.SubprocessError, OSError):
        return False
    return True
