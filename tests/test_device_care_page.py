"""The child's page in real headless Chromium against the real `kidsafe device run`: a search about self-harm
shows the care box (a warm message, help lines as tel: links, the emergency number), never the child's words,
no results and no plain refusal; a language switch re-renders the box; the next ordinary block shows the old
refusal and hides the box. At night, when nothing can be searched, "Feeling upset" on the stop screen shows
the same help lines."""

from __future__ import annotations

import json

import pytest
from device_server import DeviceServer
from playwright.sync_api import expect
from test_device_browser import open_page, set_policy

pytestmark = pytest.mark.usefixtures("chromium_installed")
expect.set_options(timeout=30_000)  # a loaded machine: the checks wait, they never assert on time


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("care-home")
    (home / "policy.json").write_text(json.dumps({"version": "care-1", "time": {"daily_limit_min": 45, "night": None}}),
                                      encoding="utf-8")
    srv = DeviceServer(home, env={"KIDSAFE_SEARCH": "local"}).start()
    yield srv
    srv.stop()


def ask(page, text: str) -> None:
    page.fill("#q", text)
    page.click("#search-btn")


def test_a_child_at_risk_sees_care_and_help_lines_not_a_wall(browser, server):
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        ask(page, "我不想活了")
        care = page.locator(".care[data-slot=main]")
        expect(care).to_be_visible()
        expect(care.locator("h2")).to_contain_text("你并不孤单")
        expect(care.locator(".care-message")).to_contain_text("信任的大人")
        line = care.locator("li[data-line='cn-12356'] a.care-number")
        expect(line).to_have_text("12356")
        assert line.get_attribute("href") == "tel:12356"
        expect(care.locator(".care-emergency")).to_contain_text("120")
        assert page.is_hidden("#notice")  # no "we don't search that" on top of it
        assert page.locator("#results .result").count() == 0
        shown = page.inner_text("main").replace(page.input_value("#q"), "")
        assert "不想活" not in shown  # the device never says the child's words back
        page.screenshot(path="/tmp/kidsafe-care-zh.png", full_page=True)

        page.click("#lang-toggle")  # the box speaks the other language at once
        expect(care.locator("h2")).to_contain_text("You are not alone")
        expect(care.locator("li[data-line='cn-12356']")).to_contain_text("psychological assistance")
        expect(care.locator(".care-emergency")).to_contain_text("call 120")
        page.click("#lang-toggle")

        ask(page, "色情视频")  # an ordinary block: the old refusal, no care box
        expect(page.locator("#notice")).to_contain_text("这个我们不搜啦")
        expect(care).to_be_hidden()
    finally:
        ctx.close()


def test_an_english_question_gets_care_in_english(browser, server):
    ctx, page = open_page(browser, server, "en-US")
    try:
        ask(page, "I want to kill myself")
        care = page.locator(".care[data-slot=main]")
        expect(care.locator("h2")).to_contain_text("You are not alone")
        expect(care.locator(".care-message")).to_contain_text("adult you trust")
        expect(care.locator("a.care-number").first).to_have_text("12356")  # the device's region: China
        assert "kill myself" not in page.inner_text("main")
    finally:
        ctx.close()


def test_at_night_feeling_upset_shows_the_help_lines_on_the_stop_screen(browser, server):
    set_policy(server, {"version": "care-night", "time": {"night": {"start": "00:00", "end": "23:59"}}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        page.wait_for_selector("#stop:not([hidden])")
        care = page.locator(".care[data-slot=stop]")
        assert care.is_hidden()
        talk = page.locator("#always button[data-item='talk']")
        expect(talk).to_contain_text("心里难受")
        talk.click()
        expect(care).to_be_visible()
        expect(care.locator("h2")).to_contain_text("你并不孤单")
        expect(care.locator("a.care-number").first).to_have_text("12356")
        page.screenshot(path="/tmp/kidsafe-care-night.png", full_page=True)
        page.click("#stop-lang")
        expect(care.locator("h2")).to_contain_text("You are not alone")
    finally:
        ctx.close()
        set_policy(server, {"version": "care-day", "time": {"daily_limit_min": 45, "night": None}})
