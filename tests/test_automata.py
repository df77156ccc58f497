"""filters/automata.py: packed key rows round-trip, WordKeys finds exactly what an automaton over the
same whole-word keys finds at word edges (the matcher's lead + exact vetoes), its WordGate never says
"no key here" where it finds one, and the character automaton (one or two symbols a character) finds
every key where it is, on random texts; an automaton of the keys' prefixes reports exactly what one of the
whole keys reports, in its order."""

from __future__ import annotations

import pickle
import random
import re

import ahocorasick

from filters.automata import ROOT_WIDTH, CharAutomaton, KeyTable, PrefixAutomaton, WordGate, WordKeys, build

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
    copy = pickle.loads(pickle.dumps(index))  # as loaded from the matcher cache
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
        assert list(copy.find(fold)) == list(index.find(fold))
    assert copy.keys == index.keys
    words = {w for k in keys for w in k.split(" ")}
    for word in [*words, "xyz", "seq", "2"]:
        assert index.has_word(word) == copy.has_word(word) == (word in words), word
    assert not WordKeys({}) and not pickle.loads(pickle.dumps(WordKeys({}))) and not list(WordKeys({}).find(" a "))


def test_word_gate_passes_every_text_where_the_index_finds_a_key() -> None:
    """The gate stands in for the unloaded index: a False where the index has a match would lose it."""
    rng = random.Random(11)
    keys: dict[str, tuple] = {}
    for i in range(400):
        words = rng.choices(SYLLABLES, k=rng.randint(1, 4))
        keys.setdefault((" " if rng.random() < 0.5 else "").join(words), ((i, "pinyin", 1, True, "exact", False),))
    index, gate = WordKeys(keys), pickle.loads(pickle.dumps(WordGate(keys)))
    others = ["the", "game", "nba", "tonight", "x2", "hello", "seq", "world"]
    key_list = list(keys)
    hits = passed = 0
    for _ in range(2000):
        parts = rng.choices([*others, *SYLLABLES, *rng.choices(key_list, k=1)], k=rng.randint(1, 6))
        fold = " " + "".join(p + rng.choice([" ", " ", "色", ", "]) for p in parts)
        found = bool(list(index.find(fold)))
        hits += found
        passed += gate.may_hit(fold)
        assert gate.may_hit(fold) or not found, fold
    assert hits > 300 and passed < 2000  # both kinds of text were tried
    # words of no key: the index is not needed (these words pass no probe of this gate)
    assert not any(gate.may_hit(f" {w} ") for w in ["the nba game tonight", "hello world 2024", "ipv4 x00"])
    # a key of several words needs two of its words in a row; one alone is not enough
    pair = WordGate({"se qing": (), "seqing": ()})
    assert pair.may_hit(" ta shuo se qing ") and pair.may_hit(" seqing ")
    assert not pair.may_hit(" se nba qing ") and not pair.may_hit(" qing ")


def test_char_automaton_finds_every_key_where_it_is() -> None:
    rng = random.Random(3)
    # more starting characters than ROOT_WIDTH: some get two symbols; Latin letters, digits and spaces
    # inside keys (mixed terms) as well
    alphabet = [chr(0x4E00 + i) for i in rng.sample(range(20_000), 700)] + list("ab1 q")
    keys: dict[str, tuple] = {}
    for i in range(3000):
        key = "".join(rng.choices(alphabet[: rng.choice([40, 700])], k=rng.randint(1, 5)))
        if not key.isascii():
            keys.setdefault(key, ((i, "fold", len(key), False, "cjk", True),))
    auto = CharAutomaton(keys, {"的": 100, alphabet[500]: 50})
    code = auto.code.codes
    assert len({c for c in code if len(code[c]) == 2}) > 100 and len({k[0] for k in keys}) > ROOT_WIDTH
    copy = pickle.loads(pickle.dumps(auto))
    plain = ahocorasick.Automaton()  # the reference: the keys as they are, one symbol a character
    for k in keys:
        plain.add_word(k, k)
    plain.make_automaton()
    key_list = list(keys)
    others = ["的", "x", " ", "龘", "9"]  # characters in no key are matched past, one position each
    for _ in range(400):
        parts = [rng.choice([*rng.choices(key_list, k=2), *others, rng.choice(alphabet)]) for _ in range(20)]
        fold = "".join(parts)
        expected = {(end + 1, k) for end, k in plain.iter(fold)}
        for a in (auto, copy):
            found = {(fe, a.table[row][0][0]) for fe, row in a.find(fold)}
            assert found == {(fe, keys[k][0][0]) for fe, k in expected}, fold


def test_prefix_automaton_reports_what_the_whole_keys_automaton_reports_in_its_order() -> None:
    rng = random.Random(11)
    for _ in range(300):
        alphabet = "abcde"[: rng.randint(2, 5)]
        words = ("".join(rng.choices(alphabet, k=rng.randint(1, 9))) for _ in range(rng.randint(1, 60)))
        keys = list(dict.fromkeys(words))
        whole = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for value, key in enumerate(keys):
            whole.add_word(key, value)
        whole.make_automaton()
        prefixes = PrefixAutomaton(keys, rng.randint(1, 6))
        copy = pickle.loads(pickle.dumps(prefixes))
        for _ in range(20):
            text = "".join(rng.choices(alphabet + "x", k=rng.randint(0, 40)))
            expected = list(whole.iter(text))  # (end, value): by end, the longest key first at one end
            assert prefixes.iter(text) == expected, (keys, prefixes.width, text)
            assert copy.iter(text) == expected
