"""TextFilter: the whole decision for one text — word packs, PII, classifier, policy — as a Verdict.

    tf = TextFilter.load(model_path=MODEL_PATH)   # packs from filters/data/packs
    verdict = tf.check("色 情 漫 画", policy)        # Verdict(action="block", ...)

Actions: "block" when any blocking reason exists (a lexicon term of a blocked category at or above
the policy's severity, a parent's block word, or the model under filters/fusion.py's rules);
otherwise "redact" when personal information was found (and the policy redacts it); else "allow".
Word packs can be replaced while running (`reload_packs`, `use_packs`): the new matcher is built
completely, then swapped in one assignment; a pack that fails to load leaves the old one in place.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from filters import combo_cache, pii_cache, premium_rate, readings, web_hosts
from filters.combos import COMBOS_DIR
from filters.entry_table import EntryChain
from filters.fusion import (
    ALONE_THRESHOLDS,
    CORROBORATE_RATIO,
    DEFAULT_ALONE_THRESHOLD,
    EVIDENCE_KINDS,
    MIN_UNITS_ALONE,
    SAFE_LABEL,
    model_reasons,
    model_windows,
    text_units,
)
from filters.homophone_reopen import VIEW as SOUND_ALIKE
from filters.lexicon import PACKS_DIR, LexiconError, Pack, check_replacement, load_packs
from filters.match_hits import Hit
from filters.matcher import Matcher
from filters.model_text import model_text
from filters.normalize import Normalizer, Views
from filters.parent_words import ParentWords
from filters.pii import PiiDetector, PiiMatch
from filters.policy import DEFAULT_POLICY, FilterPolicy
from filters.segment import Segmenter
from filters.verdict import ALLOW, BLOCK, REDACT, Reason, Verdict

CHUNK = 32_768  # longer texts are matched in overlapping chunks
OVERLAP = 128
MASK = "*"


class _Lexicon(NamedTuple):
    packs: tuple[Pack, ...]
    matcher: Matcher


# The compiled packs are immutable, and compiling ~45,000 terms takes seconds: filters of one process
# built from the same packs (by content digest) with the default normaliser share the latest one.
_SHARED_LOCK = threading.Lock()
_shared: dict[str, object] = {}


def _default_parts() -> tuple[Normalizer, Segmenter]:
    with _SHARED_LOCK:
        if "parts" not in _shared:
            _shared["parts"] = (Normalizer(), Segmenter())
        return _shared["parts"]  # type: ignore[return-value]


class TextFilter:
    def __init__(
        self,
        packs: list[Pack],
        classifier: object | None = None,
        model_error: str | None = None,
        normalizer: Normalizer | None = None,
        segmenter: Segmenter | None = None,
        cache_matchers: bool = True,
    ) -> None:
        """cache_matchers: keep built word-pack matchers in filters/matcher_cache.py's directory."""
        self._shared_parts = normalizer is None and segmenter is None
        if self._shared_parts:
            normalizer, segmenter = _default_parts()
        self.normalizer = normalizer or Normalizer()
        self.segmenter = segmenter or Segmenter()
        # the shipped PII detector, its patterns from the cache beside the matcher's (filters/pii_cache.py)
        self.pii = pii_cache.CachedPiiDetector.load() if cache_matchers else PiiDetector()
        self.classifier = classifier
        self.cache_matchers = cache_matchers
        self.model_error = model_error
        self._lexicon = self._build(packs)
        # co-occurrence rules (filters/combos.py): cues of several groups near each other in one text
        self.reload_combos()
        self._parent = ParentWords(self.normalizer, self.segmenter)  # a policy's block and allow words
        self._quiet: dict[tuple, float] = {}
        self._quiet_last: tuple[FilterPolicy, tuple, float] | None = None

    # --- construction ------------------------------------------------------------------------
    @classmethod
    def load(
        cls, packs_dir: str | Path | None = None, model_path: str | Path | None = None,
        labels_path: str | Path | None = None,
    ) -> TextFilter:
        """Packs from a directory (default: the shipped packs); the classifier if a path is given.

        A model that cannot be loaded does not stop the filter: it works on word lists alone and
        says so in every verdict's reasons.
        """
        packs = load_packs(packs_dir or PACKS_DIR)
        classifier, error = None, None
        if model_path is not None:
            classifier, error = load_classifier(Path(model_path), Path(labels_path) if labels_path else None)
        return cls(packs, classifier=classifier, model_error=error)

    def _build(self, packs: list[Pack]) -> _Lexicon:
        key = tuple((p.name, p.sha256) for p in packs)
        if self._shared_parts:
            with _SHARED_LOCK:
                cached = _shared.get("lexicon")
            if isinstance(cached, tuple) and cached[0] == key:
                return _Lexicon(tuple(packs), cached[1])
        entries = EntryChain(p.entries for p in packs)  # the packs' compact tables, not a copy of every entry
        # each pack's sha256 digests its whole content: together they identify the entries for the cache
        fingerprint = "|".join(f"{p.name}:{p.sha256}" for p in packs) if all(p.sha256 for p in packs) else None
        matcher = Matcher(entries, self.normalizer, self.segmenter, cache=self.cache_matchers, fingerprint=fingerprint)
        if self._shared_parts:
            with _SHARED_LOCK:
                _shared["lexicon"] = (key, matcher)  # only the latest: a reload frees the old one
        return _Lexicon(tuple(packs), matcher)

    @property
    def packs(self) -> tuple[Pack, ...]:
        return self._lexicon.packs

    def pack_versions(self) -> dict[str, str]:
        """Pack name -> "VERSION+DIGEST" (the digest changes whenever the content does)."""
        return {p.name: p.label for p in self._lexicon.packs}

    def use_packs(self, packs: list[Pack], drop_categories: tuple[str, ...] = ()) -> None:
        """Swap in new packs atomically (the matcher is fully built before the swap).

        Refused (LexiconError, old packs stay) if the set is empty, loses a category of the packs in
        force that `drop_categories` does not name, or changes a pack under its old version.
        """
        if not packs:
            raise LexiconError("refusing to replace the word packs with nothing")
        check_replacement(self._lexicon.packs, packs, drop_categories)
        self._lexicon = self._build(packs)

    def reload_packs(
        self, packs_dir: str | Path | None = None, drop_categories: tuple[str, ...] = ()
    ) -> dict[str, str]:
        """Reload packs from disk; on any error the current packs stay and the error is raised."""
        self.use_packs(load_packs(packs_dir or PACKS_DIR), drop_categories)
        return self.pack_versions()

    def reload_combos(self, rules_dir: str | Path = COMBOS_DIR) -> dict[str, str]:
        """Reload the co-occurrence rules; on any error (ComboError) the current rules stay."""
        self.combos = combo_cache.load_matcher(rules_dir, normalizer=self.normalizer, segmenter=self.segmenter)
        return self.combos.versions()

    # --- checking -----------------------------------------------------------------------------
    def check(self, text: str, policy: FilterPolicy = DEFAULT_POLICY) -> Verdict:
        return self.check_many([text], policy)[0]

    def check_many(self, texts: list[str], policy: FilterPolicy = DEFAULT_POLICY) -> list[Verdict]:
        """Verdicts for many texts: word lists per text, then one batched model call for those that need it.

        Same verdicts as check() per text. The model is not asked about a text whose score cannot
        matter (see `_needs_model`), which saves its cost on short texts with no word-list evidence.
        """
        for t in texts:
            if not isinstance(t, str):
                raise TypeError("check() takes a str; decode bytes first (errors='replace')")
        screened = self._screen_many(self._lexicon.matcher, texts, policy)
        asking = [s for s in screened if s.units is not None]
        if asking:
            inputs = [self._model_input(s) for s in asking]
            read = [(k, r.text) for k, (s, x) in enumerate(zip(asking, inputs, strict=True))
                    if (r := s.reading if x == s.text else readings.read(x))]  # 🀄国👨人, haet
            # 钕全 read as 女拳 (filters/homophone_reopen.py), not in a word or idiom by itself (耍单儿 as 刷单儿)
            read += [(k, r) for k, (s, x) in enumerate(zip(asking, inputs, strict=True))
                     if x == s.text and s.units >= MIN_UNITS_ALONE and (r := _sound_reading(s))]
            scores = self._predict_many(inputs + [r for _, r in read])
            for (k, _), other in zip(read, scores[len(inputs):], strict=True):
                scores[k] = _less_safe(scores[k], other)
            for s, one in zip(asking, scores[: len(inputs)], strict=True):
                s.scores = one
        return [self._decide(s, policy) for s in screened]

    def _screen(self, matcher: Matcher, text: str, policy: FilterPolicy) -> _Screened:
        """Word-list evidence for one text and whether the model must be asked."""
        return self._screen_many(matcher, [text], policy)[0]

    def _screen_many(self, matcher: Matcher, texts: list[str], policy: FilterPolicy) -> list[_Screened]:
        """`_screen` of each text, one step at a time over all of them (fold views, the word packs, the
        rules): each step's tables and automata then stay in the CPU's caches for the whole batch,
        where one text at a time had them evict each other (~10% of the word lists' time).

        A text that holds an emoji standing for a character (🀄国👨人; filters/emoji_readings.py) or misspelt
        English (haet, womenarefilth; filters/english_reading.py) is screened a second time, read
        (filters/readings.py), as one more text of the batch, and that reading's evidence joins the text's, its
        spans mapped back to the text as written: the fold view drops such emoji, which is right where they are
        noise (六⭐合🔥彩) and wrong where they are a character."""
        reads = {i: r for i, t in enumerate(texts) if (r := readings.read(t))}
        found, rules = self._word_evidence(matcher, [*texts, *(r.text for r in reads.values())], policy)
        for j, (i, reading) in enumerate(reads.items(), start=len(texts)):
            text = texts[i]
            seen = {(h.entry.pack, h.entry.term, h.span) for h in found[i]}
            for h in found[j]:
                span = readings.back(reading, h.span)
                if (h.entry.pack, h.entry.term, span) not in seen:
                    found[i].append(Hit(h.entry, span, text[span[0]:span[1]], readings.view(reading, h.span, h.view)))
            have = {r.rule for r in rules[i]}
            for r in rules[j]:
                if r.rule not in have:
                    span = readings.back(reading, r.span) if r.span else None
                    rules[i].append(replace(r, span=span, matched=text[span[0]:span[1]] if span else r.matched))
        n = len(texts)
        screened = [self._evidence(t, hits, fired, policy)
                    for t, hits, fired in zip(texts, found[:n], rules[:n], strict=True)]
        for i, reading in reads.items():
            screened[i].reading = reading  # the model is shown it too (check_many): read once
        return screened

    def _word_evidence(self, matcher: Matcher, texts: list[str], policy: FilterPolicy
                       ) -> tuple[list[list[Hit]], list[list[Reason]]]:
        """Each text's word-list hits (the packs, a parent's block words, less what its allow words cover)
        and the rules that fire on it."""
        norm = self.normalizer
        views = [Views(t, norm) for t in texts]
        for v in views:
            v.fold  # noqa: B018 - the fold table's one pass over every text
        found = self._find_many(matcher, views)
        # 388ds点top, xk3026.vip: a throwaway link-spam host, labelled by what the text sells (filters/web_hosts.py);
        # and premium-rate texts (filters/premium_rate.py)
        for i, t in enumerate(texts):
            if more := web_hosts.hits(t, found[i], views[i].fold) + premium_rate.hits(t):
                found[i] = [*found[i], *more]
        if policy.block_words:
            for hits, more in zip(found, self._find_many(self._parent.matcher(policy.block_words), views), strict=True):
                hits.extend(more)
        if policy.allow_words:
            allowed = self.combos.allowed(policy.allow_words)  # folded once per policy, shared with the rules
            found = [self._parent.drop_allowed(hits, v, allowed) if hits else hits
                     for hits, v in zip(found, views, strict=True)]
        combos = self.combos
        return found, [combos.reasons(v, policy) for v in views]

    def _evidence(self, text: str, hits: list[Hit], fired: list[Reason], policy: FilterPolicy) -> _Screened:
        """One text's word-list Reasons (its hits, then the rules that fired) and its units if the model
        must be asked."""
        evidence: list[Reason] = []  # every word-list hit; the model may corroborate a mild one
        sounds: list[tuple[tuple[int, int], str]] = []  # (span, term) of each sound-alike hit, in order
        for hit in hits:
            entry = hit.entry
            by_parent = entry.pack == "policy"
            if hit.view == SOUND_ALIKE:
                sounds.append((hit.span, entry.term))
            evidence.append(
                Reason(
                    category=entry.category,
                    rule=f"{'policy' if by_parent else 'lexicon'}:{entry.pack}:{entry.term}",
                    span=hit.span,
                    matched=hit.matched,
                    kind="policy" if by_parent else "lexicon",
                    severity=entry.severity,
                    view=hit.view,
                    blocking=by_parent
                    or (entry.category in policy.blocked_categories and entry.severity >= policy.min_severity
                        and hit.view != SOUND_ALIKE),  # a sound-alike blocks only if the model agrees (fusion)
                )
            )
        evidence.extend(fired)
        units = None
        if self.classifier is not None and policy.use_model and text.strip():
            units = text_units(text)
            if not _needs_model(evidence, units):
                units = None
        screened = _Screened(text, evidence, units)
        screened.sounds = sounds
        return screened

    def _model_input(self, s: _Screened) -> str:
        """The text the model is shown: PII spans left out (filters/model_text.py), so a child's own ID or
        phone digits never decide a model label. The PII spans are kept for _decide (found once)."""
        if not self.pii.has_trigger(s.text):
            s.pii = []
            return s.text
        s.pii = self.pii.find(s.text, True)
        return model_text(s.text, s.pii)

    def _predict_many(self, texts: list[str]) -> list[dict[str, float] | Exception]:
        """Scores per text (an Exception in place of the scores of a text the model failed on)."""
        clf = self.classifier
        many = getattr(clf, "predict_many", None)
        if many is not None:
            try:
                return list(many(texts))
            except Exception:  # find which text failed; the others keep their scores
                pass
        out: list[dict[str, float] | Exception] = []
        for t in texts:
            try:
                out.append(clf.predict(t))  # type: ignore[union-attr]
            except Exception as exc:  # a runtime failure must not take the filter down
                out.append(exc)
        return out

    def _decide(self, s: _Screened, policy: FilterPolicy) -> Verdict:
        text, evidence = s.text, s.evidence
        triggered = False  # the PII pre-check has already said yes (it is not run twice)
        if not evidence and self.classifier is None and not self.model_error:
            # the common case on a device without the model: nothing matched; only PII can act
            if not (policy.redact_pii or "pii" in policy.blocked_categories) or not self.pii.has_trigger(text):
                return Verdict(ALLOW, [], [], text)
            triggered = True
        reasons = [r for r in evidence if r.blocking]
        if isinstance(s.scores, Exception):
            reasons.append(Reason("notice", "notice:model_failed", None, str(s.scores), kind="notice", blocking=False))
        elif s.scores is not None:
            thresholds = getattr(self.classifier, "thresholds", None)
            if max((p for label, p in s.scores.items() if label != SAFE_LABEL), default=0.0) >= self._quiet_below(
                    policy, thresholds):
                found = model_reasons(s.scores, evidence, policy, units=s.units, thresholds=thresholds,
                                      windows=model_windows(text),
                                      window_exponent=getattr(self.classifier, "window_exponent", 0.0),
                                      group_thresholds=getattr(self.classifier, "group_thresholds", None), text=text)
                reasons.extend(r for r in found if r.blocking)
        elif self.classifier is None and self.model_error and policy.use_model:
            reasons.append(
                Reason("notice", "notice:model_unavailable", None, self.model_error, kind="notice", blocking=False)
            )

        pii: list[PiiMatch] = []
        if policy.redact_pii or "pii" in policy.blocked_categories:
            pii = s.pii if s.pii is not None else self.pii.find(text, triggered)
        for m in pii:
            reasons.append(Reason("pii", m.rule, (m.start, m.end), m.text, kind="pii", blocking=False))

        blocking_reasons = [r for r in reasons if r.blocking]
        if blocking_reasons or (pii and "pii" in policy.blocked_categories):
            action = BLOCK
        elif pii and policy.redact_pii:
            action = REDACT
        else:
            action = ALLOW
        categories = sorted({r.category for r in blocking_reasons} | ({"pii"} if pii and action != ALLOW else set()))
        if action == BLOCK:
            spans = [r.span for r in blocking_reasons if r.span] + [(m.start, m.end) for m in pii]
            redacted = mask_spans(text, spans)
        elif action == REDACT:
            redacted = self.pii.redact(text, pii)
        else:
            redacted = text
        return Verdict(action, categories, reasons, redacted)

    def _quiet_below(self, policy: FilterPolicy, thresholds: dict[str, float] | None) -> float:
        """A score bound under which fusion.model_reasons gives nothing: every rule there needs a harmful
        label's score at or above CORROBORATE_RATIO x its (policy-scaled) threshold. Most texts' scores
        are far below it, and they skip building the reasons (~10 µs a text)."""
        items = tuple(thresholds.items()) if thresholds else ()
        last = self._quiet_last  # the same policy object as the text before (hashing a policy costs ~1 µs)
        if last is not None and last[0] is policy and last[1] == items:
            return last[2]
        key = (policy, items)
        bound = self._quiet.get(key)
        if bound is None:
            base = {**ALONE_THRESHOLDS, **(thresholds or {})}
            labels = [x for x in getattr(self.classifier, "labels", ()) if x != SAFE_LABEL] or list(base)
            alone = [policy.threshold(x, base.get(x, DEFAULT_ALONE_THRESHOLD)) for x in labels]
            bound = max(0.0, CORROBORATE_RATIO * min(alone, default=0.0))
            if len(self._quiet) >= 64:
                self._quiet.clear()
            self._quiet[key] = bound
        self._quiet_last = (policy, items, bound)
        return bound

    def _find_many(self, matcher: Matcher, views: list[Views]) -> list[list[Hit]]:
        """_find of each text: the automata scanned one at a time over the batch (Matcher.find_many)."""
        if all(len(v.text) <= CHUNK for v in views):
            return matcher.find_many(views)
        found = iter(matcher.find_many([v for v in views if len(v.text) <= CHUNK]))
        return [next(found) if len(v.text) <= CHUNK else self._find(matcher, v) for v in views]

    def _find(self, matcher: Matcher, views: Views) -> list[Hit]:
        text = views.text
        if len(text) <= CHUNK:
            return matcher.find(views)
        hits: dict[tuple[str, str, tuple[int, int]], Hit] = {}
        for start in range(0, len(text), CHUNK - OVERLAP):
            for h in matcher.find(text[start : start + CHUNK]):
                span = (h.span[0] + start, h.span[1] + start)
                hits.setdefault((h.entry.pack, h.entry.term, span), Hit(h.entry, span, h.matched, h.view))
            if start + CHUNK >= len(text):
                break
        return sorted(hits.values(), key=lambda h: h.span)


class _Screened:
    """One text after the word lists: its evidence, and its units if the model must be asked (else None).
    (A plain class, not a dataclass: classes made by @dataclass cost ~1 ms each of every start-up.)"""

    __slots__ = ("text", "evidence", "units", "scores", "pii", "reading", "sounds")

    def __init__(self, text: str, evidence: list[Reason], units: int | None) -> None:
        self.text = text
        self.evidence = evidence
        self.units = units
        self.scores: dict[str, float] | Exception | None = None
        self.pii: list[PiiMatch] | None = None  # found before asking the model ([] = none), else None = not looked for
        self.reading: readings.Reading | None = None  # the text's second reading (filters/readings.py), if any
        self.sounds: list[tuple[tuple[int, int], str]] = []  # (span, term) of its sound-alike hits (_sound_reading)


def _needs_model(evidence: list[Reason], units: int) -> bool:
    """False when no model score could add a reason (filters/fusion.py): the model blocks alone only
    texts of MIN_UNITS_ALONE units or more, and corroborates only word-list evidence."""
    return units >= MIN_UNITS_ALONE or any(r.kind in EVIDENCE_KINDS for r in evidence)


def _sound_reading(s: _Screened) -> str | None:
    """The text with each sound-alike span read as its term (same length only), or None if it has none. The
    terms are the hits' own (carried on the screened text by _evidence), not read back out of rule strings."""
    text = s.text
    done: set[tuple[int, int]] = set()
    for span, term in s.sounds:
        if span not in done:
            a, b = span
            if len(term) == b - a:
                text = text[:a] + term + text[b:]
                done.add(span)
    return text if done else None


def _less_safe(a: dict[str, float] | Exception, b: dict[str, float] | Exception) -> dict[str, float] | Exception:
    """Of a text's scores as written and with its symbols read, the reading the model finds less safe (a
    failure of either counts: fail closed)."""
    if isinstance(a, Exception):
        return a
    if isinstance(b, Exception):
        return b
    return b if b.get("safe", 1.0) < a.get("safe", 1.0) else a


def load_classifier(model_path: Path, labels_path: Path | None = None) -> tuple[object | None, str | None]:
    """(classifier, None) or (None, message) — never raises."""
    try:
        from filters.classifier import TextClassifier

        return TextClassifier.load(model_path, labels_path), None
    except Exception as exc:
        return None, f"classifier unavailable ({exc}); filtering with word lists only"


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Star out the given spans (whitespace kept), so a blocked text never shows its harmful words."""
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            if not chars[i].isspace():
                chars[i] = MASK
    return "".join(chars)
