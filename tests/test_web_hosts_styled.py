"""Throwaway hosts written in styled letters and digits (filters/web_hosts.py, session 18): mathematical
alphanumerics, circled, squared and negative circled or squared forms are read as the ASCII letter or digit they
show before hosts are looked for; the evidence quotes and spans the text as written. Styled text without a host,
circled list numbers and a styled copyright sign stay quiet."""

from __future__ import annotations

import pytest

from filters import web_hosts


@pytest.mark.parametrize(("text", "matched", "ending"), [
    ("来玩𝕜𝕜𝟠𝟠.𝕥𝕠𝕡", "𝕜𝕜𝟠𝟠.𝕥𝕠𝕡", ".top"),
    ("🅆🅆66點🅅🄸🄿 等你", "🅆🅆66點🅅🄸🄿", ".vip"),
    ("网址 ⓩⓩ⑦⑦.ⓒⓒ", "ⓩⓩ⑦⑦.ⓒⓒ", ".cc"),
    ("🅰🅱❾❾.xyz 来", "🅰🅱❾❾.xyz", ".xyz"),
    ("𝐪𝟗𝐳𝟔点𝐭𝐨𝐩", "𝐪𝟗𝐳𝟔点𝐭𝐨𝐩", ".top"),
])
def test_a_styled_throwaway_host_is_found_and_quoted_as_written(text: str, matched: str, ending: str) -> None:
    hits = web_hosts.hits(text)
    assert [(h.matched, h.entry.term) for h in hits] == [(matched, ending)]
    assert all(text[h.span[0]:h.span[1]] == h.matched for h in hits)


def test_the_engine_blocks_a_styled_host(shipped_filter) -> None:  # noqa: ANN001
    v = shipped_filter.check("新人来𝕒𝕓𝟙𝟚.𝕥𝕠𝕡")
    assert v.action == "block"
    assert "lexicon:web_host:.top" in [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", [
    "𝐇𝐞𝐥𝐥𝐨 𝐰𝐨𝐫𝐥𝐝", "① 打开书 ② 读第一页", "ⓒ 2024 我们的学校", "我考了𝟗𝟖分", "①点top榜", "𝕤𝕥𝕖𝕡 𝟛.𝕞𝕖",
])
def test_styled_text_without_a_host_stays_quiet(text: str) -> None:
    assert web_hosts.hits(text) == []


def test_plain_reads_styled_forms_one_for_one() -> None:
    assert web_hosts.plain("𝕔𝟛ⓢ🅅🅐❶") == "c3sVA1"
    assert web_hosts.plain("普通文字 abc") == "普通文字 abc"
