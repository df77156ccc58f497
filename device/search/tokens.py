"""Search tokens for the embedded index: words for Latin text, character bigrams for CJK and Hangul.

Chinese has no spaces, so a text is indexed as its overlapping two-character pieces plus single
characters ("大熊猫" -> 大熊 熊猫 大 熊 猫); a query of two or more characters uses the bigrams
alone, a one-character query its character. Latin text is lowercased words. A query drops the
question words in data/search_stopwords.txt ("how", "do", "什么") unless nothing else is left, so
the ranking follows the words that carry the subject.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STOPWORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "search_stopwords.txt"

_RUNS = re.compile(
    r"(?P<cjk>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]+)"
    r"|(?P<word>[0-9A-Za-z\u00c0-\u024f]+)"
)
MAX_QUERY_TOKENS = 48


def _pieces(text: str, for_query: bool, single_chars: bool = False) -> list[str]:
    out: list[str] = []
    for m in _RUNS.finditer(text):
        if m.group("word"):
            out.append(m.group("word").lower())
            continue
        run = m.group("cjk")
        if len(run) == 1 or single_chars:
            out.extend(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        if not for_query:
            out.extend(run)
    return out


def index_text(text: str) -> str:
    """The space-separated token string stored in the FTS table."""
    return " ".join(_pieces(text, for_query=False))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def query_tokens(text: str, single_chars: bool = False) -> list[str]:
    """Distinct query tokens in order (CJK as bigrams, or single characters), capped; question words
    ("how", "do", "什么") are dropped unless the query has nothing else."""
    seen: dict[str, None] = {}
    for piece in _pieces(text, for_query=True, single_chars=single_chars):
        seen.setdefault(piece, None)
    tokens = list(seen)
    content = [t for t in tokens if t not in stopwords()]
    return (content or tokens)[:MAX_QUERY_TOKENS]


def fts_match(tokens: list[str]) -> str:
    """An FTS5 MATCH expression: any token, each quoted so no token is read as syntax."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
