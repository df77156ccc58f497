"""The child's page in real headless Chromium against the real `kidsafe device run`: the child picks the
dictionary / homework mode (the device answers from that mode's source only); when the time is up and the
parent exempted a mode, the stop screen offers exactly the exempted modes, and the page then shows that only
those work (other modes disabled, no microphone, a banner); at night nothing is offered; the microphone is
hidden when the policy's `voice` is false."""

from __future__ import annotations

import json

import pytest
from device_server import DeviceServer
from playwright.sync_api import expect
from test_device_browser import open_page, set_policy

pytestmark = pytest.mark.usefixtures("chromium_installed")

DAY = {"daily_limit_min": 45, "night": None}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("modes-home")
    (home / "policy.json").write_text(json.dumps({"version": "modes-0", "time": DAY}), encoding="utf-8")
    srv = DeviceServer(home, env={"KIDSAFE_SEARCH": "local"}).start()
    yield srv
    srv.stop()


def search(page, query: str) -> None:
    page.fill("#q", query)
    page.click("#search-btn")


def test_the_child_picks_dictionary_or_homework_and_the_device_answers_from_that_source(browser, server):
    set_policy(server, {"version": "modes-pick", "time": DAY})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        expect(page.locator("#modes .mode[data-mode='search']")).to_have_attribute("aria-pressed", "true")
        page.click("#modes .mode[data-mode='dictionary']")
        expect(page.locator("#modes .mode[data-mode='dictionary']")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#q")).to_have_attribute("placeholder", "输入一个词，比如：恐龙")
        search(page, "恐龙")
        first = page.locator("#results .result").first
        expect(first.locator("h2")).to_contain_text("恐龙", timeout=60_000)  # the first search loads the filter
        expect(first.locator(".domain")).to_have_text("www.mdbg.net")  # the dictionary, not the encyclopedia
        page.click("#modes .mode[data-mode='homework']")
        search(page, "恐龙吃什么")
        expect(page.locator("#results .result .domain").first).not_to_have_text("www.mdbg.net")
        domains = page.locator("#results .result .domain").all_inner_texts()
        assert domains and all("mdbg" not in d for d in domains), domains
        page.click("#lang-toggle")
        expect(page.locator("#modes .mode[data-mode='homework']")).to_contain_text("Homework")
        expect(page.locator("#modes .mode[data-mode='homework']")).to_have_attribute("aria-pressed", "true")
    finally:
        ctx.close()


def test_exempt_time_offers_only_the_exempted_modes_and_the_page_says_so(browser, server):
    set_policy(server, {"version": "modes-exempt", "time": {"daily_limit_min": 0, "night": None,
                                                             "exempt_features": ["dictionary"]}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        expect(page.locator("#stop")).to_be_visible()
        offered = page.locator("#stop-mode-buttons button")
        expect(offered).to_have_count(1)
        expect(offered).to_have_text("查字典")
        offered.click()
        expect(page.locator("#stop")).to_be_hidden()
        expect(page.locator("#banner")).to_have_text("今天的时间用完了，现在只能用：查字典")
        expect(page.locator("#modes .mode[data-mode='dictionary']")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#modes .mode[data-mode='search']")).to_be_disabled()
        expect(page.locator("#modes .mode[data-mode='homework']")).to_be_disabled()
        expect(page.locator("#mic-btn")).to_be_hidden()
        search(page, "火山")
        expect(page.locator("#results .result .domain").first).to_have_text("www.mdbg.net")
        expect(page.locator("#stop")).to_be_hidden()  # the answer's usage (time_up) keeps the exempt view
        page.click("#lang-toggle")
        expect(page.locator("#banner")).to_have_text("Time is up for today. You can still use: Dictionary")
    finally:
        ctx.close()


def test_no_modes_are_offered_without_an_exemption_or_at_night(browser, server):
    set_policy(server, {"version": "modes-none", "time": {"daily_limit_min": 0, "night": None}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        expect(page.locator("#stop")).to_be_visible()
        expect(page.locator("#stop-modes")).to_have_count(1)  # the page has the offer, and does not make it
        expect(page.locator("#stop-modes")).to_be_hidden()
    finally:
        ctx.close()
    set_policy(server, {"version": "modes-night", "time": {"night": {"start": "00:00", "end": "23:59"},
                                                            "exempt_features": ["dictionary", "homework"]}})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        expect(page.locator("#stop")).to_be_visible()
        expect(page.locator("#stop-icon")).to_have_attribute("data-icon", "night")
        expect(page.locator("#stop-modes")).to_be_hidden()  # sleep time: exempt modes do not work either
    finally:
        ctx.close()
        set_policy(server, {"version": "modes-day", "time": DAY})


def test_the_microphone_is_hidden_when_the_parent_turned_voice_off(browser, server):
    set_policy(server, {"version": "modes-voice-off", "voice": False, "time": DAY})
    ctx, page = open_page(browser, server, "zh-CN")
    try:
        expect(page.locator("#mic-btn")).to_be_hidden()
        search(page, "熊猫")  # typing still works
        expect(page.locator("#results .result").first).to_be_visible()
        set_policy(server, {"version": "modes-voice-on", "voice": True, "time": DAY})
        expect(page.locator("#mic-btn")).to_be_visible(timeout=15_000)  # the page's status poll brings it back
    finally:
        ctx.close()
        set_policy(server, {"version": "modes-day-2", "time": DAY})
