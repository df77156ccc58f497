"""Importer: houbb/sensitive-word's untagged dictionary (sensitive_word_dict.txt, Apache-2.0).

The untagged file mixes politics and ordinary words with harm, so the committed copy
(sensitive_word_dict.harm.txt) keeps only the lines that are not in the tagged file and carry an
unambiguous harm morpheme (keyword_rules.categorise_strict) without politics (keyword_rules.is_political);
this importer places each by that morpheme again.
"""

from __future__ import annotations

from filters.tools.keyword_rules import categorise_strict
from filters.tools.sources import Candidate, Source, read_placed_lines

FILE = "sensitive_word_dict.harm.txt"


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    read_placed_lines(source, FILE, categorise_strict, "unmapped (no unambiguous harm morpheme)", out, skipped)
    return out, skipped
