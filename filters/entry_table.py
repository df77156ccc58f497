"""Word-pack entries kept compact in memory, each `Entry` made only when asked for.

50,000 entries as named tuples of their own strings cost about 10 MB resident and 0.05 s to unpickle
at every start-up, while a check reads a handful of them (the entries of its matches). An
`EntryTable` holds one pack's entries in a few flat objects: every term in one string with an array of
end offsets, one small code per entry naming its (category, severity, match, homophones), and the
rare allow-contexts in a dict by index. `table[i]` builds the `Entry` (about a microsecond);
iterating builds them all, as a tuple would hold them. `EntryChain` numbers the entries of several
packs as one sequence (the matcher's entry index) without copying them.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, overload


class Entry(NamedTuple):
    """One term of a pack."""

    term: str
    category: str
    severity: int
    match: str
    homophones: bool
    allow: tuple[str, ...]
    pack: str


Kind = tuple[str, int, str, bool]  # (category, severity, match, homophones)
_make = tuple.__new__


class _Entries(Sequence[Entry]):
    """Indexing shared by the compact sequences: slices, negative indexes and bounds are handled here,
    once; a subclass sets `_n` (its length) and makes the entry at an index known to be in range (`_at`)."""

    __slots__ = ("_n",)

    @overload
    def __getitem__(self, i: int) -> Entry: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, i: int | slice) -> Entry | tuple[Entry, ...]:
        n = self._n
        if isinstance(i, slice):
            return tuple(self._at(j) for j in range(*i.indices(n)))
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("entry index out of range")
        return self._at(i)

    def __len__(self) -> int:
        return self._n

    def _at(self, i: int) -> Entry:
        raise NotImplementedError


class EntryTable(_Entries):
    """One pack's entries (all with the same `pack` name), stored flat; immutable."""

    __slots__ = ("pack", "_terms", "_ends", "_codes", "_kinds", "_allow")

    def __init__(self, entries: Iterable[Entry], pack: str) -> None:
        terms: list[str] = []
        ends = array("I")
        codes = array("H")
        kinds: dict[Kind, int] = {}
        allow: dict[int, tuple[str, ...]] = {}
        at = 0
        for i, e in enumerate(entries):
            if e.pack != pack:
                raise ValueError(f"entry {e.term!r} of pack {e.pack!r} in a table of pack {pack!r}")
            terms.append(e.term)
            at += len(e.term)
            ends.append(at)
            codes.append(kinds.setdefault((e.category, e.severity, e.match, e.homophones), len(kinds)))
            if e.allow:
                allow[i] = tuple(e.allow)
        self.pack = pack
        self._terms = "".join(terms)
        self._ends, self._codes, self._kinds, self._allow = ends, codes, tuple(kinds), allow
        self._n = len(codes)

    def _at(self, i: int) -> Entry:
        ends = self._ends
        category, severity, match, homophones = self._kinds[self._codes[i]]
        return _make(Entry, (self._terms[ends[i - 1] if i else 0 : ends[i]], category, severity, match,
                             homophones, self._allow.get(i, ()), self.pack))

    def __iter__(self) -> Iterator[Entry]:
        terms, kinds, allow, pack = self._terms, self._kinds, self._allow, self.pack
        start = 0
        for i, (end, code) in enumerate(zip(self._ends, self._codes, strict=True)):
            category, severity, match, homophones = kinds[code]
            yield _make(Entry, (terms[start:end], category, severity, match, homophones, allow.get(i, ()), pack))
            start = end

    def categories(self) -> frozenset[str]:
        return frozenset(kind[0] for kind in self._kinds)

    def _state(self) -> tuple:
        return self.pack, self._terms, self._ends, self._codes, self._kinds, self._allow

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EntryTable):
            return self._state() == other._state()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.pack, self._terms, self._ends.tobytes(), self._codes.tobytes(), self._kinds))

    def __repr__(self) -> str:
        return f"EntryTable({self.pack!r}, {len(self)} entries)"

    def __reduce__(self) -> tuple[Any, tuple]:
        return _restore, self._state()


def _restore(pack: str, terms: str, ends: array, codes: array, kinds: tuple[Kind, ...],
             allow: dict[int, tuple[str, ...]]) -> EntryTable:
    """An EntryTable from its pickled state (checked: a state that does not hold together is refused)."""
    if not (isinstance(pack, str) and isinstance(terms, str) and isinstance(ends, array) and ends.typecode == "I"
            and isinstance(codes, array) and codes.typecode == "H" and len(ends) == len(codes)
            and isinstance(kinds, tuple) and isinstance(allow, dict)):
        raise ValueError("not an entry table")
    if (ends and ends[-1] != len(terms)) or (codes and max(codes) >= len(kinds)):
        raise ValueError("entry table out of bounds")
    table = EntryTable.__new__(EntryTable)
    table.pack, table._terms, table._ends, table._codes, table._kinds, table._allow = (
        pack, terms, ends, codes, kinds, allow)
    table._n = len(codes)
    return table


class EntryChain(_Entries):
    """The entries of several sequences numbered one after another (no copy)."""

    __slots__ = ("_parts", "_starts")

    def __init__(self, parts: Iterable[Sequence[Entry]]) -> None:
        self._parts = tuple(frozen(p) for p in parts if len(p))
        starts, at = [], 0
        for p in self._parts:
            starts.append(at)
            at += len(p)
        self._starts = (*starts, at)
        self._n = at

    def _at(self, i: int) -> Entry:
        part = bisect.bisect_right(self._starts, i) - 1
        entries = self._parts[part]
        j = i - self._starts[part]
        return entries._at(j) if isinstance(entries, _Entries) else entries[j]

    def __iter__(self) -> Iterator[Entry]:
        for p in self._parts:
            yield from p


def frozen(entries: Iterable[Entry]) -> Sequence[Entry]:
    """The entries as an immutable sequence: compact tables and chains of them as they are, else a tuple."""
    if isinstance(entries, (tuple, EntryTable, EntryChain)):
        return entries
    return tuple(entries)
