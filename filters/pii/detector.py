"""PiiDetector: runs every recogniser over a text and returns non-overlapping spans, or redacts them.

Fail closed: if a recogniser raises, the error is logged once (per recogniser and detector) and
`find` returns one UNCHECKED match covering the whole text, whose rule names the recogniser
("pii:unchecked:email").  The filter then redacts or blocks that text per policy; a broken
recogniser never turns into "no PII".  `scan` is the strict form that raises RecogniserError
(tests use it, so a crash fails them).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from pathlib import Path

from filters.pii.address import ChineseAddresses
from filters.pii.bank_card import BankCardJudge
from filters.pii.cues import CueIndex
from filters.pii.data import PiiData
from filters.pii.digits import DigitView
from filters.pii.email import Emails
from filters.pii.id_card import IdCardJudge
from filters.pii.im_accounts import ImIds, ImNumberJudge
from filters.pii.passwords import Passwords
from filters.pii.patterns import CJK
from filters.pii.phones import LandlineJudge, LocalNumberJudge, MobileJudge, SpelledPhones, UsPhoneJudge
from filters.pii.runs import DigitRuns
from filters.pii.school import Schools
from filters.pii.trigger import Trigger
from filters.pii.types import KINDS, PRIORITY, UNCHECKED, Candidate, PiiMatch, RecogniserError, Scan
from filters.pii.us_address import UsAddresses
from filters.pii.word_problem import WordProblem

LOGGER = "kidsafe.pii"  # (logging is imported on the first failure: its import is ~5 ms of every start-up)
_KEYCAP = "\ufe0f\u20e3"


class PiiDetector:
    """Detects and redacts personal data.  Immutable after construction (but for the failure log); safe to share."""

    def __init__(self, data_dir: Path | None = None) -> None:
        data = self._data = PiiData.load(data_dir)
        cues = data.cues
        self._labels = data.labels
        self._view = DigitView()
        # Only the pre-check is compiled now: most texts never need a recogniser, and compiling their
        # ~90 regular expressions is most of the detector's start-up. They are built on first need.
        self._trigger = Trigger(
            "".join(data.numerals), data.address_numerals, self._view.digit_chars,
            cues["trigger_words"] + cues["home"] + data.address["school_suffixes"], data.common,
        )
        self._built: tuple[CueIndex, tuple] | None = None
        self._build_lock = threading.Lock()
        self._logged: set[str] = set()
        self._log_lock = threading.Lock()

    def _build(self) -> tuple[CueIndex, tuple]:
        """The cue index and the recognisers, compiled once (on the first text that needs them)."""
        built = self._built
        if built is not None:
            return built
        with self._build_lock:
            if self._built is None:
                data = self._data
                cues = data.cues
                cue_index = CueIndex(cues, data.common)
                numerals = "".join(data.numerals)
                possessive = tuple(cues["possessive_en"])
                homework = WordProblem(data.word_problem)
                judges = [IdCardJudge(), MobileJudge(), ImNumberJudge(), LandlineJudge(), UsPhoneJudge(),
                          BankCardJudge(), LocalNumberJudge()]
                recognisers = (
                    DigitRuns(data.numerals, cue_index, cues["unit_suffix"], cues["currency_prefix"], judges),
                    Passwords(numerals, data.stop_en, possessive),
                    ImIds(cue_index, data.stop_en, possessive),
                    SpelledPhones(cue_index),
                    Emails(data.email_placeholders),
                    ChineseAddresses(data.address, data.places, cues["home"], data.address_numerals, homework),
                    Schools(data.address, cues, data.places, homework),
                    UsAddresses(data.address),
                )
                self._built = (cue_index, recognisers)
            return self._built

    @property
    def _cue_index(self) -> CueIndex:
        return self._build()[0]

    @property
    def recognisers(self) -> tuple:
        return self._build()[1]

    # ------------------------------------------------------------------ public API

    def has_trigger(self, text: str) -> bool:
        """True when the text holds anything that could start personal data (cheap)."""
        return self._trigger(text)

    def find(self, text: str, triggered: bool = False) -> list[PiiMatch]:
        """Non-overlapping personal-data spans, sorted by start.  Never raises.

        A recogniser error gives one UNCHECKED match over the whole text (fail closed).
        triggered: the caller has just seen has_trigger(text) true, so the pre-check is not run twice.
        """
        if not isinstance(text, str) or not text or not (triggered or self._trigger(text)):
            return []
        try:
            return self.scan(text)
        except RecogniserError as exc:
            return [self._failed(text, exc.name, exc)]
        except Exception as exc:  # noqa: BLE001 - the detector's own code: still fail closed
            return [self._failed(text, "detector", exc)]

    def scan(self, text: str) -> list[PiiMatch]:
        """Like find, without the pre-check, and a recogniser error raises RecogniserError."""
        cue_index, recognisers = self._build()
        try:
            dv = self._view(text)
            cues = cue_index.find(dv)
        except Exception as exc:  # noqa: BLE001 - reported by name
            raise RecogniserError(cue_index.name, exc) from exc
        scan = Scan(text, dv, cues, [c[1] for c in cues])
        cands: list[Candidate] = []
        for rec in recognisers:
            try:
                rec.scan(scan, cands)
            except RecogniserError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported by name
                raise RecogniserError(rec.name, exc) from exc
        return resolve(text, cands)

    def redact(self, text: str, matches: list[PiiMatch]) -> str:
        """Replace each match by its placeholder (Chinese if the text has CJK, else English)."""
        lang = "zh" if CJK.search(text) else "en"
        out, pos = [], 0
        for m in sorted(matches, key=lambda m: m.start):
            if not (pos <= m.start <= m.end <= len(text)):
                raise ValueError(f"PII span [{m.start}, {m.end}) overlaps or is out of range (text length {len(text)})")
            out.append(text[pos:m.start])
            out.append(self.placeholder(m.kind, lang))
            pos = m.end
        out.append(text[pos:])
        return "".join(out)

    def placeholder(self, kind: str, lang: str) -> str:
        if kind not in self._labels:
            raise ValueError(f"unknown PII kind {kind!r}; known: {', '.join(KINDS)}, {UNCHECKED}")
        return self._labels[kind]["zh" if lang.lower().startswith("zh") else "en"]

    # ------------------------------------------------------------------ failure

    def _failed(self, text: str, name: str, exc: BaseException) -> PiiMatch:
        with self._log_lock:
            first = name not in self._logged
            self._logged.add(name)
        if first:
            import logging

            logging.getLogger(LOGGER).error(
                "PII recogniser %r failed (%s: %s); every text it cannot check is treated as personal data until "
                "this is fixed", name, type(exc.__cause__ or exc).__name__, exc.__cause__ or exc, exc_info=exc)
        return PiiMatch(UNCHECKED, 0, len(text), text, name)


def resolve(text: str, cands: list[Candidate]) -> list[PiiMatch]:
    """Longest first (then by kind priority); drop anything overlapping a span already taken."""
    if not cands:
        return []
    chosen: list[Candidate] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    for s, e, k in sorted(set(cands), key=lambda c: (c[0] - c[1], PRIORITY[c[2]], c[0])):
        if s >= e:
            continue
        while e < n and text[e] in _KEYCAP:  # keycap digits "1️⃣"
            e += 1
        i = bisect_right(starts, s)
        if (i > 0 and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        chosen.append((s, e, k))
    chosen.sort()
    return [PiiMatch(k, s, e, text[s:e]) for s, e, k in chosen]
