"""Literary register: is a text classical Chinese or verse rather than modern chat?

Classical poems and the children's primers (唐诗三百首, 千家诗, 诗经, 三字经…) are full of
two-character sequences that merely sound like modern insults or sexual words: 北土非吾愿 reads
"fei wu" (废物), 清瑟 "qing se" (情色), 相思调 "xiang si diao" (想死掉). Disguised harm is written
in modern colloquial Chinese, so the matcher drops sound-alike readings in literary text; words
actually written (殺人, 妓女) still match.

A text is literary when it has at least `min_cjk` Chinese characters, almost none of them modern
particles or pronouns, and either several kinds of classical particles (之乎者也兮…) or the shape
of verse (two or more clauses, nearly all 3–9 characters long, equal in length or three or more). The
character sets and limits are data (filters/data/register/literary.json).

Measured with the sets in `python -m filters.register` (tests/test_register.py keeps them):
most classical poems and primers are literary, and under 1% of harmful modern rows are.

A few words classical text uses in an ordinary sense (殺人 in a frontier poem, 幼女 a young daughter,
淫聲 licentious music: `classical_senses` in the data) are dropped even as written, but only in literary
text that also has a classical particle and no Latin letters or digits (`drop_classical_senses`): a
porn-site title has the shape of verse (幼女视频，免费观看，高清下载) but no particle, so it keeps blocking.
Harm written in classical Chinese itself (杀人之法，其术有三) would pass these words; the model still reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from filters import regex_cache

if TYPE_CHECKING:  # the matcher's hits; imported for annotations only
    from filters.match_hits import Hit

LITERARY_PATH = Path(__file__).resolve().parent / "data" / "register" / "literary.json"
_CLAUSE = regex_cache.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]+")
_LATIN_OR_DIGIT = regex_cache.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


@dataclass(frozen=True)
class Register:
    """The character sets and limits of literary_text()."""

    modern: frozenset[str]
    classical: frozenset[str]
    min_cjk: int
    max_modern_share: float
    min_classical_share: float
    min_classical_kinds: int
    clause_min: int
    clause_max: int
    min_mean_clause: float
    min_in_range_share: float
    classical_senses: frozenset[str] = frozenset()
    classical_senses_min_particles: int = 1

    @classmethod
    def load(cls, path: Path = LITERARY_PATH) -> Register:
        """Read the data file; a missing or malformed file raises (the matcher cannot be built)."""
        d = json.loads(path.read_text(encoding="utf-8"))
        lo, hi = d["verse_clause_lengths"]
        return cls(
            modern=frozenset(d["modern"]),
            classical=frozenset(d["classical"]),
            min_cjk=int(d["min_cjk"]),
            max_modern_share=float(d["max_modern_share"]),
            min_classical_share=float(d["min_classical_share"]),
            min_classical_kinds=int(d["min_classical_kinds"]),
            clause_min=int(lo),
            clause_max=int(hi),
            min_mean_clause=float(d["verse_min_mean_clause"]),
            min_in_range_share=float(d["verse_min_in_range_share"]),
            classical_senses=frozenset(d.get("classical_senses", ())),
            classical_senses_min_particles=int(d.get("classical_senses_min_particles", 1)),
        )

    def literary(self, text: str) -> bool:
        """True if `text` (any view that keeps Chinese characters and punctuation) is literary."""
        clauses = _CLAUSE.findall(text)
        n = sum(map(len, clauses))
        if n < self.min_cjk:
            return False
        chars = "".join(clauses)
        if sum(c in self.modern for c in chars) > self.max_modern_share * n:
            return False
        lengths = [len(c) for c in clauses]
        if (
            len(lengths) >= 2
            and sum(self.clause_min <= x <= self.clause_max for x in lengths) >= self.min_in_range_share * len(lengths)
            and n / len(lengths) >= self.min_mean_clause
            and (len(set(lengths)) == 1 or len(lengths) >= 3)
        ):
            return True
        classical = [c for c in chars if c in self.classical]
        return len(classical) >= self.min_classical_share * n and len(set(classical)) >= self.min_classical_kinds

    def classical_sense(self, text: str) -> bool:
        """True if words of `classical_senses` in `text` have their classical, ordinary sense: literary
        text with a classical particle and no Latin letters or digits (not a spam title shaped as verse)."""
        if _LATIN_OR_DIGIT.search(text):
            return False
        if sum(c in self.classical for c in text) < self.classical_senses_min_particles:
            return False
        return self.literary(text)


def drop_classical_senses(text: str, hits: list[Hit]) -> list[Hit]:
    """The hits left once words used in their classical sense (殺人 in a poem) are dropped (module docstring)."""
    reg = default_register()
    senses = reg.classical_senses
    if not any(h.entry.term in senses for h in hits) or not reg.classical_sense(text):
        return hits
    return [h for h in hits if h.entry.term not in senses]


@lru_cache(maxsize=1)
def default_register() -> Register:
    """The shipped register data, read once per process."""
    return Register.load()


def literary_text(text: str) -> bool:
    """True if `text` is classical Chinese or verse (see the module docstring)."""
    return default_register().literary(text)
