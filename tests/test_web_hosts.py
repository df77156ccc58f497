"""Throwaway link-spam hosts (filters/web_hosts.py, tables/domain_endings.json): a bare host on a cheap ending
blocks as gambling (as sexual where the text sells porn: tables/link_cues.json), its dot written or spelt out
(点, 典, [.], 🔝, full-width); ordinary words, times, decimals, well-known endings, code and e-mail addresses do
not."""

from __future__ import annotations

import json

import pytest

from filters import web_hosts
from filters.entry_table import Entry
from filters.match_hits import Hit
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


def _refused(tmp_path, monkeypatch, attr: str, loader, doc: dict, match: str) -> None:  # noqa: ANN001
    """web_hosts.`loader` raises ValueError naming `match` when its table (module attribute `attr`) is `doc`."""
    bad = tmp_path / "table.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(web_hosts, attr, bad)
    loader.cache_clear()
    try:
        with pytest.raises(ValueError, match=match):
            loader()
    finally:
        loader.cache_clear()


def test_an_ending_not_on_the_list_is_refused(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    doc = {"throwaway": ["top", "notatld"], "tlds": ["top"]}
    _refused(tmp_path, monkeypatch, "TABLE", web_hosts.endings, doc, "notatld")


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


def _no_gambling():  # noqa: ANN202 - a parent who allows gambling (every other category blocked)
    from filters.categories import CATEGORIES
    from filters.policy import FilterPolicy

    return FilterPolicy.from_dict({"blocked_categories": [c for c in CATEGORIES if c not in ("gambling", "pii")]})


@pytest.mark.parametrize("text", [
    "涩涩的都在这里 https://45.77.10.23:8866/#/v",
    "老司机带路，今晚看片就上 pp51o点top",
    "番号大全 ｑ９ｚ６．ｖｉｐ",
    "NSFW 合集 zz77[.]pw",
])
def test_a_host_in_a_text_selling_porn_is_sexual_and_stays_blocked_when_gambling_is_allowed(
        shipped_filter, text: str) -> None:  # noqa: ANN001
    hosts = [r for r in shipped_filter.check(text).reasons if r.rule.startswith(f"lexicon:{web_hosts.PACK}:")]
    assert hosts and {r.category for r in hosts} == {"sexual"}, hosts
    assert shipped_filter.check(text, _no_gambling()).action == "block"


def test_the_engine_labels_a_host_by_the_texts_own_sexual_word_list_hits(shipped_filter) -> None:  # noqa: ANN001
    """爆乳 is a sexual pack term and no porn-link word: the host is sexual through the hits the engine passes."""
    assert "爆乳" not in "".join(web_hosts.sexual_cues())
    v = shipped_filter.check("爆乳美女 kk88v点top")
    assert {r.category for r in v.reasons if r.rule.startswith(f"lexicon:{web_hosts.PACK}:")} == {"sexual"}


def test_a_host_with_nothing_else_sold_stays_gambling(shipped_filter) -> None:  # noqa: ANN001
    for text in ("点击进入 kk88v点top", "复制到浏览器打开 http://101.32.18.9/reg"):
        hosts = [r for r in shipped_filter.check(text).reasons if r.rule.startswith(f"lexicon:{web_hosts.PACK}:")]
        assert hosts and {r.category for r in hosts} == {"gambling"}
        assert shipped_filter.check(text, _no_gambling()).action == "allow"  # the parent's choice holds


def _hit(category: str, view: str) -> Hit:
    return Hit(Entry("x", category, 2, "exact", False, (), "p"), (0, 1), "x", view)


def test_the_categories_follow_what_the_text_sells() -> None:
    """A sexual word-list hit or a porn-link word makes the host sexual; with a gambling hit too it is both; a
    sexual sound-alike alone (weak: it blocks only when the model agrees) does not relabel it."""
    from filters.homophone_reopen import VIEW as SOUND_ALIKE

    assert web_hosts.categories([], " 来玩 ") == ("gambling",)
    assert web_hosts.categories([], " 来看片 ") == ("sexual",)
    assert web_hosts.categories([_hit("sexual", "fold")], " x ") == ("sexual",)
    assert web_hosts.categories([_hit("sexual", "fold"), _hit("gambling", "fold")], " x ") == ("sexual", "gambling")
    assert web_hosts.categories([_hit("sexual", SOUND_ALIKE)], " x ") == ("gambling",)
    hits = web_hosts.hits("看片 w8w8.top", [_hit("gambling", "fold")])
    assert [(h.entry.term, h.entry.category) for h in hits] == [(".top", "sexual"), (".top", "gambling")]


def test_the_porn_link_words_are_fold_view_words(shipped_filter, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    fold = shipped_filter.normalizer.fold_text
    cues = web_hosts.sexual_cues()
    assert cues and all(fold(w).strip(" ") == w for w in cues)
    assert not {"福利", "美女", "直播", "资源"} & set(cues)  # gambling adverts use them too
    _refused(tmp_path, monkeypatch, "CUES", web_hosts.sexual_cues, {"sexual": ["看片", "Porn"]}, "Porn")
