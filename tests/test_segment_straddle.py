"""Segmenter.crosses skips the segmentation when no dictionary word straddles an edge of the span; the
answer must be the one the full segmentation gives for every span (speed work must not change a veto)."""

from __future__ import annotations

import random

import pytest

from filters.normalize import is_cjk
from filters.segment import WINDOW, Segmenter


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter()


def _by_segmentation(seg: Segmenter, text: str, start: int, end: int) -> bool:
    """crosses() as it was before the pre-check: always the most probable segmentation."""
    lo, hi = start, end
    while lo > 0 and start - lo < WINDOW and is_cjk(text[lo - 1]):
        lo -= 1
    while hi < len(text) and hi - end < WINDOW and is_cjk(text[hi]):
        hi += 1
    if lo == start and hi == end:
        return False
    s, e = start - lo, end - lo
    return any((a < s < b < e) or (s < a < e < b) for a, b in seg.best_cuts(text[lo:hi], (s, e)))


def _texts(seg: Segmenter) -> list[str]:
    common = sorted(w for w, n in seg.freq.items() if 2 <= len(w) <= 4 and n >= 500 and all(map(is_cjk, w)))
    rng = random.Random(3)
    texts = ["他的脸色情况不好", "一只大麻雀飞过路口交通灯", "节日结束了我们回家", "打麻将的大妈在菜市场买菠菜"]
    for _ in range(30):
        texts.append("".join(rng.choice(common) for _ in range(rng.randint(3, 7))))
    return texts + [t[:5] + "ab " + t[5:] for t in texts[:10]]  # Latin and a space end the window


def test_crosses_matches_the_full_segmentation_on_every_span(seg) -> None:
    checked = crossing = 0
    for text in _texts(seg):
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + 5) + 1):
                if not all(map(is_cjk, text[start:end])):
                    continue
                want = _by_segmentation(seg, text, start, end)
                assert seg.crosses(text, start, end) == want, (text, start, end)
                checked += 1
                crossing += want
    assert checked > 500 and crossing > 50  # both answers were exercised


def test_known_coincidences_still_cross(seg) -> None:
    assert seg.crosses("他的脸色情况", 3, 5)  # 脸色|情况 holds no 色情
    assert seg.crosses("一只大麻雀", 2, 4)  # 大|麻雀
    assert not seg.crosses("这是色情网站", 2, 4)
