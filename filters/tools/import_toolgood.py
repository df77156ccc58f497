"""Importer: toolgood/ToolGood.Words keyword lists (Apache-2.0): Chinese illegal-trade and abuse keywords.

ToolGood.Words ships two untagged keyword lists with its matcher (IllegalKeywords.txt, 10,224 lines,
and BadWord.txt, 5,272): black-market adverts (办理假学历证书, 出售过机假钞, 代办文凭), drug and poison
offers (美沙酮销售, 出售冰毒), weapons, porn and gambling sites, mixed with politics, game-server names
and ordinary words. Like Sensitive-lexicon's mixed files, only lines that carry an unambiguous harm
morpheme (keyword_rules.categorise_strict) or read as an offer to sell something illicit
(keyword_rules.categorise_crime_only: a trade verb with a fake document, drug, chemical, weapon or
personal data) are kept, and political lines are dropped; the committed NAME.harm.txt copies hold just
those lines (`python -m filters.tools.import_toolgood UPSTREAM_DIR` rewrites them from the upstream files).
"""

from __future__ import annotations

import sys
from pathlib import Path

from filters.tools.keyword_rules import categorise_crime_only, categorise_strict, is_political
from filters.tools.sources import SOURCES_DIR, Candidate, Source, read_placed_lines

SOURCE_ID = "toolgood-words"
FILES = ("IllegalKeywords", "BadWord")


def place(term: str) -> tuple[str, int] | None:
    """(category, severity) for one lower-cased line, or None when it stays out."""
    if is_political(term):
        return None
    return categorise_strict(term) or categorise_crime_only(term)


def harm_lines(text: str) -> list[str]:
    """The upstream lines an import keeps (placed, not political), in upstream order, without repeats."""
    out: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        term = line.strip().lstrip("\ufeff")
        if term and term not in seen and place(term.lower()) is not None:
            seen.add(term)
            out.append(term)
    return out


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    for name in FILES:
        read_placed_lines(source, f"{name}.harm.txt", place, "unmapped (no harm morpheme or illicit offer)",
                          out, skipped)
    return out, skipped


def main(argv: list[str]) -> int:
    """Rewrite the committed NAME.harm.txt copies from the upstream files in argv[0]."""
    if len(argv) != 1:
        print("usage: python -m filters.tools.import_toolgood DIR_WITH_UPSTREAM_TXT_FILES", file=sys.stderr)
        return 2
    for name in FILES:
        kept = harm_lines(Path(argv[0], f"{name}.txt").read_text(encoding="utf-8-sig"))
        (SOURCES_DIR / SOURCE_ID / f"{name}.harm.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"{name}: kept {len(kept)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
