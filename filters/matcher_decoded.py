"""The matcher's scan of disguised English words: decode the tokens (p0rn, sports bett*ng, fuuuck,
slvt), rescan the decoded text, and map its matches back to the text as written.

A token with several readings (sl*t: slit, slot, slut) is read each way in turn, likeliest first, until
one reading of the text matches. When every token has one reading, the rescan is skipped if no decoded
word can be part of a match (filters/decoded_gate.py).

An allow-context does not veto a match that covers a leetspeak word: the context is an ordinary sense that
only the plain spelling has ("the ass carried the load", "Balaam's ass"); nobody writes a donkey as a$$, so
"such an a$$" is the insult. A masked or stretched word keeps the veto (a** and sl*t have other readings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filters import matcher_scan
from filters.disguise import Choice, Replacement, apply, apply_view
from filters.match_hits import Hit, RawHit
from filters.normalize import Views

if TYPE_CHECKING:
    from filters.matcher import Matcher


def scan_decoded(m: Matcher, views: Views) -> list[Hit]:
    """Matches of `m` that need a disguised English word of the text decoded first."""
    text = views.text
    tokens = views.token
    choices = m.disguises.token_choices(tokens)
    if not choices:
        return []
    rounds = max(len(c[2]) for c in choices)
    for k in range(rounds):
        reps = reading(choices, k)
        decoded_fold = m.norm.fold_text(text, apply(tokens, reps), clean=True)
        if rounds == 1 and cannot_match(m, views, decoded_fold, reps):
            return []  # no decoded word can be part of a match (filters/decoded_gate.py)
        if m.scan_fold(decoded_fold) or (leet(reps) and unvetoed(m, decoded_fold)):
            break
    else:
        return []
    tview = m.norm.token_view(text)
    if tview.text != tokens:
        reps = reading(m.disguises.token_choices(tview.text), k)
    decoded = apply_view(tview.text, tview.offsets, reps)
    view = m.norm.fold_view_of(decoded)
    spans = [(tview.offsets[a][0], tview.offsets[b - 1][1], name) for a, b, _, name in reps]
    hits = []
    for r in unvetoed(m, view.text) if leet(reps) else m.scan_fold(view.text):
        a, b = view.span(r.start, r.end)
        names = [n for s0, e0, n in spans if s0 < b and a < e0]
        if not names:
            continue
        if "leet" not in names and m._allowed(view.text, r.index, r.start, r.end):
            continue  # an allow-context vetoes a match of no leetspeak word (see the module docstring)
        hits.append(Hit(m.entries[r.index], (a, b), text[a:b], names[0]))
    return hits


def leet(reps: list[Replacement]) -> bool:
    """True if a token of this reading is decoded leetspeak (a$$, sh1t)."""
    return any(name == "leet" for *_, name in reps)


def unvetoed(m: Matcher, fold: str) -> list[RawHit]:
    """Matches of a fold-view string before the allow-contexts' veto (the caller applies it)."""
    return matcher_scan.scan_folds(m, [fold], allow=False)[0]


def cannot_match(m: Matcher, views: Views, decoded_fold: str, reps: list[Replacement]) -> bool:
    """True if no match of the decoded fold view can overlap a decoded word (one reading per token: with
    several, the first reading with any match at all ends the search, so every reading is scanned)."""
    return m.norm.one_to_one(views.text, token=True) and not m._decoded_gate().may_match(
        decoded_fold, (w for _, _, w, _ in reps))


def reading(choices: list[Choice], k: int) -> list[Replacement]:
    """The k-th reading of a text's disguised tokens (a token with fewer readings keeps its last)."""
    return [(a, b, *readings[min(k, len(readings) - 1)]) for a, b, readings in choices]
