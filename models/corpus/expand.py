"""Fill templates with slot values, share a row budget among templates, split by template.

Every template draws from its own random stream (seeded from the global seed and the template
text), so adding or editing one template does not change the rows of the others.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Sequence

from models.corpus.loader import Choice, Parts, Template


def stable_int(*parts: str) -> int:
    """A platform-independent 64-bit hash of some strings."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def template_rng(seed: int, template: Template) -> random.Random:
    return random.Random(stable_int(str(seed), template.label, template.lang, template.text))


def _is_sentence(value: str) -> bool:
    """A slot value that is a whole phrase (6+ CJK-bearing characters, or 3+ English words)."""
    if re.search(r"[\u4e00-\u9fff]", value):
        return len(value) >= 6
    return len(value.split()) >= 3


def split_parts(parts: Parts, split: str, fraction: float = 0.15) -> Parts:
    """Keep only the sentence-like slot values that belong to `split` (about `fraction` of them
    are held-out-only, the rest train-only), so a held-out template cannot re-use a whole training
    sentence behind a new opener. Word-like values (keywords, names) are shared by both splits."""
    out: list[str | Choice] = []
    for p in parts:
        if not isinstance(p, Choice):
            out.append(p)
            continue
        options = []
        for opt in p.options:
            if len(opt) == 1 and isinstance(opt[0], str) and _is_sentence(opt[0]):
                held = stable_int("value-split", opt[0]) % 1000 < fraction * 1000
                if held != (split == "heldout"):
                    continue
                options.append(opt)
            else:
                options.append(tuple(split_parts(opt, split, fraction)))
        out.append(Choice(tuple(options)) if options else p)
    return tuple(out)


def fill_parts(parts: Parts, rng: random.Random) -> str:
    out = []
    for p in parts:
        out.append(fill_parts(rng.choice(p.options), rng) if isinstance(p, Choice) else p)
    return "".join(out)


def fill(template: Template, rng: random.Random) -> str:
    """One random filling of a template."""
    return fill_parts(template.parts, rng)


def sample(template: Template, n: int, rng: random.Random) -> list[str]:
    """Up to n distinct fillings (fewer when the template has fewer)."""
    if n <= 0:
        return []
    seen: dict[str, None] = {}
    want = min(n, template.capacity)
    tries = 0
    while len(seen) < want and tries < want * 8 + 20:
        text = " ".join(fill(template, rng).split())
        if text:
            seen.setdefault(text, None)
        tries += 1
    return list(seen)


def allocate(templates: Sequence[Template], budget: int, cap_factor: float = 3.0) -> list[int]:
    """Share `budget` rows among templates as evenly as their capacities allow; no template
    gets more than `cap_factor` times the even share, so one big template cannot dominate."""
    counts = [0] * len(templates)
    if not templates:
        return counts
    ceiling = max(1, int(cap_factor * budget / len(templates)))
    open_ix = list(range(len(templates)))
    left = budget
    while left > 0 and open_ix:
        share = max(1, left // len(open_ix))
        still_open = []
        for i in open_ix:
            if left <= 0:
                still_open.append(i)
                continue
            limit = min(templates[i].capacity, ceiling)
            take = min(share, limit - counts[i], left)
            counts[i] += take
            left -= take
            if limit - counts[i] > 0:
                still_open.append(i)
        open_ix = still_open
    return counts


def choose_heldout(templates: Iterable[Template], fraction: float, seed: int) -> set[str]:
    """Template ids held out from training: about `fraction` of each (label, lang) group,
    at least one per group of two or more templates, chosen by a stable hash of the text."""
    groups: dict[tuple[str, str], list[Template]] = {}
    for t in templates:
        groups.setdefault((t.label, t.lang), []).append(t)
    held: set[str] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        ranked = sorted(group, key=lambda t: stable_int("heldout", str(seed), t.text))
        k = max(1, round(len(group) * fraction))
        held.update(t.tid for t in ranked[:k])
    return held
