"""The word-pack matcher's scan of the syllable view: homophones (涩情 for 色情, 沙比) and pinyin mixed with
characters (se情, 约pao), with the vetoes that keep coincidences out.

The syllable automaton (filters/matcher.py builds it) holds each Chinese term's default-reading
syllables, two symbols a syllable (filters/tables.py). A match is dropped when:
- the characters written are the term itself (the character automaton has it);
- pinyin mixed with characters writes a character that is not the term's own (du吗 is not 赌马), or a
  common word runs across its edge (脸se情况);
- the term does not allow homophones, unless it is a hand-curated term with one character of three or
  more written another way (石时彩; filters/homophone_rules.near) or a term ordinary text never sounds like
  (钕全 for 女拳; filters/homophone_reopen.py);
- the Latin of a mixed term is not written as it is (q币 not x币), the characters written are a common
  word (大妈 is not 大麻), a word cuts across it (打麻将), or the changed character lies inside an ordinary
  word (了解自己 is not 了结自己);
- an allow-context of the entry covers it, as written or as syllables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filters import allow_contexts, homophone_reopen, homophone_rules
from filters.match_hits import RawHit
from filters.normalize import is_cjk

if TYPE_CHECKING:
    from filters.matcher import Matcher

HOMOPHONE_WORD_FREQ = homophone_rules.HOMOPHONE_WORD_FREQ  # a dictionary word this common is not a disguise


def scan_syllables(m: Matcher, fold: str) -> list[RawHit]:
    """Surviving syllable-view matches of `m` in a fold view (fold-view coordinates)."""
    source, fmap = m.norm.syllable_source(fold)
    built = m._syllable_automaton()  # every key: near homophones of terms with homophones off count too
    out: list[RawHit] = []
    if built is None:
        return out
    auto, table = built
    reopened = homophone_reopen.reopened()
    code = m.norm.tables.encode_syllables(source)
    for end_sym, row in auto.iter(code):
        se = (end_sym + 1) // 2
        for index, _, length, _, _, homophones in table[row]:
            ss = se - length
            view = "syllable"
            if fmap is None:
                fs, fe, mixed = ss, se, False
            else:
                fs, fe = fmap.start(ss), fmap.end(se - 1)
                mixed = fmap.is_replaced(ss, se)
            written = fold[fs:fe]
            own = m.folded_term(index)
            if written == own:
                continue  # the character automaton already has it
            if mixed:
                # pinyin mixed with characters: a written character must be the term's own
                # (du吗 is not 赌马), and no word may run across the edge (脸se情况)
                if any(is_cjk(c) for c in written) and not any(c in own for c in written if is_cjk(c)):
                    continue
                if m.seg.overlapped(fold, fs, fe, HOMOPHONE_WORD_FREQ):
                    continue
            elif not homophones and not (m._core(index) and homophone_rules.near(m.seg, written, own)):
                if not homophone_reopen.counts(reopened, own, fold, fs, fe):
                    continue  # homophones off: a core term with one character of 3+ written another way (石时彩)
                view = homophone_reopen.VIEW  # a term ordinary text never sounds like: evidence the model must confirm
            if not mixed:
                if not homophone_rules.same_latin(written, own):
                    continue  # a mixed term's Latin letters must be written as they are (q币 not x币)
                if m.seg.word_freq(written) >= HOMOPHONE_WORD_FREQ:
                    continue
                if homophone_rules.cut(m.seg, fold, fs, fe, own, strict=not homophones):
                    continue
                if homophone_rules.ordinary_reading(m.seg, written, own):
                    continue  # the changed character is inside an ordinary word (了解自己 is not 了结自己)
            if m._allowed(fold, index, fs, fe) or (
                index in m._allow_syl and allow_contexts.syllables_covered(code, ss, se, m._allow_syl[index])
            ):
                continue
            out.append(RawHit(index, fs, fe, "pinyin" if mixed else view))
    return out
