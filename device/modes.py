"""Exempt modes: what a parent's `exempt_features` unlocks is a mode the device enforces, not a label.

    MODES                   feature -> source factory: "dictionary" answers only from the bundled
                            dictionary (device/data/dictionary), "homework" only from the school topics
                            of the bundled encyclopedia (never the web provider, never stories or web pages)
    DictionarySource        word lookups: the query's dictionary words (Chinese: longest match first;
                            English: definitions that are the word), never anything else
    HomeworkSource          the local index restricted to school topics

Each source has the provider contract of device/search/types.py (`name`, `search(query, limit)`),
so the mode runs through the same SearchPipeline (query gate, result filter, events) as search.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from device.search.types import Hit, ProviderUnavailable

DICTIONARY_PATH = Path(__file__).resolve().parent / "data" / "dictionary" / "cedict_common.tsv"
DICTIONARY_URL = "https://www.mdbg.net/chinese/dictionary?wdqb="
HOMEWORK_TOPICS = frozenset({"maths", "shapes", "science", "space", "body", "plants", "animals", "dinosaurs",
                             "countries", "history", "words"})
MAX_WORD = 8
_LATIN = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


class DictionarySource:
    """Chinese-English word lookups from CC-CEDICT (bundled, offline)."""

    name = "dictionary"

    def __init__(self, path: Path = DICTIONARY_PATH) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._words: dict[str, list[tuple[str, str, str, str]]] | None = None
        self._english: dict[str, list[tuple[str, str, str, str]]] = {}

    def _load(self) -> dict[str, list[tuple[str, str, str, str]]]:
        with self._lock:
            if self._words is None:
                words: dict[str, list[tuple[str, str, str, str]]] = {}
                try:
                    lines = self.path.read_text(encoding="utf-8").splitlines()[1:]
                except OSError as exc:
                    raise ProviderUnavailable(f"dictionary not installed: {exc}") from exc
                for line in lines:
                    parts = line.split("\t")
                    if len(parts) != 4:
                        continue
                    entry = (parts[0], parts[1], parts[2], parts[3])
                    words.setdefault(parts[0], []).append(entry)
                    if parts[1] != parts[0]:
                        words.setdefault(parts[1], []).append(entry)
                    for sense in parts[3].split(" / "):
                        key = sense.lower().removeprefix("to ").removeprefix("a ").removeprefix("the ").strip()
                        if key and len(key.split()) <= 2:
                            self._english.setdefault(key, []).append(entry)
                self._words = words
            return self._words

    def lookup_words(self, query: str) -> list[str]:
        """Dictionary words in a Chinese query, longest first at each position (forward maximum match)."""
        words = self._load()
        found: list[str] = []
        i = 0
        while i < len(query):
            for size in range(min(MAX_WORD, len(query) - i), 0, -1):
                piece = query[i:i + size]
                if piece in words:
                    found.append(piece)
                    i += size
                    break
            else:
                i += 1
        return found

    def search(self, query: str, limit: int) -> list[Hit]:
        words = self._load()
        text = query.strip()
        entries: list[tuple[str, str, str, str]] = []
        if text in words:
            entries += words[text]
        for word in sorted(self.lookup_words(text), key=len, reverse=True):
            entries += words[word]
        for token in [text.lower(), *_LATIN.findall(text.lower())]:
            entries += self._english.get(token, [])
        seen: set[tuple[str, str]] = set()
        hits = []
        for simp, trad, pinyin, defs in entries:
            if (simp, pinyin) in seen:
                continue
            seen.add((simp, pinyin))
            title = f"{simp}（{trad}）[{pinyin}]" if trad != simp else f"{simp} [{pinyin}]"
            hits.append(Hit(title=title, snippet=defs, url=DICTIONARY_URL + quote(simp),
                            source_id=f"dictionary/{simp}/{pinyin}", extra={"mode": "dictionary"}))
            if len(hits) >= limit:
                break
        return hits


class HomeworkSource:
    """The bundled encyclopedia's school topics only (no web pages, no stories, no outside provider)."""

    name = "homework"

    def __init__(self, home: Path | None = None) -> None:
        from device.search.local import LocalIndexProvider

        self.index = LocalIndexProvider(home=home)

    def search(self, query: str, limit: int) -> list[Hit]:
        hits = self.index.search(query, max(limit, 1) * 4)
        return [h for h in hits if h.source_id.split("/", 1)[0] in HOMEWORK_TOPICS][:limit]


MODES: dict[str, Callable[[Any], Any]] = {
    "dictionary": lambda settings: DictionarySource(),
    "homework": lambda settings: HomeworkSource(getattr(settings, "home", None)),
}
