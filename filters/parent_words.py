"""A parent's own words in a policy: block words matched like pack terms, allow words that veto pack hits.

`ParentWords.matcher(block_words)` gives a small Matcher of the block words (pack "policy", severity 3,
whole words), built once per word set and kept for the 16 latest sets. `drop_allowed(hits, views,
allowed)` drops the pack hits a parent's allow word equals or covers, in the fold view (never the
parent's own block words).
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict

from filters.lexicon import Entry
from filters.match_hits import Hit, covered
from filters.matcher import Matcher
from filters.normalize import Normalizer, Views
from filters.segment import Segmenter

MATCHERS_KEPT = 16
FOLDED_TERMS_KEPT = 65_536


class ParentWords:
    """The block-word matchers and folded pack terms of one filter (thread-safe)."""

    def __init__(self, normalizer: Normalizer, segmenter: Segmenter) -> None:
        self.normalizer = normalizer
        self.segmenter = segmenter
        self._matchers: OrderedDict[tuple[str, ...], Matcher] = OrderedDict()
        self._folded_terms: dict[str, str] = {}
        self._lock = threading.Lock()

    def matcher(self, words: tuple[str, ...]) -> Matcher:
        with self._lock:
            m = self._matchers.get(words)
            if m is None:
                entries = [Entry(w, "custom", 3, "word", False, (), "policy") for w in words]
                m = Matcher(entries, self.normalizer, self.segmenter, chaizi={})
                self._matchers[words] = m
                while len(self._matchers) > MATCHERS_KEPT:
                    self._matchers.popitem(last=False)
            else:
                self._matchers.move_to_end(words)
            return m

    def _fold_term(self, term: str) -> str:
        folded = self._folded_terms.get(term)
        if folded is None:
            if len(self._folded_terms) >= FOLDED_TERMS_KEPT:
                self._folded_terms.clear()
            folded = self._folded_terms[term] = self.normalizer.fold_text(term).strip(" ")
        return folded

    def drop_allowed(self, hits: list[Hit], views: Views, folded_allow: frozenset[str]) -> list[Hit]:
        """The hits less the pack hits an allow word (`folded_allow`: fold-view strings) equals or covers."""
        kept = []
        view = None
        for h in hits:
            if h.entry.pack != "policy":
                if self._fold_term(h.entry.term) in folded_allow:
                    continue
                if view is None:
                    view = views.exact
                    starts = [a for a, _ in view.offsets]
                fs = bisect.bisect_left(starts, h.span[0])
                fe = max(fs + 1, bisect.bisect_left(starts, h.span[1]))
                if covered(view.text, fs, fe, folded_allow):
                    continue
            kept.append(h)
        return kept
