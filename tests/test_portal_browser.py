"""The parent's story in a real headless Chromium (Debian's, via Playwright) at phone size (375 px),
against the real portal served by uvicorn, a real mosquitto, an ingestion worker and a simulated
device: sign up, add a child, pair by the device's code, set a limit and watch it reach the device,
a live "more time" request approved, the report with charts, the English switch.
Screenshots go to reports/portal-screens/ (gitignored)."""

from __future__ import annotations

import re
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright
from portal_support import SimDevice, child_today, free_port, wait_port

from mqtt_bridge import payloads
from parent_portal.app import create_app
from parent_portal.ingest import TelemetryWorker
from parent_portal.migrate import upgrade
from parent_portal.settings import PortalSettings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(__file__).resolve().parent.parent / "reports" / "portal-screens"
PHONE = {"width": 375, "height": 812}
RECOVERY = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")

pytestmark = pytest.mark.usefixtures("chromium_installed")
expect.set_options(timeout=20_000)  # a loaded CI machine: the checks wait, they never assert on time


class PortalServer:
    def __init__(self, settings: PortalSettings) -> None:
        upgrade(settings.sqlalchemy_url())
        self.app = create_app(settings)
        self.port = settings.public_url.rsplit(":", 1)[1]
        self.url = settings.public_url
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=int(self.port),
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> PortalServer:
        self.thread.start()
        wait_port(int(self.port), timeout=30)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, portal_broker):  # noqa: ANN001, ANN201
    folder = tmp_path_factory.mktemp("portal-browser")
    port = free_port()
    settings = PortalSettings(database_url=f"sqlite:///{folder}/portal.db", mqtt_port=portal_broker.port,
                              data_dir=folder, public_url=f"http://127.0.0.1:{port}", password_hashing="cheapest",
                              mqtt_timeout_s=2.0)
    server = PortalServer(settings).start()
    worker = TelemetryWorker(settings, sessions=server.app.state.sessions)
    worker.start()
    assert worker.subscribed.wait(10)
    yield server
    worker.stop()
    server.stop()


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def live_applied(page) -> None:  # noqa: ANN001
    """The settings page updates by itself (server-sent events) once the device's state is ingested; no
    reload. Waits on the condition with a generous limit: a loaded machine is slow, not wrong."""
    expect(page.locator("#applied-speaker-1")).to_contain_text("设备已于", timeout=90_000)


def shot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide at a 375 px screen"


def test_parent_story_at_phone_size(stack, browser, portal_broker) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    try:
        # sign up (Chinese by default); the recovery code is shown once
        page.goto(stack.url + "/register")
        expect(page.locator("h1")).to_have_text("注册账户")
        page.fill("input[name=username]", "mama")
        page.fill("input[name=password]", "correct horse battery")
        page.fill("input[name=password2]", "correct horse battery")
        page.click("button.primary")
        expect(page.locator("#recovery-code")).to_have_text(RECOVERY)
        shot(page, "01-recovery-code")
        page.click("a.button.primary")

        # add a child: the age band sets the CAC defaults
        page.click("a[href='/children/new']")
        page.fill("input[name=name]", "小明")
        page.fill("input[name=birth_year]", str(date.today().year - 9))
        page.click("button.primary")
        expect(page.locator("h1")).to_have_text("小明")
        assert page.input_value("input[name=weekday_limit_min]") == "60"

        # the device shows a code and a QR code; the parent scans it (opens the URL) and pairs
        started = page.request.post(stack.url + "/api/pair/start", data={"device_id": "speaker-1"}).json()
        page.goto(started["url"])
        expect(page.locator("input[name=code]")).to_have_value(started["user_code"])
        shot(page, "02-pair")
        page.fill("input[name=name]", "客厅音箱")
        page.click("button.primary")
        expect(page.locator("#applied-speaker-1")).to_contain_text("等待设备")
        creds = page.request.post(stack.url + "/api/pair/poll", data={"device_code": started["device_code"]}).json()
        assert creds["status"] == "paired"

        device = SimDevice(portal_broker.port, "speaker-1")
        try:
            first = payloads.parse(payloads.PolicyMessage, device.next_message("policy"))
            device.state(policy_version=first.version)
            live_applied(page)

            # set a limit and watch it reach the device
            page.fill("input[name=weekday_limit_min]", "45")
            page.fill("textarea[name=block_words]", "吃鸡")
            page.click("#save")
            expect(page.locator(".notice")).to_be_visible()
            expect(page.locator("#applied-speaker-1")).to_contain_text("等待设备")
            second = payloads.parse(payloads.PolicyMessage, device.next_message("policy"))
            assert second.policy["time"]["daily_limit_min"]["weekday"] == 45
            assert second.policy["block_words"] == ["吃鸡"]
            device.state(policy_version=second.version)
            live_applied(page)
            shot(page, "03-child-settings-applied")

            # blocked items and usage from the device
            for i, (cat, rule, view) in enumerate([("sexual", "lexicon:core:色情", "pinyin"),
                                                    ("gambling", "lexicon:core:赌博", "homophone"),
                                                    ("sexual", "lexicon:core:裸聊", "emoji")]):
                device.event("search_blocked", {"category": cat, "rule": rule, "view": view}, seq=i + 1)
            device.event("clock_tamper", {"delta_s": -3600}, seq=4)
            device.publish("usage", payloads.UsageMessage(device_id="speaker-1", day=child_today().isoformat(),
                                                          used_s=1800, ts=time.time()))

            # a live "more time" request on the dashboard, approved with 30 minutes
            page.goto(stack.url + "/")
            expect(page.locator("#live-requests")).to_be_attached()
            device.publish("requests", payloads.MoreTimeRequest(
                device_id="speaker-1", request_id=1, minutes=20, day=child_today().isoformat(), created=time.time(),
                note="作业还差一点"))
            live = page.locator("#live-request-1")
            expect(live).to_contain_text("请求再用 20 分钟")
            shot(page, "04-live-request")
            live.locator("input[name=minutes]").fill("30")
            live.locator("button[value=approve]").click()
            expect(page.locator("text=已同意：30 分钟")).to_be_visible()
            answer = payloads.parse(payloads.MoreTimeAnswer, device.next_message("answers"))
            assert answer.approved and answer.minutes == 30

            # the report: charts, what was blocked and why, tamper warnings
            page.goto(stack.url + "/")
            page.click("text=报告")
            expect(page.locator("#blocked")).to_contain_text("lexicon:core:赌博")
            expect(page.locator("#tamper")).to_contain_text("clock_tamper")
            assert page.locator("svg.chart").count() == 2
            shot(page, "05-report")
            page.locator("#blocked button[value=wrong_block]").first.click()
            expect(page.locator("#blocked")).to_contain_text("感谢您的反馈")
        finally:
            device.close()

        # switch to English: the same page, every text in English
        page.click("button[name=code][value=en]")
        expect(page.locator("h1")).to_contain_text("Report for 小明")
        shot(page, "06-report-en")
    finally:
        ctx.close()
