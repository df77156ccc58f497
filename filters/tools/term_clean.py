"""Clean an imported term into the packs' plain form, or say why it cannot be a pack term.

Pack terms are plain, trimmed, lower-case, simplified Chinese / English (filters/data/packs/README.md):
the normaliser sees through disguises, so disguised spellings (leet, masks, full width) are dropped
rather than stored, traditional characters are simplified, and a term must keep at least two Chinese
characters or three Latin letters after folding (shorter Latin terms match as exact words only).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from filters.lexicon import MAX_TERM_CHARS
from filters.normalize import Normalizer

T2S_PATH = Path(__file__).resolve().parent.parent / "data" / "tables" / "t2s.tsv"
DISGUISE = re.compile(r"[@$!|*#€]")
DATE = re.compile(r"\d+年\d*月|\d+月\d+日|^\d{4}[-./]\d{1,2}")
LONG_NUMBER = re.compile(r"\d{6,}")  # a QQ or phone number: a spam line, not a term
SPACES = re.compile(r"\s+")


def load_t2s(path: Path = T2S_PATH) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and not line.startswith("#") and parts[0] != parts[1]:
            out[parts[0]] = parts[1]
    return out


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


class TermCleaner:
    def __init__(self, normalizer: Normalizer, t2s: dict[str, str] | None = None) -> None:
        self.norm = normalizer
        self.t2s = load_t2s() if t2s is None else t2s

    def fold_key(self, term: str) -> str:
        """The key the matcher indexes a term under (two terms with one key are duplicates)."""
        return self.norm.fold_text(term).strip(" ")

    def clean(self, raw: str, match: str = "default") -> tuple[str, str] | str:
        """(term, match) ready for a pack, or the reason the raw term is left out (a str)."""
        term = SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip().lower()
        if not term:
            return "empty"
        if DISGUISE.search(term):
            return "disguised spelling (the normaliser decodes it)"
        term = "".join(self.t2s.get(c, c) for c in term)
        if len(term) > MAX_TERM_CHARS:
            return f"longer than {MAX_TERM_CHARS} characters"
        if not any(unicodedata.category(c)[0] == "L" for c in term):
            return "no letters"
        if DATE.search(term):
            return "a date"
        if LONG_NUMBER.search(term):
            return "contains a long number (QQ / phone)"
        folded = self.fold_key(term)
        if not folded:
            return "normalises to nothing"
        if any(is_cjk(c) for c in folded):
            if len(folded) < 2:
                return "a single character after folding"
        elif len(folded) < 3 or match == "exact":
            match = "exact"
        if match == "default" and not any(is_cjk(c) for c in term) and " " not in term and len(folded) <= 3:
            match = "exact"  # short English words live inside others: whole word only
        return term, match
