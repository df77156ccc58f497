"""Compact storage of the matcher's keys: int-valued Aho-Corasick automata and a whole-word key index.

An automaton key stands for one or more (entry index, view, length, lead, mode, homophones) tuples
(see filters/matcher.py). Hundreds of thousands of small tuples as pyahocorasick values cost ~40 MB
and slow the matcher cache's unpickling, so each automaton stores an int (STORE_INTS) that numbers
the key's row in a `KeyTable`, where the tuples are packed one int64 each.

Spelt-out pinyin (seqing, se qing: ~50,000 keys and ~600,000 automaton nodes, ~40 MB for the 45k-term
lexicon) can only match whole Latin words: such keys start a word (lead) and end one (exact). A
`WordKeys` index finds the same matches by looking runs of whole words up in a dict, in about a
tenth of the memory and no more time per line.

The character automaton (keys with a Chinese character) scans a `CharCode` spelling of the fold view,
chosen from its own keys: pyahocorasick finds a node's child by scanning the node's children one by
one, so the root must stay narrow, yet every symbol of a key is a node (~50 bytes resident, and as
much unpickling work). Characters that start no key cost the root nothing and get one symbol each, as
do the ROOT_WIDTH starting characters that label the most trie edges; the other starting characters
get two symbols from two small alphabets. Characters in no key are left as they are (they match
nothing). For the shipped lexicon this halves the nodes of a spelling with two symbols for every
character (497k -> 294k), and the root has ~290 children instead of ~170 (scans no slower: keys
are added so that the children of common characters come first).
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from sys import intern

import ahocorasick

from filters import regex_cache
from filters.tables import IDENTITY

# (entry index, view name, length, lead, mode, homophones): see filters/matcher.py
Key = tuple[int, str, int, bool, str, bool]

VIEWS = ("fold", "split", "pinyin", "syllable")
MODES = ("word", "exact", "prefix", "cjk", "strict")
_VIEW_CODE = {v: i for i, v in enumerate(VIEWS)}
_MODE_CODE = {m: i for i, m in enumerate(MODES)}
_ALNUM_RUN = regex_cache.compile("[a-z0-9]+")
_NOT_WORD = regex_cache.compile("[^a-z0-9 ]")
ROOT_WIDTH = 256  # starting characters of keys spelt with one symbol (see CharCode)
CHAR_PREFIX = 5  # symbols of each key the character automaton holds (PrefixAutomaton)
SYL_PREFIX = 8  # and the syllable automaton (two symbols a syllable): 169k -> 66k nodes, the scan ~5 us a
# Chinese line slower (more prefixes of three syllables than keys are found); 6: 34k nodes, ~7 us slower
WEIGHTED_KEYS = 2_000  # key sets larger than this are ordered by character weights (see CharAutomaton)
_ONE_BASE, _ONE_END = 0xE000, 0xF000  # one-symbol codes
_HI_BASE, _LO_BASE, _LO_END = 0xF000, 0xF400, 0xF800  # two-symbol codes: [F000, F400) then [F400, F800)
_LO = regex_cache.compile("[\uf400-\uf7ff]")


class KeyTable:
    """Rows of key tuples packed in two arrays; `table[row]` decodes a row (memoised)."""

    __slots__ = ("starts", "packed", "_memo")

    def __init__(self) -> None:
        self.starts = array("I", [0])
        self.packed = array("q")
        self._memo: dict[int, tuple[Key, ...]] = {}

    def append(self, keys: Iterable[Key]) -> None:
        for index, view, length, lead, mode, homophones in keys:
            if not 0 <= length < 1024:
                raise ValueError(f"key of {length} characters")
            self.packed.append(index << 17 | length << 7 | _VIEW_CODE[view] << 5 | _MODE_CODE[mode] << 2
                               | lead << 1 | homophones)
        self.starts.append(len(self.packed))

    def __getitem__(self, row: int) -> tuple[Key, ...]:
        keys = self._memo.get(row)
        if keys is None:
            keys = tuple(
                (x >> 17, VIEWS[x >> 5 & 3], x >> 7 & 1023, bool(x & 2), MODES[x >> 2 & 7], bool(x & 1))
                for x in self.packed[self.starts[row] : self.starts[row + 1]]
            )
            if len(self._memo) >= 16_384:
                self._memo.clear()
            self._memo[row] = keys
        return keys

    def __len__(self) -> int:
        return len(self.starts) - 1

    def longest(self) -> int:
        """The greatest key length of any row (0 if empty)."""
        return max((x >> 7 & 1023 for x in self.packed), default=0)

    def __getstate__(self) -> tuple[array, array]:
        return self.starts, self.packed

    def __setstate__(self, state: tuple[array, array]) -> None:
        self.starts, self.packed = state
        self._memo = {}


def build(keys: dict[str, tuple[Key, ...]], prefix: int = 0
          ) -> tuple[ahocorasick.Automaton | PrefixAutomaton, KeyTable] | None:
    """An int-valued automaton (the value numbers the key's row in the table) and its key table.

    prefix: the automaton holds the keys' first `prefix` symbols only (a PrefixAutomaton; 0: whole keys)."""
    if not keys:
        return None
    table = KeyTable()
    for v in keys.values():
        table.append(v)
    if prefix:
        return PrefixAutomaton(keys, prefix), table
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for row, k in enumerate(keys):
        auto.add_word(k, row)
    auto.make_automaton()
    return auto, table


class PrefixAutomaton:
    """The matches of an int-valued automaton of keys (value: the key's position in `keys`), found with an
    automaton of their first `width` symbols only: each prefix found leads to the keys that start with it,
    and a longer key's rest is compared with the string there (str.startswith, in C).

    Every symbol of a key is a trie node (~50 bytes resident and as much unpickling work at every start-up);
    the rests of long keys cost a few bytes each in one string. `iter` gives exactly the (end, value) pairs,
    in the same order, that pyahocorasick's iter of the whole keys gives (by end, then longest key first).
    A prefix is found about three times as often as a key, and most have one key: the scan costs the same.
    (The character automaton with width 5: 296k -> 79k nodes, 11.6 -> 2.8 MB unpickled per start-up.)
    """

    __slots__ = ("auto", "width", "starts", "rests", "rest_ends", "values", "_memo")

    def __init__(self, keys: Iterable[str], width: int) -> None:
        if width < 1:
            raise ValueError("a prefix of no symbols")
        buckets: dict[str, list[tuple[str, int]]] = {}
        for value, key in enumerate(keys):
            buckets.setdefault(key[:width], []).append((key[width:], value))
        self.auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.width = width
        self.starts = array("I", [0])  # bucket b: candidates starts[b] .. starts[b + 1]
        self.rest_ends = array("I")  # candidate i's rest: rests[rest_ends[i - 1] : rest_ends[i]]
        self.values = array("I")
        rests: list[str] = []
        at = 0
        for b, (head, members) in enumerate(buckets.items()):
            self.auto.add_word(head, b)
            for rest, value in members:
                rests.append(rest)
                at += len(rest)
                self.rest_ends.append(at)
                self.values.append(value)
            self.starts.append(len(self.values))
        self.auto.make_automaton()
        self.rests = "".join(rests)
        self._memo: dict[int, tuple[tuple[str, int], ...]] = {}

    def _bucket(self, b: int) -> tuple[tuple[str, int], ...]:
        """(rest, value) of the keys with prefix number b (decoded on first use, remembered)."""
        rests, ends, values = self.rests, self.rest_ends, self.values
        got = tuple((rests[ends[i - 1] if i else 0 : ends[i]], values[i])
                    for i in range(self.starts[b], self.starts[b + 1]))
        if len(self._memo) >= 16_384:
            self._memo.clear()
        self._memo[b] = got
        return got

    def iter(self, code: str) -> list[tuple[int, int]]:
        """(index of the key's last symbol in `code`, value) of every key in `code`, as pyahocorasick's iter."""
        memo, width = self._memo, self.width
        out: list[tuple[int, int]] = []
        longer: list[tuple[int, int, int]] | None = None  # (end, -length, value) of keys past their prefix
        for end, b in self.auto.iter(code):
            for rest, value in memo.get(b) or self._bucket(b):
                if not rest:
                    out.append((end, value))
                elif code.startswith(rest, end + 1):
                    if longer is None:
                        longer = []
                    longer.append((end + len(rest), -width - len(rest), value))
        if longer is None:
            return out
        # the whole keys' automaton reports a key where it ends, the longest first among those ending there:
        # a longer key (width + rest symbols) before the prefix automaton's own keys (width at most, kept in
        # their order by the stable sort); two keys of one length ending at one place are the same key
        merged = [(end, -width, value) for end, value in out]
        merged.extend(longer)
        merged.sort(key=lambda x: (x[0], x[1]))
        return [(end, value) for end, _, value in merged]

    def __getstate__(self) -> tuple:
        return self.auto, self.width, self.starts, self.rests, self.rest_ends, self.values

    def __setstate__(self, state: tuple) -> None:
        self.auto, self.width, self.starts, self.rests, self.rest_ends, self.values = state
        self._memo = {}


class CharCode:
    """How the character automaton spells fold-view characters: one or two symbols each, chosen from
    the keys (see the module docstring). Stored as the characters' codes; the str.translate list indexed
    by code point is made on loading."""

    __slots__ = ("codes", "_list")

    def __init__(self, keys: Iterable[str], weight: Mapping[str, int]) -> None:
        """keys: the automaton's keys (fold views); weight: character -> how common it is in ordinary
        text (`char_weights`), to give the commonest two-symbol characters the first symbols."""
        prefixes: set[str] = set()
        edges: Counter[str] = Counter()  # trie edges each character labels: the nodes one symbol saves
        starts: set[str] = set()
        for key in keys:
            starts.add(key[:1])
            for i in range(1, len(key) + 1):
                if key[:i] not in prefixes:
                    prefixes.add(key[:i])
                    edges[key[i - 1]] += 1
        by_edges = sorted(edges, key=lambda c: (-edges[c], c))
        first = [c for c in by_edges if c in starts]
        one = (first[:ROOT_WIDTH] + [c for c in by_edges if c not in starts])[: _ONE_END - _ONE_BASE]
        chosen = set(one)
        two = sorted((c for c in by_edges if c not in chosen), key=lambda c: (-weight.get(c, 0), c))
        k = 1
        while k * k < len(two):
            k += 1
        if k > _LO_END - _LO_BASE:
            raise ValueError(f"{len(edges)} distinct characters in the keys")
        self.codes: dict[str, str] = {c: chr(_ONE_BASE + i) for i, c in enumerate(one)}
        self.codes.update({c: chr(_HI_BASE + i // k) + chr(_LO_BASE + i % k) for i, c in enumerate(two)})
        self._list = _translate_list(self.codes)

    def encode(self, fold: str) -> str:
        return fold.translate(self._list)

    def __getstate__(self) -> dict[str, str]:
        return self.codes

    def __setstate__(self, codes: dict[str, str]) -> None:
        self.codes = codes
        self._list = _translate_list(codes)


def _translate_list(codes: dict[str, str]) -> list[str | int | None]:
    out: list[str | int | None] = IDENTITY[:]
    for c, code in codes.items():
        out[ord(c)] = code
    return out


_WEIGHTS: list[tuple[Mapping[str, int], dict[str, int]]] = []  # the last word list's character weights


def char_weights(word_freq: Mapping[str, int]) -> dict[str, int]:
    """Character -> summed frequency of the words it is in (computed once per word list)."""
    if _WEIGHTS and _WEIGHTS[0][0] is word_freq:
        return _WEIGHTS[0][1]
    weight: Counter[str] = Counter()
    for word, n in word_freq.items():
        for c in word:
            weight[c] += n
    _WEIGHTS[:] = [(word_freq, dict(weight))]
    return _WEIGHTS[0][1]


def order(keys: dict[str, tuple[Key, ...]], weight: Mapping[str, int]) -> dict[str, tuple[Key, ...]]:
    """The keys with the commonest first characters first: pyahocorasick keeps a node's children in the
    order they were added and scans them in that order."""
    return dict(sorted(keys.items(), key=lambda kv: -weight.get(kv[0][:1], 0)))


class CharAutomaton:
    """An int-valued automaton over the `CharCode` spelling of its keys, with its key table."""

    __slots__ = ("auto", "table", "code")
    auto: PrefixAutomaton

    def __init__(self, keys: dict[str, tuple[Key, ...]], word_freq: Mapping[str, int] | None = None) -> None:
        """keys: fold views (not empty); word_freq: word -> frequency in ordinary text, whose character
        weights order the keys when there are more than WEIGHTED_KEYS (adding up the weights of ~80,000
        words costs ~50 ms, once a process: worth it for the packs' matcher, not for a parent's words)."""
        weight = char_weights(word_freq) if word_freq is not None and len(keys) > WEIGHTED_KEYS else {}
        self.code = CharCode(keys, weight)
        built = build({self.code.encode(k): v for k, v in order(keys, weight).items()}, prefix=CHAR_PREFIX)
        if built is None:
            raise ValueError("no keys")
        self.auto, self.table = built

    def find(self, fold: str) -> Iterator[tuple[int, int]]:
        """(end in `fold`, key row) of every key in a fold view."""
        code = self.code.encode(fold)
        found = self.auto.iter(code)
        if len(code) == len(fold):  # every character one symbol (or none in a key)
            for end, row in found:
                yield end + 1, row
            return
        second: list[int] | None = None  # where second symbols are (found on the first match)
        for end, row in found:
            if second is None:
                second = [m.start() for m in _LO.finditer(code)]
            yield end + 1 - bisect_right(second, end), row

    def __getstate__(self) -> tuple:
        return self.auto, self.table, self.code

    def __setstate__(self, state: tuple) -> None:
        self.auto, self.table, self.code = state


def whole_words_only(key: str, tuples: Iterable[Key]) -> bool:
    """True for an ASCII key whose every tuple must start and end at word edges (lead, exact)."""
    return key.isascii() and all(lead and mode == "exact" for _, _, _, lead, mode, _ in tuples)


class WordKeys:
    """Keys of letters/digits and single spaces that match only runs of whole [a-z0-9]+ words.

    `find(fold)` yields (start, end, tuples) for every run of whole words separated by single spaces
    that is a key: the same positions an automaton over these keys would report and that survive
    the lead and exact vetoes (the caller still applies every veto, so the results are identical).

    The keys are kept sorted (a key's row in the table is its position: found by bisection on the
    rare hit) and as a frozenset for the membership tests; stored as one string, split and hashed in C
    on loading. Unpickling a dict of 56,000 keys to their rows cost ~15 ms of every start-up, this ~6.
    """

    __slots__ = ("keys", "_sorted", "table", "pairs", "span", "_pair_words")

    def __init__(self, keys: dict[str, tuple[Key, ...]]) -> None:
        if any("\n" in k for k in keys):
            raise ValueError("a whole-word key with a newline")
        self._sorted = sorted(keys)
        self.keys = frozenset(self._sorted)
        self.table = KeyTable()
        for k in self._sorted:
            self.table.append(keys[k])
        # every two words that follow each other in some key: a run of words can only be a key if each
        # of its neighbouring pairs is one of these (English text rarely has two pinyin syllables in a row)
        # (the words interned: a few thousand distinct syllables stand in 40,000 pair slots, and pickle
        # then stores each once, so a loaded cache shares them too: about 2 MB less resident)
        self.pairs = frozenset(pair for k in keys if " " in k for pair in _pairs([intern(w) for w in k.split(" ")]))
        self.span = max((k.count(" ") + 1 for k in keys), default=0)
        self._pair_words: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.keys)

    def has_word(self, word: str) -> bool:
        """True if `word` is a whole word of some key (a key itself, or a word of a key of several)."""
        if word in self.keys:
            return True
        if self._pair_words is None:  # made on first use (~2 ms): every word of a key of several is in a pair
            self._pair_words = frozenset(w for pair in self.pairs for w in pair)
        return word in self._pair_words

    def find(self, fold: str) -> Iterator[tuple[int, int, tuple[Key, ...]]]:
        keys, pairs, span = self.keys, self.pairs, self.span
        # a fold view of only letters, digits and spaces splits in C at half the regex's cost
        tokens = _tokens(fold)
        if keys.isdisjoint(tokens) and pairs.isdisjoint(_pairs(tokens)):
            return  # no one word is a key, and no two words in a row begin to be one
        runs = [(m.start(), m.end()) for m in _ALNUM_RUN.finditer(fold)]
        for i, (a, b) in enumerate(runs):
            candidates = [(a, b)]
            end, word = b, fold[a:b]
            for a2, b2 in runs[i + 1 : i + span]:
                after = fold[a2:b2]
                if a2 != end + 1 or fold[end] != " " or (word, after) not in pairs:
                    break
                end, word = b2, after
                candidates.append((a, end))
            for fs, fe in candidates:
                key = fold[fs:fe]
                if key in keys:
                    yield fs, fe, self.table[bisect_left(self._sorted, key)]

    def __getstate__(self) -> tuple:
        return "\n".join(self._sorted), self.table, self.pairs, self.span

    def __setstate__(self, state: tuple) -> None:
        joined, self.table, self.pairs, self.span = state
        self._pair_words = None
        self._sorted = joined.split("\n") if len(self.table) else []
        self.keys = frozenset(self._sorted)


def _pairs(words: list[str]) -> zip:
    return zip(words, words[1:], strict=False)


def _tokens(fold: str) -> list[str]:
    """The runs of [a-z0-9] of a fold view, as WordKeys.find splits them."""
    return fold.split() if fold.isascii() and _NOT_WORD.search(fold) is None else _ALNUM_RUN.findall(fold)


class WordGate:
    """Whether a fold view may hold a key of a WordKeys index, known without loading the index.

    The index (56,000 keys, ~20 ms to unpickle at start-up) is a deferred part of the matcher cache; most
    texts with Latin letters hold none of its keys. A key of one word must be a token of the text: a
    Bloom filter of those keys (2**20 bits, two probes from zlib's crc32 and adler32: ~0.3% of
    other tokens pass) answers that. A key of several words starts with two tokens in a row that are
    words of such keys (~400 pinyin syllables, kept exactly). `may_hit` is never False where the index
    has a match; True only means "load the index and look"."""

    __slots__ = ("bits", "pair_words")
    BITS = 1 << 20

    def __init__(self, keys: Iterable[str]) -> None:
        bits = bytearray(self.BITS // 8)
        pair_words: set[str] = set()
        for k in keys:
            if " " in k:
                pair_words.update(k.split(" "))
            else:
                for p in self._probes(k):
                    bits[p >> 3] |= 1 << (p & 7)
        self.bits = bytes(bits)
        self.pair_words = frozenset(pair_words)

    @classmethod
    def _probes(cls, word: str) -> tuple[int, int]:
        raw = word.encode()
        return zlib.crc32(raw) & (cls.BITS - 1), zlib.adler32(raw) * 2654435761 >> 7 & (cls.BITS - 1)

    def may_hit(self, fold: str) -> bool:
        bits, pair_words = self.bits, self.pair_words
        previous = False
        for token in _tokens(fold):
            a, b = self._probes(token)
            if bits[a >> 3] >> (a & 7) & 1 and bits[b >> 3] >> (b & 7) & 1:
                return True
            here = token in pair_words
            if here and previous:
                return True
            previous = here
        return False

    def __getstate__(self) -> tuple:
        return self.bits, self.pair_words

    def __setstate__(self, state: tuple) -> None:
        self.bits, self.pair_words = state
