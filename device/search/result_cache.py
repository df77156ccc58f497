"""The result filter's decisions remembered per (text filter, policy), so a query filters no result twice.

    cache = DecisionCache()
    table = cache.table(key)          # {(title, snippet, url): Decision}; a new key starts empty
    filter_key(text_filter, policy)   # None when the filter cannot say what it holds (no caching then)

A result's decision depends only on its title, snippet and URL, the text filter's word packs and model,
and the filter policy; the key is exactly those, so a cached decision is the decision the filter would
make again (tests/test_device_search_cache.py compares every entry of the index both ways). A pack
update (`TextFilter.use_packs`, which changes the filter in place) or another model gives a new key, and
so does a parent's policy change; only the last `keep` keys are kept (memory stays bounded).
The embedded index is static, so the pipeline fills the table for all of it in the background
(SearchPipeline.warm); results from a live provider (SearXNG) are remembered as they come, up to
`max_entries` per key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from filters.policy import FilterPolicy

ContentKey = tuple[str, str, str]


def filter_key(text_filter: Any, policy: FilterPolicy) -> tuple[Any, ...] | None:
    """What a verdict depends on besides the text: the packs (name, digest), the model object, the policy."""
    packs = getattr(text_filter, "packs", None)
    if packs is None:
        return None
    stamp = tuple((p.name, getattr(p, "sha256", None) or id(p)) for p in packs)
    # the objects themselves (not their ids, which a later object could reuse): the key keeps them alive
    return (text_filter, stamp, getattr(text_filter, "classifier", None), policy)


class DecisionCache:
    def __init__(self, keep: int = 2, max_entries: int = 50_000) -> None:
        self.keep = keep
        self.max_entries = max_entries
        self._tables: OrderedDict[Any, dict[ContentKey, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def table(self, key: Any) -> dict[ContentKey, Any]:
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                table = self._tables[key] = {}
                while len(self._tables) > self.keep:
                    self._tables.popitem(last=False)
            else:
                self._tables.move_to_end(key)
            return table

    def remember(self, table: dict[ContentKey, Any], content: ContentKey, decision: Any) -> None:
        if len(table) < self.max_entries:
            table[content] = decision
