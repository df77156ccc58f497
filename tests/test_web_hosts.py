"""Throwaway link-spam hosts (filters/web_hosts.py, tables/domain_endings.json): a bare host on a cheap ending
blocks as gambling, its dot written or spelt out (点, 典, [.], 🔝, full-width); ordinary words, times, decimals,
well-known endings, code and e-mail addresses do not."""

from __future__ import annotations

import json

import pytest

from filters import web_hosts
from filters.tools import domain_endings


@pytest.mark.parametrize(("text", "matched", "view"), [
    ("qq55k点top", "qq55k点top", web_hosts.VIEW_SPELT),
    ("来玩啊 86abc典vip 等你", "86abc典vip", web_hosts.VIEW_SPELT),
    ("a9bc1點xyz", "a9bc1點xyz", web_hosts.VIEW_SPELT),
    ("地址: zz77[.]pw", "zz77[.]pw", web_hosts.VIEW_SPELT),
    ("kk8q dot cc", "kk8q dot cc", web_hosts.VIEW_SPELT),
    ("进 ab3d.🔝 看看", "ab3d.🔝", web_hosts.VIEW_SPELT),
    ("看这里pp51o.top/x1", "pp51o.top", web_hosts.VIEW_PLAIN),
    ("https://m.h5q2.icu", "m.h5q2.icu", web_hosts.VIEW_PLAIN),
    ("ｑ９ｚ６．ｖｉｐ", "ｑ９ｚ６．ｖｉｐ", web_hosts.VIEW_PLAIN),
    ("网址 520886.club", "520886.club", web_hosts.VIEW_PLAIN),
    ("TT66X点TOP", "TT66X点TOP", web_hosts.VIEW_SPELT),
])
def test_a_throwaway_host_blocks_as_gambling(shipped_filter, text: str, matched: str, view: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block", v.reasons
    hit = next(r for r in v.reasons if r.rule.startswith(f"lexicon:{web_hosts.PACK}:"))
    assert (hit.category, hit.severity, hit.view, hit.matched) == ("gambling", 2, view, matched)
    assert text[hit.span[0]:hit.span[1]] == matched


@pytest.mark.parametrize("text", [
    "我有一点top的想法", "这是重点vip课程", "记得点赞", "3点5分开会", "明天10点vip专场开始",
    "晚上8点am", "用了numpy.cc文件", "config.info", "the abc.xyz site", "写信到 ab12@qq99.top",
    "www点baidu点com", "官网 shop88.com", "nba2k.cn", "排量3.5cc", "版本v1.2.top", "ok点me",
    "请把x.1.top改掉", "点击 top10 榜单", "第1点top", "ab1.topic", "hello.world", "step 3 dot me",
])
def test_words_times_and_ordinary_addresses_are_not_hosts(text: str) -> None:
    assert web_hosts.hits(text) == []


def test_a_long_line_finds_the_host_at_its_end() -> None:
    text = "今天天气很好。" * 30 + "来 w8w8.top"
    assert [(h.matched, h.entry.term) for h in web_hosts.hits(text)] == [("w8w8.top", ".top")]


def test_a_parent_can_allow_it(shipped_filter) -> None:  # noqa: ANN001
    from filters.policy import FilterPolicy

    policy = FilterPolicy.from_dict({"allow_words": ["kid5blog.top"]})
    assert shipped_filter.check("我的博客 kid5blog.top", policy).action == "allow"
    assert shipped_filter.check("我的博客 kid5blog.top").action == "block"


def test_the_endings_are_top_level_domains_of_the_list() -> None:
    doc = json.loads(web_hosts.TABLE.read_text(encoding="utf-8"))
    assert set(doc["throwaway"]) == set(domain_endings.THROWAWAY)
    assert web_hosts.endings() <= set(doc["tlds"]) and {"com", "cn", "net", "org"} & web_hosts.endings() == set()
    assert doc["source"]["licence"] == "MPL-2.0" and len(doc["source"]["sha256"]) == 64


def test_an_ending_not_on_the_list_is_refused(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    bad = tmp_path / "domain_endings.json"
    bad.write_text(json.dumps({"throwaway": ["top", "notatld"], "tlds": ["top"]}), encoding="utf-8")
    monkeypatch.setattr(web_hosts, "TABLE", bad)
    web_hosts.endings.cache_clear()
    try:
        with pytest.raises(ValueError, match="notatld"):
            web_hosts.endings()
    finally:
        web_hosts.endings.cache_clear()


def test_the_list_parser_keeps_one_label_icann_rules() -> None:
    text = ("// ===BEGIN ICANN DOMAINS===\ncom\n*.ck\ncom.cn\ntop\n// c\n游戏\nxn--fiqs8s\n"
            "// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\nblogspot.com\nfoo\n")
    assert domain_endings.icann_tlds(text) == ["com", "top", "xn--fiqs8s"]


@pytest.mark.parametrize(("text", "matched"), [
    ("注册就送 https://45.77.10.23:8866/#/link?invite=77", "45.77.10.23:8866"),
    ("复制到浏览器打开 http://101.32.18.9/reg", "101.32.18.9"),
    ("HTTP://88.99.1.2:5029/?id=1", "88.99.1.2:5029"),
])
def test_a_link_to_a_bare_public_address_blocks(shipped_filter, text: str, matched: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    hit = next(r for r in v.reasons if r.rule == f"lexicon:{web_hosts.PACK}:{web_hosts.IP_TERM}")
    assert v.action == "block" and (hit.view, hit.matched, hit.category) == (web_hosts.VIEW_IP, matched, "gambling")


@pytest.mark.parametrize("text", ["路由器 http://192.168.1.1 怎么登录", "本地服务 http://127.0.0.1:8000", "http://10.0.0.2",
                                  "DNS 填 8.8.8.8 就行", "版本号 1.2.3.4", "http://999.1.1.1", "文档示例 http://203.0.113.5"])
def test_private_documentation_and_unlinked_addresses_are_not_links(text: str) -> None:
    assert web_hosts.hits(text) == []
