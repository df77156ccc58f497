"""filters/combo_scan.char_spans: byte positions of the rules' automaton back to characters, for every
kind of UTF-8 character (1-4 bytes), the same as listing each character's first byte."""

from __future__ import annotations

import bisect

from filters.combo_scan import bytewise, char_spans


def _by_listing(scanned: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    starts = [i for i, byte in enumerate(scanned.encode("utf-8")) if not 0x80 <= byte < 0xC0]
    return [(ki, bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for ki, a, b in found]


def test_char_spans_equal_the_listing_of_character_starts() -> None:
    for scanned in (" 加 vx 0 日赚 0 ", " é 色情 ü 😀 ok ", "abc", " 兼职刷单 qq 0 ", "ÿ€𝔘 x"):
        data = bytewise(scanned)
        bounds = [len(scanned[:i].encode("utf-8")) for i in range(len(scanned) + 1)]
        found = [(k, a, b) for k, (a, b) in enumerate((a, b) for a in bounds for b in bounds if a < b)]
        assert len(data) == bounds[-1]
        got = char_spans(scanned, found)
        assert got == _by_listing(scanned, found)
        assert all(scanned[a:b].encode("utf-8") == data[x:y].encode("latin-1")
                   for (_, a, b), (_, x, y) in zip(got, found, strict=True))
