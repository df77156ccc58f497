"""Which language to answer a query in (the messages themselves live in device/i18n.py)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str, default: str = "zh") -> str:
    """zh if the text has Chinese characters, en if it has Latin letters, else default."""
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default


