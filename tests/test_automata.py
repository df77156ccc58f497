"""filters/automata.py: packed key rows round-trip, and WordKeys finds exactly what an automaton over the
same whole-word keys finds at word edges (the matcher's lead + exact vetoes), on random texts."""

from __future__ import annotations

import pickle
import random
import re

import ahocorasick

from filters.automata import KeyTable, WordKeys, build

SYLLABLES = ["se", "qing", "du", "bo", "ma", "a", "an", "he", "she", "can", "long", "sb", "x1"]


def test_key_table_round_trips_every_field() -> None:
    rows = [((0, "fold", 2, False, "cjk", True),),
            ((123_456, "pinyin", 1023, True, "exact", False), (7, "syllable", 5, False, "strict", True)),
            ((9, "split", 64, True, "prefix", False), (1, "fold", 1, True, "word", True))]
    table = KeyTable()
    for r in rows:
        table.append(r)
    copy = pickle.loads(pickle.dumps(table))
    assert [table[i] for i in range(3)] == [copy[i] for i in range(3)] == rows and len(copy) == 3
    auto, packed = build({"ab": rows[0], "b": rows[1]})
    assert sorted((end, packed[row]) for end, row in auto.iter("xab")) == sorted([(2, rows[1]), (2, rows[0])])


def _at_word_edges(fold: str, keys: dict[str, tuple]) -> set[tuple[int, int, tuple]]:
    """What an automaton over the keys finds that starts and ends at word edges."""
    auto = ahocorasick.Automaton()
    for k, v in keys.items():
        auto.add_word(k, (k, v))
    auto.make_automaton()
    out = set()
    for end, (k, v) in auto.iter(fold):
        fs, fe = end + 1 - len(k), end + 1
        if fold[fs - 1] in "abcdefghijklmnopqrstuvwxyz0123456789":
            continue
        if re.match("[a-z0-9]+", fold[fe:]):
            continue
        out.add((fs, fe, v))
    return out


def test_word_keys_find_what_an_automaton_finds_at_word_edges() -> None:
    rng = random.Random(7)
    keys: dict[str, tuple] = {}
    for i in range(300):
        words = rng.choices(SYLLABLES, k=rng.randint(1, 4))
        key = (" " if rng.random() < 0.6 else "").join(words)
        keys.setdefault(key, ((i, "pinyin", len(key), True, "exact", False),))
    index = WordKeys(keys)
    seps = [" ", " ", " ", "色", "情", "  "]
    key_list = list(keys)
    for _ in range(500):
        # whole keys (often several words long) among other words, so long matches are common
        parts = [rng.choice([*SYLLABLES, "xyz", "seq", "2", *rng.choices(key_list, k=3)])
                 for _ in range(rng.randint(1, 9))]
        fold = "".join(p + rng.choice(seps) for p in parts)
        fold = rng.choice(["", " ", "的"]) + fold
        found = {(fs, fe, v) for fs, fe, v in index.find(fold)}
        assert found == _at_word_edges(fold, keys), fold
    assert pickle.loads(pickle.dumps(index)).keys == index.keys
