"""filters/decoded_gate.py: the matcher skips rescanning a text whose decoded tokens cannot be part of a
match. Skipping must never lose one: every text here gives the same decoded matches (and the same verdict)
with the gate as with the full rescan, and the gate does skip the identifiers it is for."""

from __future__ import annotations

import pytest

from filters.disguise import apply
from filters.normalize import Views

TOKENS = ["p0rn", "f*ck", "fuuuuck", "sh1t", "b!tch", "s3x", "pr0n", "p0rnhub", "r3tard", "p@o", "pa0", "x00",
          "ipv4", "base64", "@dataclass", "md5", "iter2", "+skip", "a$$"]
CONTEXTS = ["{}", "约{}", "{}色情", "今天 {} 真的", "the {} is here", "代码 {} 中文", "约 {} 吗",
            "{} " + "plain english words here " * 3 + "然后中文", "中文" + " and then more words" * 3 + " {}",
            "免费领q{}币", "yue {}", "1 {} 2", "a b c {} d e f"]


class _FullRescan:
    def may_match(self, fold: str, decoded: str, words: object) -> bool:
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
    return bool(reps) and not matcher._decoded_gate().may_match(views.fold, decoded, [w for _, _, w, _ in reps])


def test_gate_loses_no_decoded_match(shipped_filter, texts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    matcher = shipped_filter._lexicon.matcher
    gated = _decoded(matcher, texts)
    skipped = sum(map(_skipped, [matcher] * len(texts), texts))
    monkeypatch.setitem(matcher.__dict__, "_gate", _FullRescan())
    assert gated == _decoded(matcher, texts)
    assert sum(map(bool, gated)) >= 20  # disguised terms were found (p0rn, 约p@o, f*ck ...)
    assert skipped >= 10


def test_gate_skips_identifiers_far_from_chinese(shipped_filter) -> None:  # noqa: ANN001
    gate = shipped_filter._lexicon.matcher._decoded_gate()
    far = " is a byte" * 8 + " 中文 "
    assert not gate.may_match(" x00" + far, " xoo" + far, ["xoo"])  # not a word of a term, far from Chinese
    assert gate.may_match(" p0rn here ", " porn here ", ["porn"])  # a term's word
    assert gate.may_match(" p0rnhub ", " pornhub ", ["pornhub"]) == ("pornhub" in gate.vocab or any(
        "pornhub".startswith(w) for w in gate.prefix_words))
    assert gate.may_match(" 约pa0 ", " 约paa ", ["paa"])  # next to Chinese: a pinyin run may reach it
    assert gate.may_match(" 中文 iter2 ", " 中文 iterz ", ["iterz"])  # within reach of Chinese


def test_verdicts_are_the_same_with_the_gate(shipped_filter, texts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    gated = [shipped_filter.check(x).to_json() for x in texts]
    monkeypatch.setitem(shipped_filter._lexicon.matcher.__dict__, "_gate", _FullRescan())
    assert gated == [shipped_filter.check(x).to_json() for x in texts]
