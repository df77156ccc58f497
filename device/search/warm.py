"""Filter a static index once, in the background, so queries find every decision already made.

    warmer = IndexWarmer(result_filter, provider)     # provider with all_hits() (the embedded index)
    warmer.ensure(policy)     # starts a low-priority daemon thread unless this (filter, policy) is done
    warmer.warm(policy)       # the same, in the caller's thread (benchmarks, tests); returns entries

A policy change or a pack update gives a new cache key (result_cache.filter_key); the next query starts a
new pass and a pass for an old key stops early. Until a pass is done, queries filter what the cache
lacks themselves, so answers never wait for it and never differ from it. The pass works in small chunks
(the classifier's lock is never held long) and lowers its thread's CPU priority where Linux allows.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from filters.policy import FilterPolicy

log = logging.getLogger(__name__)

CHUNK = 12  # hits per filter call: 36 texts, a few ms of model time


class IndexWarmer:
    def __init__(self, result_filter: Any, provider: Any) -> None:
        self.result_filter = result_filter
        self.provider = provider
        self._lock = threading.Lock()
        self._started: set[Any] = set()  # cache keys with a pass running or done
        self._latest: Any = None
        self.passes: list[dict[str, Any]] = []  # {"entries", "cpu_s", "complete"} per finished pass

    def _static_hits(self) -> list[Any] | None:
        all_hits = getattr(self.provider, "all_hits", None)
        return all_hits() if callable(all_hits) else None

    def ensure(self, policy: FilterPolicy) -> None:
        key = self.result_filter.cache_key(policy)
        if key is None or not callable(getattr(self.provider, "all_hits", None)):
            return
        with self._lock:
            self._latest = key
            if key in self._started:
                return
            self._started = {k for k in self._started if k == self._latest} | {key}
        threading.Thread(target=self._run, args=(policy, key, True), name="kidsafe-index-warm", daemon=True).start()

    def warm(self, policy: FilterPolicy) -> int:
        key = self.result_filter.cache_key(policy)
        with self._lock:
            self._latest = key
            self._started.add(key)
        return self._run(policy, key, False)

    def stop(self) -> None:
        with self._lock:
            self._latest = None  # a running pass sees its key is no longer the latest and ends

    def _run(self, policy: FilterPolicy, key: Any, background: bool) -> int:
        if background and hasattr(os, "setpriority"):
            try:  # this thread only (Linux: a thread id is a process id for setpriority)
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 15)
            except OSError:
                pass
        t, done, total = time.thread_time(), 0, 0
        try:
            hits = self._static_hits() or []
            total = len(hits)
            for start in range(0, total, CHUNK):
                if self._latest != key:  # the policy or the packs changed: that pass is wasted
                    break
                chunk = hits[start:start + CHUNK]
                self.result_filter.filter(chunk, policy)
                done += len(chunk)
        except Exception:  # never breaks a search: queries filter what the cache lacks themselves
            log.exception("filtering the search index in advance failed")
            with self._lock:
                self._started.discard(key)
        cpu_s = time.thread_time() - t
        self.passes.append({"entries": done, "cpu_s": round(cpu_s, 3), "complete": total > 0 and done == total})
        log.info("search index filtered in advance: %d of %d entries in %.1f s CPU", done, total, cpu_s)
        return done
