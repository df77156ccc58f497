"""Co-occurrence rules: harm that no single word reveals, found from cues of 2-4 groups near each other.

    combos = ComboMatcher.load(normalizer=norm, segmenter=seg)     # filters/data/combos/*.json
    combos.reasons(views, policy)   # [Reason(rule="combo:fraud:parttime_task_scam", ...)]

Every cue of every rule is one key of a single pyahocorasick automaton, scanned once per text over the
*fold view* the matcher already built (`Views.fold`: full width, case, traditional characters,
inserted symbols/emoji/zero-width characters and spaced letters are already undone), after one more
step: each number (a digit run such as 180-500, or a Chinese amount such as 五百, 三千) becomes "0",
so a cue "日赚{n}" or "call {n}" is a plain key. Latin cues match whole words (a trailing "*" in a cue
makes it a prefix: "winn*"); an all-Chinese cue is dropped when the text's most probable segmentation
puts a word across its edge (节日|结束 holds no 日结), as for word-pack terms.

A rule fires when, inside `window` fold characters, cues of at least `min_groups` of its groups (and
every `required` group) occur, and none of its `unless` cues (anti-fraud advice, news about a scam)
occurs within a window of that stretch. It then gives one Reason, like a word-pack hit: kind
"lexicon", rule "combo:FILE:RULE", the span from its first to its last cue, view "fold", blocking when
the policy blocks the category at that severity. Most texts hold cues of at most one group of any
rule; they cost the automaton pass and a set lookup per cue found.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import ahocorasick

from filters.combo_rules import COMBOS_DIR, NUMBER, ComboError, ComboFile, ComboRule, read_dir
from filters.policy import FilterPolicy
from filters.verdict import Reason

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_CJK_NUM = "零〇一二两三四五六七八九十百千万几"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# a digit run (180, 180 500, 1.5) or a Chinese amount that names a unit of ten or more (五百, 三千五, 十万);
# or the point where Latin letters or digits meet Chinese
_NUMBER = f"[0-9]+(?:[ .][0-9]+)*|[一二两三四五六七八九几十][十百千万][{_CJK_NUM}]*"
_SCAN_STEP = re.compile(f"{_NUMBER}|(?<=[{_CJK}])(?=[a-z])|(?<=[a-z0-9])(?=[{_CJK}])")
_ASCII_STEP = re.compile("[0-9]+(?:[ .][0-9]+)*")
_SCAN_HINT = re.compile("[0-9a-z十百千万]")  # a text without any of these needs no step
_DIGIT = re.compile("[0-9]")
UNLESS = -1  # group index of an `unless` cue


class _Views(Protocol):
    """What the engine's Views of a text give (filters/normalize.py)."""

    text: str

    @property
    def fold(self) -> str: ...

    @property
    def exact(self) -> _ExactView: ...


class _ExactView(Protocol):
    text: str

    def span(self, start: int, end: int) -> tuple[int, int]: ...


class _Segmenter(Protocol):
    def crosses(self, text: str, start: int, end: int) -> bool: ...


class _Folder(Protocol):
    def fold_text(self, text: str) -> str: ...


@dataclass(frozen=True, slots=True)
class _Key:
    """One automaton key: its length in the scanned string, its edge checks, the (rule, group) it serves."""

    length: int  # in UTF-8 bytes, with the padding spaces
    lead: int  # 1 if padded with a space before (a Latin cue starts a word), else 0
    tail: int  # 1 if padded with a space after (a Latin cue that is not a prefix ends a word), else 0
    segment: bool  # all Chinese, 2+ characters: vetoed when a word crosses its edge
    members: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ComboHit:
    rule: ComboRule
    span: tuple[int, int]  # in the original text
    matched: str
    cues: tuple[str, ...]  # the scanned-string cues that made it fire, in text order


def _step(fold: str) -> re.Pattern[str] | None:
    """The substitution a fold view needs (None: it has no number and no Latin run by Chinese)."""
    if fold.isascii():
        return _ASCII_STEP if _DIGIT.search(fold) else None
    return _SCAN_STEP if _SCAN_HINT.search(fold) else None  # one character class: fast


def _replacement(m: re.Match[str]) -> str:
    a, b = m.span()
    if a == b:
        return " "
    fold = m.string
    lead = a > 0 and _is_cjk(fold[a - 1])
    trail = b < len(fold) and _is_cjk(fold[b]) and _is_cjk(fold[b - 1])
    return " 0 " if lead and trail else " 0" if lead else "0 " if trail else "0"


def scan_view(fold: str) -> str:
    """The string the automaton scans: the fold view with each number as "0" and a space wherever
    Latin letters or digits touch Chinese ("加vx888" -> "加 vx 0"), so every Latin cue can be a whole
    word by padding it with spaces (`scan_map` maps it back to the fold view)."""
    step = _step(fold)
    if step is None:
        return fold
    return step.sub("0" if step is _ASCII_STEP else _replacement, fold)


def scan_map(fold: str) -> ScanMap | None:
    """Positions of `scan_view(fold)` back to the fold view (None: the two are the same)."""
    step = _step(fold)
    if step is None:
        return None
    anchors: list[tuple[int, int, int, int]] = []
    prev = length = 0
    for m in step.finditer(fold):
        a, b = m.span()
        rep = _replacement(m)
        length += a - prev
        anchors.append((length, len(rep), a, b))
        length += len(rep)
        prev = b
    return ScanMap(anchors) if anchors else None


class ScanMap:
    """Positions of the scanned string back to the fold view (as filters/normalize.SourceMap).

    anchors: (scanned start, scanned length, fold start, fold end) of each replaced or inserted run.
    """

    __slots__ = ("_anchors", "_starts")

    def __init__(self, anchors: list[tuple[int, int, int, int]]) -> None:
        self._anchors = anchors
        self._starts = [x[0] for x in anchors]

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Fold span of the scanned span [a, b)."""
        return self._pos(a, False), self._pos(b - 1, True)

    def _pos(self, p: int, end: bool) -> int:
        i = bisect.bisect_right(self._starts, p) - 1
        if i < 0:
            return p + end
        s0, n, f0, f1 = self._anchors[i]
        if p < s0 + n:
            return f1 if end else f0
        return f1 + (p - s0 - n) + end


class ComboMatcher:
    """The co-occurrence rules of a folder, compiled into one automaton."""

    def __init__(self, files: Sequence[ComboFile], normalizer: _Folder, segmenter: _Segmenter | None = None) -> None:
        self.files = tuple(files)
        self.rules: tuple[ComboRule, ...] = tuple(r for f in self.files for r in f.rules)
        self.segmenter = segmenter
        members: dict[str, dict[tuple[int, int], None]] = {}
        flags: dict[str, bool] = {}
        for ri, rule in enumerate(self.rules):
            cue_lists = [(gi, g.cues) for gi, g in enumerate(rule.groups)] + [(UNLESS, rule.unless)]
            for gi, cues in cue_lists:
                for cue in cues:
                    try:
                        key, prefix = self.fold_cue(cue, normalizer)
                    except ComboError as exc:
                        raise ComboError(f"rule file {rule.file!r}, rule {rule.name!r}: {exc}") from None
                    if not key:
                        continue
                    members.setdefault(key, {})[(ri, gi)] = None
                    flags[key] = flags.get(key, True) and prefix
        self._keys: list[_Key] = []
        self._auto = ahocorasick.Automaton() if members else None
        for key, owners in members.items():
            lead, tail = int(key[0] in _ALNUM), int(key[-1] in _ALNUM and not flags[key])
            encoded = _bytewise(" " * lead + key + " " * tail)
            self._keys.append(
                _Key(len(encoded), lead, tail, len(key) >= 2 and all(_is_cjk(c) for c in key), tuple(owners))
            )
            self._auto.add_word(encoded, len(self._keys) - 1)  # type: ignore[union-attr]
        if self._auto is not None:
            self._auto.make_automaton()
        self._required = [frozenset(i for i, g in enumerate(r.groups) if g.required) for r in self.rules]

    @classmethod
    def load(cls, rules_dir: str | Path = COMBOS_DIR, *, normalizer: _Folder,
             segmenter: _Segmenter | None = None) -> ComboMatcher:
        """Rules from a folder; a bad file raises filters.combo_rules.ComboError (nothing is half-loaded)."""
        return cls(read_dir(Path(rules_dir)), normalizer, segmenter)

    @staticmethod
    def fold_cue(cue: str, normalizer: _Folder) -> tuple[str, bool]:
        """(scanned-string key, is a prefix cue) of a cue as written in a rule file."""
        prefix = cue.endswith("*")
        raw = cue[:-1] if prefix else cue
        folded = normalizer.fold_text(raw.replace(NUMBER, "7")).strip(" ")
        key = scan_view(" " + folded + " ").strip(" ")
        if key and not any(c.isalpha() for c in key):
            raise ComboError(f"cue {cue!r}: a cue of digits only would match every number")
        return key, prefix

    def versions(self) -> dict[str, str]:
        """Rule file name -> "VERSION+DIGEST"."""
        return {f.name: f.label for f in self.files}

    # --- matching -------------------------------------------------------------------------------
    def _scan(self, fold: str) -> tuple[str, list[tuple[int, int, int]]]:
        """(scanned string, [(key index, start, end)]) of every cue found.

        The automaton runs over the UTF-8 bytes of the string (as a Latin-1 str): each trie node then
        has at most a few dozen children, where Chinese first characters made the root hundreds wide
        (pyahocorasick scans a node's children one by one). Latin cues carry their padding spaces, so
        "i" never matches inside "it". Positions are bytes, without the padding; `_to_chars` turns them
        into characters for the few texts that need it.
        """
        scanned = scan_view(fold)
        found: list[tuple[int, int, int]] = []
        if self._auto is None:
            return scanned, found
        keys = self._keys
        for end, ki in self._auto.iter(_bytewise(scanned)):
            k = keys[ki]
            found.append((ki, end + 1 - k.length + k.lead, end + 1 - k.tail))
        return scanned, found

    @staticmethod
    def _to_chars(scanned: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Byte positions of `_scan` as character positions of the scanned string."""
        if scanned.isascii():
            return found
        starts = [m.start() for m in _CHAR_START.finditer(_bytewise(scanned))]
        return [(ki, bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for ki, a, b in found]

    def find(self, views: _Views) -> list[ComboHit]:
        """The rules that fire in a text (one hit per rule at most)."""
        if self._auto is None:
            return []
        fold = views.fold
        fired = self._fire_all(fold)
        if not fired:
            return []
        exact = views.exact  # built only now: most texts never need the offsets
        if exact.text != fold:  # rare: the explained view differs; use its coordinates throughout
            fired = self._fire_all(exact.text)
        out: list[ComboHit] = []
        for ri, (fs, fe), cues in fired:
            oa, ob = exact.span(fs, fe)
            out.append(ComboHit(self.rules[ri], (oa, ob), views.text[oa:ob], cues))
        return out

    def _fire_all(self, fold: str) -> list[tuple[int, tuple[int, int], tuple[str, ...]]]:
        """(rule index, fold span, cues) of each rule that fires in a fold view."""
        scanned, found = self._scan(fold)
        if not found:
            return []
        candidates = self._candidates(found)
        if not candidates:
            return []
        found = self._to_chars(scanned, found)
        smap = scan_map(fold)

        def to_fold(a: int, b: int) -> tuple[int, int]:
            return (a, b) if smap is None else smap.span(a, b)
        vetoed: dict[tuple[int, int, int], bool] = {}

        def keep(hit: tuple[int, int, int]) -> bool:
            ki, a, b = hit
            if not self._keys[ki].segment or self.segmenter is None:
                return True
            if hit not in vetoed:
                fs, fe = to_fold(a, b)
                vetoed[hit] = self.segmenter.crosses(fold, fs, fe)
            return not vetoed[hit]

        out = []
        for ri in candidates:
            events = sorted(
                (a, b, gi, ki) for ki, a, b in found for r, gi in self._keys[ki].members
                if r == ri and keep((ki, a, b))
            )
            fired = self._fire(ri, events)
            if fired is not None:
                a, b, cues = fired
                out.append((ri, to_fold(a, b), tuple(scanned[x:y] for x, y in cues)))
        return out

    def _candidates(self, found: list[tuple[int, int, int]]) -> list[int]:
        """Rules with cues of enough groups anywhere in the text (before windows and vetoes)."""
        groups: dict[int, set[int]] = {}
        for ki, _, _ in found:
            for ri, gi in self._keys[ki].members:
                if gi != UNLESS:
                    groups.setdefault(ri, set()).add(gi)
        return sorted(
            ri for ri, gs in groups.items()
            if len(gs) >= self.rules[ri].min_groups and self._required[ri] <= gs
        )

    def _fire(self, ri: int, events: list[tuple[int, int, int, int]]) -> tuple[int, int, list[tuple[int, int]]] | None:
        """The first stretch of at most `window` characters with cues of enough groups and no veto near it."""
        rule = self.rules[ri]
        required = self._required[ri]
        vetoes = [(a, b) for a, b, gi, _ in events if gi == UNLESS]
        cues = [e for e in events if e[2] != UNLESS]
        counts: Counter[int] = Counter()
        left = 0
        for right, (_, b_r, g_r, _) in enumerate(cues):
            counts[g_r] += 1
            while b_r - cues[left][0] > rule.window:
                counts[cues[left][2]] -= 1
                left += 1
            present = {g for g, c in counts.items() if c > 0}
            if len(present) < rule.min_groups or not required <= present:
                continue
            a = cues[left][0]
            end = right + 1  # the stretch goes on over the rule's later cues within the window
            while end < len(cues) and cues[end][1] - a <= rule.window:
                end += 1
            stretch = cues[left:end]
            b = max(e[1] for e in stretch)
            if any(va < b + rule.window and a - rule.window < vb for va, vb in vetoes):
                continue
            return a, b, [(e[0], e[1]) for e in stretch]
        return None

    def reasons(self, views: _Views, policy: FilterPolicy) -> list[Reason]:
        """One lexicon-kind Reason per rule that fires (blocking as the policy says for its category)."""
        return [
            Reason(
                category=h.rule.category,
                rule=h.rule.rule_id,
                span=h.span,
                matched=h.matched,
                kind="lexicon",
                severity=h.rule.severity,
                view="fold",
                blocking=h.rule.category in policy.blocked_categories and h.rule.severity >= policy.min_severity,
            )
            for h in self.find(views)
        ]


def _bytewise(text: str) -> str:
    """The UTF-8 bytes of a text as a str of code points 0-255 (what the automaton scans)."""
    return text.encode("utf-8").decode("latin-1")


_CHAR_START = re.compile("[^\x80-\xbf]")  # a byte that starts a UTF-8 character


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
