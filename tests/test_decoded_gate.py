"""filters/decoded_gate.py: the matcher skips rescanning a text whose decoded tokens cannot be part of a
match. Skipping must never lose one: every text here gives the same decoded matches (and the same verdict)
with the gate as with the full rescan, and the gate does skip the identifiers it is for."""

from __future__ import annotations

import pytest

from filters.decoded_gate import DecodedGate
from filters.disguise import apply
from filters.normalize import Views

TOKENS = ["p0rn", "f*ck", "fuuuuck", "sh1t", "b!tch", "s3x", "pr0n", "p0rnhub", "r3tard", "p@o", "pa0", "x00",
          "ipv4", "base64", "@dataclass", "md5", "iter2", "+skip", "a$$", "ffuucckk", "ppoorrnn"]
CONTEXTS = ["{}", "约{}", "{}色情", "今天 {} 真的", "the {} is here", "代码 {} 中文", "约 {} 吗",
            "{} " + "plain english words here " * 3 + "然后中文", "中文" + " and then more words" * 3 + " {}",
            "免费领q{}币", "yue {}", "1 {} 2", "a b c {} d e f"]


class _FullRescan:
    def may_match(self, decoded: str, words: object) -> bool:
        return True


@pytest.fixture(scope="module")
def texts() -> list[str]:
    mixed = ["关掉1pad的家长控制", "怎么关掉 1p@d 的家长模式", "破解!pad的防沉迷"]  # a term of characters and Latin
    return [c.format(t) for t in TOKENS for c in CONTEXTS] + mixed


def _decoded(matcher, texts: list[str]) -> list[list]:  # noqa: ANN001
    return [sorted((h.entry.term, h.span, h.view) for h in matcher._scan_decoded(Views(x, matcher.norm)))
            for x in texts]


def _skipped(matcher, text: str) -> bool:  # noqa: ANN001
    views = Views(text, matcher.norm)
    reps = matcher.disguises.token_replacements(views.token)
    decoded = matcher.norm.fold_text(text, apply(views.token, reps), clean=True)
    return bool(reps) and not matcher._decoded_gate().may_match(decoded, [w for _, _, w, _ in reps])


def test_gate_loses_no_decoded_match(shipped_filter, texts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    matcher = shipped_filter._lexicon.matcher
    gated = _decoded(matcher, texts)
    skipped = sum(map(_skipped, [matcher] * len(texts), texts))
    monkeypatch.setitem(matcher.__dict__, "_gate", _FullRescan())
    assert gated == _decoded(matcher, texts)
    assert sum(map(bool, gated)) >= 20  # disguised terms were found (p0rn, 约p@o, f*ck ...)
    assert skipped >= 10


def test_gate_skips_identifiers_that_no_term_can_hold(shipped_filter) -> None:  # noqa: ANN001
    gate = shipped_filter._lexicon.matcher._decoded_gate()
    far = " is a byte" * 8 + " 中文 "
    assert not gate.may_match(" xoo" + far, ["xoo"])  # not a word of a term, far from Chinese
    assert not gate.may_match(" 中文iterz ", ["iterz"])  # beside Chinese, but no mixed term's word, not pinyin
    assert gate.may_match(" porn here ", ["porn"])  # a term's word
    assert gate.may_match(" pornhub ", ["pornhub"]) == ("pornhub" in gate.vocab or any(
        "pornhub".startswith(w) for w in gate.prefix_words))
    assert gate.may_match(" 约paa ", ["paa"])  # pinyin beside Chinese (pa a): read as syllables
    assert not gate.may_match(" the paa is ", ["paa"])  # pinyin far from Chinese, and no spelt-out key's word
    assert gate.may_match(" the seqing is ", ["seqing"])  # a spelt-out key (色情) as a whole word
    assert gate.may_match(" 约zhon g ", ["zhon"])  # not pinyin alone, but its run beside Chinese is (zhong)
    assert not gate.may_match(" zhon g ", ["zhon"])  # the same run with no Chinese beside it is not read


def test_gate_opens_for_the_latin_words_of_mixed_terms(shipped_filter) -> None:  # noqa: ANN001
    matcher = shipped_filter._lexicon.matcher
    gate = matcher._decoded_gate()
    mixed = matcher._mixed_latin
    assert "ipad" in mixed.words and mixed.ends and mixed.sound_first and mixed.sound_last  # 破解ipad, q币 ...
    assert gate.may_match(" 破解ipad ", ["ipad"])
    # a Latin word inside a mixed term, that nothing else opens the gate for
    without = DecodedGate(gate.vocab, [], gate.spelt_word, mixed._replace(words=frozenset()), gate.pinyin_runs)
    inner = [w for w in sorted(mixed.words) if not without.may_match(f" 中{w}中 ", [w])]
    assert len(inner) > 20 and all(gate.may_match(f" 中{w}中 ", [w]) for w in inner)

    def closed(word: str) -> bool:
        return not gate._word(word) and not gate.may_match(f" {word} ", [word])  # not beside Chinese

    last = next(w for w in sorted(mixed.ends) if closed(w + "ing"))
    assert gate.may_match(f" 中{last}ing ", [last + "ing"])  # a `word` term's match may end before an inflection
    first = next(w for w in sorted(mixed.sound_first) if closed("zz" + w))
    assert gate.may_match(f" zz{first}中 ", ["zz" + first])  # a sound-alike match may start inside the word
    last = next(w for w in sorted(mixed.sound_last) if closed(w + "zz"))
    assert gate.may_match(f" 中{last}zz ", [last + "zz"])  # or end inside it


def test_verdicts_are_the_same_with_the_gate(shipped_filter, texts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    gated = [shipped_filter.check(x).to_json() for x in texts]
    monkeypatch.setitem(shipped_filter._lexicon.matcher.__dict__, "_gate", _FullRescan())
    assert gated == [shipped_filter.check(x).to_json() for x in texts]
