"""The PII data files (filters/data/pii/): cue words, address parts, numerals, labels, placeholders,
word-problem cues.

Every cue word, place name, label and e-mail placeholder is data, not code (see the README there).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "pii"


def load_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def load_lines(path: Path) -> list[str]:
    """Non-empty lines that are not comments."""
    with path.open(encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


class PiiData(NamedTuple):
    """Everything the recognisers read from disk, loaded once per detector."""

    cues: dict[str, Any]
    address: dict[str, Any]
    numerals: dict[str, str]  # Chinese digit word -> ASCII digit
    address_numerals: str
    labels: dict[str, dict[str, str]]
    places: tuple[str, ...]
    stop_en: frozenset[str]
    common: dict[str, int]  # CJK character -> frequency rank score (higher = more common)
    email_placeholders: dict[str, Any]
    word_problem: dict[str, Any]

    @classmethod
    def load(cls, data_dir: Path | None = None) -> PiiData:
        d = Path(data_dir) if data_dir is not None else DATA_DIR
        nums = load_json(d / "numerals.json")
        common_chars = "".join(load_lines(d / "common_chars.txt"))
        return cls(
            cues=load_json(d / "cues.json"),
            address=load_json(d / "address.json"),
            numerals=dict(nums["digits"]),
            address_numerals=nums["address_numerals"],
            labels=load_json(d / "placeholders.json")["labels"],
            places=tuple(load_lines(d / "places.txt")),
            stop_en=frozenset(w.lower() for w in load_lines(d / "stopwords_en.txt")),
            common={c: 1000 - i for i, c in enumerate(common_chars)},
            email_placeholders=load_json(d / "email_placeholders.json"),
            word_problem=load_json(d / "word_problem.json"),
        )
