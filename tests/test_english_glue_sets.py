"""english_reading's glued split: the one-target split's words are looked up in the known and ordinary sets
instead of a stored union of them (the union was ~2 MB of set table kept for the whole process)."""

from __future__ import annotations

from filters.disguise import WORD_SUFFIXES
from filters.english_reading import default_reading


def test_known_or_ordinary_is_exactly_the_one_target_split_vocabulary():
    r = default_reading()
    ordinary, _ = r.ordinary()
    known, targets, plain = r._glue_sets()
    short = frozenset(w + s for w in r.short for s in ("", "s"))
    forms = frozenset(t + s for t in r.targets for s in WORD_SUFFIXES)
    assert targets == forms - r.function and plain == (r.function | ordinary) - targets
    assert known | ordinary == plain | targets | short  # what _cheapest(letters, known, ordinary) accepts


def test_no_union_of_the_ordinary_words_is_kept():
    r = default_reading()
    ordinary, _ = r.ordinary()
    sets = r._glue_sets()
    known = sets[0]
    assert len(ordinary) > 1000 and len(known) > 1000
    # a set holding most ordinary words and most known words is a copy of their union
    assert not any(len(s & ordinary) > len(ordinary) // 2 and len(s & known) > len(known) // 2 for s in sets)
