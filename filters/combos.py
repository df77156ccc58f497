"""Co-occurrence rules: harm that no single word reveals, found from cues of 2-4 groups near each other.

    combos = ComboMatcher.load(normalizer=norm, segmenter=seg)     # filters/data/combos/*.json
    combos.reasons(views, policy)   # [Reason(rule="combo:fraud:parttime_task_scam", ...)]

Every cue of every rule is one key of a single pyahocorasick automaton, scanned once per text over the
*fold view* the matcher already built (`Views.fold`: full width, case, traditional characters,
inserted symbols/emoji/zero-width characters and spaced letters are already undone), after the steps
of filters/combo_scan.py: each number becomes "0" (so a cue "日赚{n}" or "call {n}" is a plain key; a run
of 6-12 digits becomes "0 0", which a cue's {n} matches inside and a cue's {id} alone matches: 加{id}) and
Latin runs touching Chinese get spaces (so Latin cues, padded with spaces, match whole words; a trailing
"*" in a cue makes it a prefix: "winn*"). An all-Chinese cue is dropped when the text's most probable
segmentation puts a word across its edge (节日|结束 holds no 日结), as for word-pack terms; a cue written
"=默" counts only as a word of its own (filters/combo_edge.py: not inside 沉默 or 默认). Chinese cues
written partly in pinyin (刷dan, jian职) are found by a second automaton over the normaliser's syllable
codes, which runs only on texts where Latin letters touch Chinese.

A rule fires when, inside `window` fold characters, cues of at least `min_groups` of its groups (and
every `required` group) occur, and none of its `unless` cues (anti-fraud advice, news about a scam)
occurs within a window of that stretch (an `unless` cue inside one of the rule file's `disclaimers`, such as
"racist" in "not racist but", does not count). It then gives one Reason, like a word-pack hit: kind
"lexicon", rule "combo:FILE:RULE", the span from its first to its last cue, view "fold", blocking when
the policy blocks the category at that severity. Most texts hold cues of at most one group of any
rule; they cost the automaton pass and a set lookup per cue found.

A parent's allow words stand a rule down cue by cue: a cue that lies entirely inside an occurrence of an
allowed word (fold view, as for word-pack hits) does not count for its group, so allowing "秘密花园"
keeps its 秘密 from being a secrecy cue while "这是我们的秘密" still is one. `unless` cues are never
dropped this way (an allow word must not make a rule fire), and a cue longer than the allowed word
always counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

import ahocorasick

from filters.combo_edge import split_mark, whole_word
from filters.combo_rules import COMBOS_DIR, LONG_NUMBER, NUMBER, ComboError, ComboFile, ComboRule, read_dir
from filters.combo_scan import CueGroups, bytewise, char_spans, is_cjk, scan_map, scan_view
from filters.combo_sound import SoundAlike
from filters.combo_window import DISCLAIMER, UNLESS, drop_excepted, except_index, fire_window
from filters.homophone_rules import HOMOPHONE_WORD_FREQ  # the word-pack matcher's bound
from filters.match_hits import covered
from filters.policy import FilterPolicy
from filters.verdict import Reason

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
LOGGER = "kidsafe.combos"  # (logging is imported on the first failure: its import is ~5 ms of every start-up)


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


class _Key(NamedTuple):
    """One automaton key: its length in the scanned string, its edge checks, the (rule, group) it serves.

    A named tuple, not a frozen dataclass: the compiled-rules cache (filters/combo_cache.py) unpickles
    thousands of them at start-up, ~6x faster as tuples."""

    length: int  # in UTF-8 bytes, with the padding spaces
    lead: int  # 1 if padded with a space before (a Latin cue starts a word), else 0
    tail: int  # 1 if padded with a space after (a Latin cue that is not a prefix ends a word), else 0
    segment: bool  # all Chinese, 2+ characters: vetoed when a word crosses its edge
    members: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ComboHit:
    """A rule that fired in a text: where, the text there, and the cues that made it fire."""

    rule: ComboRule
    span: tuple[int, int]  # in the original text
    matched: str
    cues: tuple[str, ...]  # the scanned-string cues that made it fire, in text order


class ComboMatcher:
    """The co-occurrence rules of a folder, compiled into one automaton."""

    def __init__(self, files: Sequence[ComboFile], normalizer: _Folder, segmenter: _Segmenter | None = None) -> None:
        self.files = tuple(files)
        self.rules: tuple[ComboRule, ...] = tuple(r for f in self.files for r in f.rules)
        self.segmenter = segmenter
        members: dict[str, dict[tuple[int, int], None]] = {}
        pairs: dict[tuple[int, int], tuple[int, int]] = {}  # one tuple per (rule, group): stored once (cache)
        flags: dict[str, bool] = {}
        sound: set[str] = set()  # keys of `sound_alike` groups
        whole: dict[str, set[tuple[int, int]]] = {}  # key -> the (rule, group)s that wrote it "=CUE" (combo_edge)
        for ri, rule in enumerate(self.rules):
            cue_lists = [*enumerate(g.cues for g in rule.groups), (UNLESS, rule.unless), (DISCLAIMER, rule.disclaimers)]
            cue_lists += [(except_index(gi), g.excepts) for gi, g in enumerate(rule.groups) if g.excepts]
            for gi, cues in cue_lists:
                for marked in cues:
                    cue, is_whole = split_mark(marked)
                    try:
                        key, prefix = self.fold_cue(cue, normalizer)
                    except ComboError as exc:
                        raise ComboError(f"rule file {rule.file!r}, rule {rule.name!r}: {exc}") from None
                    if not key:
                        continue
                    members.setdefault(key, {})[pairs.setdefault((ri, gi), (ri, gi))] = None
                    if is_whole:
                        whole.setdefault(key, set()).add((ri, gi))
                    flags[key] = flags.get(key, True) and prefix
                    if gi >= 0 and rule.groups[gi].sound_alike:
                        sound.add(key)
        self._keys: list[_Key] = []
        self._texts = list(members)  # each key's cue text (unpadded), by key index
        self._auto = ahocorasick.Automaton() if members else None
        for key, owners in members.items():
            lead, tail = int(key[0] in _ALNUM), int(key[-1] in _ALNUM and not flags[key])
            encoded = bytewise(" " * lead + key + " " * tail)
            self._keys.append(
                _Key(len(encoded), lead, tail, len(key) >= 2 and all(is_cjk(c) for c in key), tuple(owners))
            )
            self._auto.add_word(encoded, len(self._keys) - 1)  # type: ignore[union-attr]
        if self._auto is not None:
            self._auto.make_automaton()
        # key index -> the (rule, group)s for which that cue counts only as a whole word (filters/combo_edge.py)
        self._whole = {ki: frozenset(whole[k]) for ki, k in enumerate(self._texts) if k in whole}
        self._norm = normalizer
        self._syl_auto = self._syllable_automaton(normalizer)
        # sound-alike cues (filters/combo_sound.py), looked for only where a cue of such a rule was found
        tables = getattr(normalizer, "tables", None)
        self._sound = SoundAlike(tables, [(ki, k) for ki, k in enumerate(self._texts)
                                          if k in sound and self._keys[ki].segment]) if sound and tables else None
        # per key: the (rule, group) it serves among the other groups of rules with a sound-alike group
        self._feeds_sound = [tuple((ri, gi) for ri, gi in k.members if gi >= 0
                                   and any(g.sound_alike for g in self.rules[ri].groups)
                                   and not self.rules[ri].groups[gi].sound_alike) for k in self._keys]
        self._sound_required = [frozenset(i for i, g in enumerate(r.groups) if g.required and not g.sound_alike)
                                for r in self.rules]
        self._required = [frozenset(i for i, g in enumerate(r.groups) if g.required) for r in self.rules]
        self._excepts = [any(g.excepts for g in r.groups) for r in self.rules]
        self._groups = CueGroups(self._keys, [r.min_groups for r in self.rules], self._required)
        self._failed = False  # logged a matching error already
        self._folded_allow: dict[tuple[str, ...], frozenset[str]] = {}

    def _syllable_automaton(self, normalizer: _Folder) -> ahocorasick.Automaton | None:
        """Chinese cues of 2+ characters by the toneless pinyin of each character (filters/normalize.py's
        syllable codes), for pinyin written next to characters (刷dan, jian职); None if the normaliser
        has no syllable view."""
        encode = getattr(getattr(normalizer, "tables", None), "encode_syllables", None)
        if encode is None or not hasattr(normalizer, "syllable_source"):
            return None
        auto = ahocorasick.Automaton()
        for ki, key in enumerate(self._texts):
            if self._keys[ki].segment:
                auto.add_word(encode(key), ki)
        if not len(auto):
            return None
        auto.make_automaton()
        return auto

    def _syllable_hits(self, fold: str) -> list[tuple[int, int, int]]:
        """(key index, fold start, fold end) of Chinese cues written partly in pinyin (only texts with
        Latin letters touching Chinese have any; homophones written in characters are left alone)."""
        if self._syl_auto is None:
            return []
        source, fmap = self._norm.syllable_source(fold)  # type: ignore[attr-defined]
        if fmap is None:
            return []
        code = self._norm.tables.encode_syllables(source)  # type: ignore[attr-defined]
        out = []
        for end_sym, ki in self._syl_auto.iter(code):
            se = (end_sym + 1) // 2
            ss = se - self._keys[ki].length // 3  # an all-Chinese key: 3 UTF-8 bytes a character
            if not fmap.is_replaced(ss, se):
                continue  # all characters: the main scan saw them (or they are only homophones)
            fs, fe = fmap.start(ss), fmap.end(se - 1)
            cue = self._texts[ki]
            if any(is_cjk(c) and c not in cue for c in fold[fs:fe]):
                continue  # a written character must be the cue's own (du吗 is not 赌马)
            overlapped = getattr(self.segmenter, "overlapped", None)
            if overlapped is not None and overlapped(fold, fs, fe, HOMOPHONE_WORD_FREQ):
                continue  # a common word runs across its edge (节日jie束 holds no 日结)
            out.append((ki, fs, fe))
        return out

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
        folded = normalizer.fold_text(raw.replace(NUMBER, "7").replace(LONG_NUMBER, "1234567")).strip(" ")
        key = scan_view(" " + folded + " ").strip(" ")
        if key and not any(c.isalpha() for c in key):
            raise ComboError(f"cue {cue!r}: a cue of digits only would match every number")
        return key, prefix

    def versions(self) -> dict[str, str]:
        """Rule file name -> "VERSION+DIGEST"."""
        return {f.name: f.label for f in self.files}

    # --- matching -------------------------------------------------------------------------------
    def _scan(self, fold: str) -> tuple[str, list[tuple[int, int]]]:
        """(scanned string, [(end, key index)]) of every cue found (the automaton's own pairs, listed in C;
        `_spans` gives their positions, needed only where a rule may fire).

        The automaton runs over the UTF-8 bytes of the string (as a Latin-1 str): each trie node then
        has at most a few dozen children, where Chinese first characters made the root hundreds wide
        (pyahocorasick scans a node's children one by one). Latin cues carry their padding spaces, so
        "i" never matches inside "it". Positions are bytes, without the padding; `_to_chars` turns them
        into characters for the few texts that need it.
        """
        scanned = scan_view(fold)
        if self._auto is None:
            return scanned, []
        return scanned, list(self._auto.iter(bytewise(scanned)))

    def _spans(self, found: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """(key index, start, end) in bytes of the scanned string, without the padding, of `_scan`'s pairs."""
        keys = self._keys
        out = []
        for end, ki in found:
            k = keys[ki]
            out.append((ki, end + 1 - k.length + k.lead, end + 1 - k.tail))
        return out

    @staticmethod
    def _to_chars(scanned: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Byte positions of `_scan` as character positions of the scanned string."""
        return char_spans(scanned, found)

    def allowed(self, allow_words: tuple[str, ...]) -> frozenset[str]:
        """A parent's allow words as fold-view strings (cached per policy, not per text; the engine's
        word-pack veto uses the same set)."""
        folded = self._folded_allow.get(allow_words)
        if folded is None:
            folded = frozenset(self._norm.fold_text(w).strip(" ") for w in allow_words) - {""}
            if len(self._folded_allow) >= 16:
                self._folded_allow.clear()
            self._folded_allow[allow_words] = folded
        return folded

    def find(self, views: _Views, allowed: frozenset[str] = frozenset()) -> list[ComboHit]:
        """The rules that fire in a text (one hit per rule at most); a cue inside one of the `allowed`
        fold-view words (a parent's allow words, see `allowed`) does not count."""
        if self._auto is None:
            return []
        fold = views.fold
        fired = self._fire_all(fold, allowed)
        if not fired:
            return []
        exact = views.exact  # built only now: most texts never need the offsets
        if exact.text != fold:  # rare: the explained view differs; use its coordinates throughout
            fired = self._fire_all(exact.text, allowed)
        out: list[ComboHit] = []
        for ri, (fs, fe), cues in fired:
            oa, ob = exact.span(fs, fe)
            out.append(ComboHit(self.rules[ri], (oa, ob), views.text[oa:ob], cues))
        return out

    def _fire_all(self, fold: str, allowed: frozenset[str] = frozenset()
                  ) -> list[tuple[int, tuple[int, int], tuple[str, ...]]]:
        """(rule index, fold span, cues) of each rule that fires in a fold view."""
        scanned, found = self._scan(fold)
        if not found:
            return []  # a rule needs cues of two groups: pinyin-spelt cues count only beside a written one
        spelt = self._syllable_hits(fold) if not fold.isascii() else []
        if self._sound and not fold.isascii() and self._sound_needed(found):
            spelt += self._sound.hits(fold, self._texts, self.segmenter)
        if len(found) + len(spelt) < 2:
            return []
        candidates = self._groups.candidates_of([ki for _, ki in found] + [ki for ki, _, _ in spelt])
        if not candidates:
            return []
        # only the cues of a candidate rule (their vetoes too) can make an event: the others are not placed at all
        rules_of = self._groups.rules_of
        wanted = frozenset(candidates)
        found = [x for x in found if not rules_of(x[1]).keys().isdisjoint(wanted)]  # (the shorter one is iterated)
        spelt = [x for x in spelt if not rules_of(x[0]).keys().isdisjoint(wanted)]
        smap = scan_map(fold)
        spans = self._to_chars(scanned, self._spans(found))
        hits = [(ki, *(smap.span(a, b) if smap else (a, b))) for ki, a, b in spans]
        hits += spelt  # fold coordinates from here on
        vetoed: dict[tuple[int, int, int], bool] = {}
        alone: dict[tuple[int, int, int], bool] = {}

        def keep(hit: tuple[int, int, int], ri: int, gi: int) -> bool:
            ki, a, b = hit
            if allowed and gi >= 0 and covered(fold, a, b, allowed):
                return False  # inside a word the parent allowed: not a cue (`unless`, disclaimer, `except` cues count)
            if ki in self._whole and (ri, gi) in self._whole[ki]:
                if hit not in alone:  # "=CUE": a word of its own, not inside 沉默 / 默认 (filters/combo_edge.py)
                    alone[hit] = whole_word(self.segmenter, fold, a, b)
                if not alone[hit]:
                    return False
            if not self._keys[ki].segment or self.segmenter is None:
                return True
            if hit not in vetoed:
                vetoed[hit] = self.segmenter.crosses(fold, a, b)
            return not vetoed[hit]

        out = []
        served = [rules_of(hit[0]) for hit in hits]
        for ri in candidates:
            events = []
            for hit, by_rule in zip(hits, served, strict=True):
                for gi in by_rule.get(ri, ()):
                    if keep(hit, ri, gi):
                        events.append((hit[1], hit[2], gi, hit[0]))
            events.sort()
            if self._excepts[ri]:
                events = drop_excepted(events)  # a group's cue inside its `except` phrase does not count
            fired = self._fire(ri, events)
            if fired is not None:
                a, b, cues = fired
                out.append((ri, (a, b), tuple(fold[x:y] for x, y in cues)))
        return out

    def _sound_needed(self, found: list[tuple[int, int]]) -> bool:
        """Whether a sound-alike cue could complete a rule: its other groups already have cues here."""
        present: dict[int, set[int]] = {}
        for _, ki in found:
            for ri, gi in self._feeds_sound[ki]:
                present.setdefault(ri, set()).add(gi)
        return any(len(gs) + 1 >= self.rules[ri].min_groups and self._sound_required[ri] <= gs
                   for ri, gs in present.items())

    def _fire(self, ri: int, events: list[tuple[int, int, int, int]]) -> tuple[int, int, list[tuple[int, int]]] | None:
        """The first stretch where rule `ri` fires (filters/combo_window.py), or None."""
        return fire_window(self.rules[ri], self._required[ri], events)

    def reasons(self, views: _Views, policy: FilterPolicy) -> list[Reason]:
        """One lexicon-kind Reason per rule that fires (blocking as the policy says for its category).

        A parent's allow words (`policy.allow_words`) drop the cues they cover (see the module docstring).
        Fails closed: if matching raises, the error is logged once and the text counts as a hit of
        every category the rules cover (rule "combo:unchecked", no span), never as "nothing found".
        """
        try:
            hits = self.find(views, self.allowed(policy.allow_words) if policy.allow_words else frozenset())
        except Exception as exc:  # noqa: BLE001 - any bug in matching must not pass a text unchecked
            if not self._failed:
                self._failed = True
                import logging

                logging.getLogger(LOGGER).error(
                    "co-occurrence rules failed (%s: %s); texts they cannot check are treated as hits",
                    type(exc).__name__, exc)
            return [
                Reason(category=c, rule="combo:unchecked", span=None, matched="", kind="lexicon", severity=3,
                       blocking=c in policy.blocked_categories)
                for c in sorted({r.category for r in self.rules})
            ]
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
            for h in hits
        ]

