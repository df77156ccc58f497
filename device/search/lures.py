"""QR-code and external-link lures ("扫码加群", "点击链接领皮肤", "DM me"): results that try to move
a child off the device to a group, a chat or a link are hidden. Patterns are data
(device/data/lure_patterns.json); matching is case-insensitive on title + snippet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "data" / "lure_patterns.json"


@dataclass(frozen=True, slots=True)
class LureMatch:
    rule: str
    span: tuple[int, int]


class LureDetector:
    def __init__(self, path: Path = DEFAULT_PATTERNS) -> None:
        doc = json.loads(path.read_text(encoding="utf-8"))
        self.version = str(doc.get("version", "0"))
        self.patterns = [(p["id"], re.compile(p["regex"], re.IGNORECASE)) for p in doc["patterns"]]

    def find(self, text: str) -> LureMatch | None:
        """The first lure pattern in text (NFKC-folded, so full-width letters count), or None."""
        folded = unicodedata.normalize("NFKC", text)
        for rule, rx in self.patterns:
            m = rx.search(folded)
            if m:
                return LureMatch(f"lure:{rule}", (m.start(), m.end()))
        return None
