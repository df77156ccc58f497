"""Spaced-out letters that join with the words around them: "a r e t a r d", "g o f u c k y o u r s e l f".

The fold view joins single letters ("f u c k" -> "fuck"), so a spaced term alone is caught; but when
the spaced run also spells the article or the words around the term ("what a r e t a r d" ->
"aretard"), the term sits inside one long word and whole-word matching rightly refuses it. A spaced
run has lost its word boundaries, so here we find them again: the run's letters are split into the
fewest words of a known vocabulary (every word of an English pack term, and the short function words
of filters/data/spaced_words.json); only a run that splits completely is rescanned, as its words.
An ordinary word that happens to split into a term ("t h e r a p i s t" -> the rapist) is listed in
the same file's `whole_words` (built from wordfreq by filters/tools/spaced_words.py) and left alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filters import regex_cache
from filters.disguise import inflected

WORDS_PATH = Path(__file__).resolve().parent / "data" / "spaced_words.json"
MIN_LETTERS = 4  # shorter runs (a b c, U S A) are initials, not a disguise
MAX_LETTERS = 60
MAX_WORD = 24

# a run of single letters, each apart from the next by one to three non-letters (space, dot, _ ...);
# on the prepared text (lower case, look-alikes folded), so styled and full-width letters count too
_SEP = "[^a-z0-9\n\u3400-\u9fff]"
_RUN = regex_cache.compile(rf"(?<![a-z0-9])[a-z](?:{_SEP}{{1,3}}[a-z](?![a-z0-9])){{3,}}")
# a cheaper necessary test (a separator first: the engine skips fast to one), on the text padded with a space
_GATE = regex_cache.compile(rf"{_SEP}[a-z]{_SEP}{{1,3}}[a-z]{_SEP}{{1,3}}[a-z]{_SEP}{{1,3}}[a-z](?![a-z0-9])")


def load_words(path: Path = WORDS_PATH) -> tuple[frozenset[str], frozenset[str]]:
    """(function words, whole words) from the data file; empty sets if it is missing."""
    if not path.exists():
        return frozenset(), frozenset()
    doc = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(doc.get("function_words", ())), frozenset(doc.get("whole_words", ()))


class SpacedLetters:
    """Splits spaced-out letter runs into words (a pure function of the run, memoised)."""

    def __init__(self, vocab: frozenset[str], suffixes: frozenset[str], path: Path = WORDS_PATH) -> None:
        function_words, self.whole_words = load_words(path)
        self.vocab = vocab
        self.words = frozenset(vocab | function_words)
        self.suffixes = tuple(s for s in suffixes if s)
        self._memo: dict[str, list[tuple[int, int]] | None] = {}

    def _known(self, word: str) -> bool:
        return word in self.words or inflected(word, self.vocab, self.suffixes)

    def split(self, letters: str) -> list[tuple[int, int]] | None:
        """The fewest known words that spell `letters` exactly, as (start, end); None if none do or the
        run is one word, or an ordinary word of whole_words."""
        if letters in self._memo:
            return self._memo[letters]
        if len(self._memo) >= 4096:
            self._memo.clear()
        out = self._memo[letters] = self._split(letters)
        return out

    def _split(self, letters: str) -> list[tuple[int, int]] | None:
        if letters in self.whole_words or len(letters) > MAX_LETTERS:
            return None
        return fewest_words(letters, self._known)

    def runs(self, prepared: str) -> Iterator[tuple[str, list[int]]]:
        """(joined letters, position of each letter in `prepared`) for each spaced run that splits."""
        for m in _RUN.finditer(prepared):
            positions = [m.start() + i for i, c in enumerate(m.group()) if "a" <= c <= "z"]
            letters = "".join(prepared[i] for i in positions)
            if len(letters) >= MIN_LETTERS:
                yield letters, positions


def fewest_words(letters: str, known: Callable[[str], bool], max_word: int = MAX_WORD) -> list[tuple[int, int]] | None:
    """The fewest words for which `known` is true that spell `letters` exactly, as (start, end); None if none
    do or the letters are one word (also filters/english_reading.py's glued words)."""
    n = len(letters)
    best: list[tuple[int, int] | None] = [None] * (n + 1)  # (word count, previous cut)
    best[0] = (0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_word), end):
            prev = best[start]
            if prev is None or not known(letters[start:end]):
                continue
            if best[end] is None or prev[0] + 1 < best[end][0]:  # type: ignore[index]
                best[end] = (prev[0] + 1, start)
    if best[n] is None or best[n][0] < 2:  # type: ignore[index]
        return None
    cuts = []
    end = n
    while end > 0:
        start = best[end][1]  # type: ignore[index]
        cuts.append((start, end))
        end = start
    return cuts[::-1]


def find(
    spaced: SpacedLetters,
    text: str,
    prepare: Callable[[str], str],
    prepared_view: Callable[[str], Any],
    scan_fold: Callable[[str], list[Any]],
    is_latin_term: Callable[[int], bool],
) -> list[tuple[int, tuple[int, int]]]:
    """(entry index, original span) of each English term a spaced run spells once split into words.

    `prepare(text)` gives the per-character fold (fast), `prepared_view(text)` the same with offsets (built
    only when a run splits), `scan_fold(s)` the matcher's raw hits (index, start, end) in a fold string,
    `is_latin_term(i)` whether entry i is an English term.
    """
    ascii_text = text.isascii()
    prepared = text.lower() if ascii_text else prepare(text)
    if _GATE.search(" " + prepared) is None:
        return []
    out: list[tuple[int, tuple[int, int]]] = []
    offsets = None  # the ASCII fold keeps every letter where it was
    for letters, positions in spaced.runs(prepared):
        cuts = spaced.split(letters)
        if cuts is None:
            continue
        if not ascii_text and offsets is None:
            offsets = prepared_view(text).offsets  # its text is `prepared` (the same table, char by char)
        seg = " " + " ".join(letters[a:b] for a, b in cuts) + " "
        letter_at = [-1]  # seg position -> letter index (-1 for the spaces)
        for a, b in cuts:
            letter_at.extend(range(a, b))
            letter_at.append(-1)
        for r in scan_fold(seg):
            inside = [letter_at[i] for i in range(r.start, r.end) if letter_at[i] >= 0]
            if not inside or not is_latin_term(r.index):
                continue
            first, last = positions[inside[0]], positions[inside[-1]]
            span = (first, last + 1) if offsets is None else (offsets[first][0], offsets[last][1])
            out.append((r.index, span))
    return out
