"""Ordinary senses of English words that are also obscene or slurs (the Cock in a fable, a faggot of sticks).

Fables and farm stories, which children read and ask about, use a handful of words in their old,
ordinary sense: a cock is a rooster, an ass a donkey, a bitch a female dog with her whelps, a faggot
a bundle of sticks, Pussy a cat; and 'negro', a slur today, is also the word of civil-rights era
history and of names (the Negro Leagues, Negro spirituals, the Rio Negro). A match of such a word is
dropped when the text shows that sense:
- a neighbour word of the sense anywhere in the text (hens, farmyard; load, miller; whelps; sticks;
  mouse, paw), or
- the word capitalised as a character's name right after a determiner ("the Cock", "his Ass",
  "A COCK, scratching") in ordinary prose of some length, where most words begin in lower case
  (a porn-site title capitalises every word, and a short message is too little evidence).
An insult keeps matching ("you stupid bitch", "suck my cock"): neighbour lists leave out words that
also go with the insult (dog, fire), and "my"/"you" are not determiners here. Words and limits are
data (filters/data/senses/en_ordinary_senses.json).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the matcher's hits; imported for annotations only
    from filters.match_hits import Hit

SENSES_PATH = Path(__file__).resolve().parent / "data" / "senses" / "en_ordinary_senses.json"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Senses:
    """For each ambiguous word, the neighbour words of its ordinary sense; the naming determiners."""

    neighbours: dict[str, frozenset[str]]
    determiners: frozenset[str]
    min_lowercase_share: float
    min_words_for_names: int

    @classmethod
    def load(cls, path: Path = SENSES_PATH) -> Senses:
        """Read the data file; a missing or malformed file raises (the matcher cannot be built)."""
        d = json.loads(path.read_text(encoding="utf-8"))
        neighbours: dict[str, frozenset[str]] = {}
        for sense in d["senses"].values():
            words = frozenset(w.lower() for w in sense["neighbours"])
            for term in sense["terms"]:
                neighbours[term.lower()] = neighbours.get(term.lower(), frozenset()) | words
        return cls(
            neighbours,
            frozenset(w.lower() for w in d["determiners"]),
            float(d["min_lowercase_word_share"]),
            int(d["min_words_for_names"]),
        )

    def drop_ordinary(self, text: str, hits: list[Hit]) -> list[Hit]:
        """`hits` without the matches of ambiguous words used in their ordinary sense."""
        if not any(self.ambiguous(h.entry.term) for h in hits):
            return hits
        return [h for h in hits if not (self.ambiguous(h.entry.term) and self.ordinary(text, h.entry.term, h.span))]

    def ambiguous(self, term: str) -> bool:
        """True if `term` (a pack term) has an ordinary sense listed here."""
        return term.lower() in self.neighbours

    def ordinary(self, text: str, term: str, span: tuple[int, int]) -> bool:
        """True if the match of `term` at `span` of `text` is the word's ordinary sense."""
        words = _WORD.findall(text)
        lowered = {w.lower().removesuffix("'s").rstrip("'") for w in words}  # Balaam's ass: Balaam
        if lowered & self.neighbours.get(term.lower(), frozenset()):
            return True
        written = text[span[0] : span[1]]
        if not written[:1].isupper() or len(words) < self.min_words_for_names:
            return False
        before = _WORD.findall(text[: span[0]])
        if not before or before[-1].lower() not in self.determiners:
            return False
        lower_share = sum(w[0].islower() for w in words) / len(words)
        return lower_share >= self.min_lowercase_share


@lru_cache(maxsize=1)
def default_senses() -> Senses:
    """The shipped data, read once per process."""
    return Senses.load()
