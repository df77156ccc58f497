"""The views' fast paths give the text and offsets of the plain references.

The per-character tables are kept as code-point lists plus a small dict past U+FFFF (not as full
dicts); `Normalizer.prepared_view` builds identity offsets in C when every character maps to
exactly one character; `fold_view_of` skips the single spaces the noise step would replace by
themselves. Each must give what the full table dict gives, character by character, on every eval
text and on texts full of characters that map to none or several (ligatures, fractions,
zero-width, combining marks, characters past U+FFFF).
"""

from __future__ import annotations

import pytest

from filters import normalize, prebuilt
from filters.normalize import Normalizer, prepared_view_by_char
from filters.tables import expanded
from filters.tools.verdict_golden import eval_sets

ODD = ["ﬁnd ½ Æsop straße", "s\u200be\u200bx", "色\u00ad情", "ｐｏｒｎ　ＨＵＢ", "𝐬𝐞𝐱 🄂 ①②", "é\u0301 ｶﾀｶﾅ ㍿",
       "f*ck  p0rn!! 色 情  漫 画", "  ", "", "n u d e ﬀ", "大麻哈鱼……。。", "a\u0300\u0301b ǅ ŉ",
       "好😀 😀😀 ok 🎉色情"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [t for _, ts in eval_sets() for t in ts]
    assert len(out) > 100
    return out + ODD + [o + t for o, t in zip(ODD, out, strict=False)]


def _by_dict(text: str, table: dict[int, str | None]) -> tuple[str, list[tuple[int, int]]]:
    parts, offsets = [], []
    for i, ch in enumerate(text):
        out = table.get(ord(ch), ch)
        if out:
            parts.append(out)
            offsets.extend([(i, i + 1)] * len(out))
    return "".join(parts), offsets


def test_prepared_view_matches_the_full_tables(texts: list[str]) -> None:
    norm = Normalizer()
    full = prebuilt.load("normalize")
    assert full is not None
    for token, table in ((False, expanded(full["fold_table"])), (True, expanded(full["token_table"]))):
        for text in texts:
            ref = _by_dict(text, table)
            fast = norm.prepared_view(text, token=token)
            slow = prepared_view_by_char(text, *norm.table_pair(token))
            assert (fast.text, fast.offsets) == ref == (slow.text, slow.offsets), text
            assert (norm.token_text(text) if token else norm.prepare(text)) == text.translate(table), text


def test_fold_view_matches_the_reference(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    norm = Normalizer()
    fast = [norm.fold_view(t) for t in texts]
    monkeypatch.setattr(normalize, "_NOISE_CHANGES", normalize._NOISE)  # the reference: every noise run
    monkeypatch.setattr(norm, "prepared_view", lambda text, token=False: prepared_view_by_char(
        text, *norm.table_pair(token)))
    for text, view in zip(texts, fast, strict=True):
        ref = norm.fold_view(text)
        assert (view.text, view.offsets) == (ref.text, ref.offsets), text
        assert view.text == norm.fold_text(text)
