"""Compact entry tables (filters/entry_table.py): the same entries as the tuples they replace."""

from __future__ import annotations

import pickle
from array import array

import pytest

from filters import entry_table
from filters.entry_table import Entry, EntryChain, EntryTable
from filters.lexicon import PACKS_DIR, load_pack, load_packs

ROWS = [
    Entry("色情", "sexual", 3, "default", True, (), "core"),
    Entry("porn", "sexual", 3, "word", False, (), "core"),
    Entry("大麻", "drugs", 2, "default", True, ("大麻哈鱼", "大麻绳"), "core"),
    Entry("𝐬𝐞𝐱 café", "sexual", 1, "prefix", False, (), "core"),  # astral and Latin-1 characters widen the str
    Entry("x", "drugs", 2, "default", True, (), "core"),
]


def test_a_table_holds_exactly_the_entries_it_was_given() -> None:
    table = EntryTable(ROWS, "core")
    assert len(table) == len(ROWS) and list(table) == ROWS and table == tuple(ROWS)
    assert [table[i] for i in range(len(ROWS))] == ROWS and table[-1] == ROWS[-1] and table[1:3] == tuple(ROWS[1:3])
    assert all(type(e) is Entry for e in table) and table[2].allow == ("大麻哈鱼", "大麻绳")
    assert table.categories() == {"sexual", "drugs"}
    with pytest.raises(IndexError):
        table[len(ROWS)]
    with pytest.raises(IndexError):
        table[-len(ROWS) - 1]
    with pytest.raises(ValueError, match="of pack 'core' in a table of pack 'other'"):
        EntryTable(ROWS, "other")
    again = pickle.loads(pickle.dumps(table, protocol=5))
    assert again == table and hash(again) == hash(table) and list(again) == ROWS
    assert EntryTable(ROWS[:-1], "core") != table


def test_a_state_that_does_not_hold_together_is_refused() -> None:
    state = EntryTable(ROWS, "core")._state()
    assert list(entry_table._restore(*state)) == ROWS
    pack, terms, ends, codes, kinds, allow = state
    for bad in ((pack, terms[:-1], ends, codes, kinds, allow),  # the last term runs past the text
                (pack, terms, ends, array("H", [*codes[:-1], len(kinds)]), kinds, allow),  # unknown kind
                (pack, terms, ends[:-1], codes, kinds, allow),  # counts disagree
                (pack, terms, list(ends), codes, kinds, allow)):
        with pytest.raises(ValueError):
            entry_table._restore(*bad)


def test_loaded_packs_are_tables_and_a_chain_numbers_them_as_one_list() -> None:
    packs = load_packs()
    assert all(isinstance(p.entries, EntryTable) for p in packs)
    flat = [e for p in packs for e in p.entries]
    chain = EntryChain(p.entries for p in packs)
    assert len(chain) == len(flat) >= 2000 and list(chain) == flat
    for i in (0, 1, len(flat) // 3, len(flat) // 2, len(flat) - 1, -1):
        assert chain[i] == flat[i]
    first = sorted(PACKS_DIR.glob("*.json"))[0]
    assert load_pack(first).entries == next(p for p in packs if p.name == load_pack(first).name).entries
    assert entry_table.frozen(chain) is chain and entry_table.frozen(iter(ROWS)) == tuple(ROWS)
