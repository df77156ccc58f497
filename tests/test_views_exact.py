"""The exact views' fast paths give the offsets of the character-by-character reference.

`Normalizer.prepared_view` builds identity offsets in C when every character maps to exactly one
character, and `fold_view_of` skips the single spaces the noise step would replace by themselves.
Both must produce the same view text and offsets as the reference on every eval text and on texts
full of characters that map to none or several (ligatures, fractions, zero-width, combining marks).
"""

from __future__ import annotations

import pytest

from filters import normalize
from filters.normalize import Normalizer, prepared_view_by_char
from filters.tools.verdict_golden import eval_sets

ODD = ["ﬁnd ½ Æsop straße", "s\u200be\u200bx", "色\u00ad情", "ｐｏｒｎ　ＨＵＢ", "𝐬𝐞𝐱 🄂 ①②", "é\u0301 ｶﾀｶﾅ ㍿",
       "f*ck  p0rn!! 色 情  漫 画", "  ", "", "n u d e ﬀ", "大麻哈鱼……。。", "a\u0300\u0301b ǅ ŉ",
       "好😀 😀😀 ok 🎉色情"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [t for _, ts in eval_sets() for t in ts]
    assert len(out) > 100
    return out + ODD + [o + t for o, t in zip(ODD, out, strict=False)]


def test_prepared_view_matches_the_reference(texts: list[str]) -> None:
    norm = Normalizer()
    for table in (norm.tables.fold_table, norm.tables.token_table):
        for text in texts:
            fast, ref = norm.prepared_view(text, table), prepared_view_by_char(text, table)
            assert (fast.text, fast.offsets) == (ref.text, ref.offsets), text


def test_fold_view_matches_the_reference(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    norm = Normalizer()
    fast = [norm.fold_view(t) for t in texts]
    monkeypatch.setattr(normalize, "_NOISE_CHANGES", normalize._NOISE)  # the reference: every noise run
    monkeypatch.setattr(norm, "prepared_view", lambda text, table=None: prepared_view_by_char(
        text, norm.tables.fold_table if table is None else table))
    for text, view in zip(texts, fast, strict=True):
        ref = norm.fold_view(text)
        assert (view.text, view.offsets) == (ref.text, ref.offsets), text
        assert view.text == norm.fold_text(text)
