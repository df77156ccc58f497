"""The pairing code on the child's page, end to end with real parts: the image's firstboot.py and pair.py
against the real parent portal (uvicorn on 127.0.0.1) write pairing.json; the real `kidsafe device run`
reads it; headless Chromium shows the code, a QR of the portal's pairing URL and the time left, in zh and
en; the parent claims the code in the portal and the page says "paired"; a torn file shows a clear message;
a code that is out shows on the stop screen too (a parent may set the device up at night)."""

from __future__ import annotations

import json
import re

import pytest
from device_server import DeviceServer
from playwright.sync_api import expect
from portal_support import Parent, make_portal
from test_device_browser import open_page, set_policy
from test_firmware_pairing import Layout, firstboot, pair, serve

pytestmark = pytest.mark.usefixtures("chromium_installed")

SLOW = 30_000  # ms: the page polls the device every 5 s; a loaded machine is slower


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    root = tmp_path_factory.mktemp("pairing-root")
    layout = Layout(root)
    (layout.root / "boot/firmware").mkdir(parents=True)
    assert firstboot.run(layout, layout.provisioning_file, "/bin/false") == 0
    home = tmp_path_factory.mktemp("pairing-home")
    (home / "policy.json").write_text(json.dumps({"version": "pair-0", "time": {"daily_limit_min": 45,
                                                                                 "night": None}}))
    srv = DeviceServer(home, env={"KIDSAFE_PAIRING_FILE": str(layout.pairing_dir / "pairing.json")}).start()
    yield srv, layout
    srv.stop()


def test_the_parent_pairs_with_the_code_the_page_shows(browser, device, tmp_path):
    srv, layout = device
    portal = make_portal(f"sqlite:///{tmp_path}/portal.db", signing_key=tmp_path / "portal.key")
    server, url = serve(portal.app)
    ctx, page = open_page(browser, srv, "zh-CN")
    try:
        box = page.locator(".pairing[data-slot='main']")
        expect(box).to_have_attribute("data-state", "unpaired", timeout=SLOW)  # firstboot's file
        expect(box.locator(".pairing-message")).to_contain_text("还没有和家长端配对")
        assert pair.pair(layout, url, once=True) == 1  # a code is out, waiting for the parent
        written = json.loads((layout.pairing_dir / "pairing.json").read_text())
        code = written["user_code"]
        expect(box).to_have_attribute("data-state", "waiting", timeout=SLOW)
        expect(box.locator(".pairing-code")).to_have_text(code)
        expect(box.locator(".pairing-url")).to_have_text(written["url"])
        assert written["url"].endswith(f"/pair?code={code}")  # the portal's PUBLIC_URL/pair?code=...
        qr = box.locator(".pairing-qr")
        expect(qr).to_be_visible()
        expect(qr).not_to_have_js_property("naturalWidth", 0)  # the SVG decoded and drew
        expect(box.locator(".pairing-left-value")).to_have_text(re.compile(r"^1?\d:[0-5]\d$"))  # 10 min
        page.click("#lang-toggle")
        expect(box.locator(".pairing-title")).to_have_text("Pair with the parent app")
        expect(box.locator(".pairing-message")).to_contain_text("enter this pairing code")  # no new fetch
        parent = Parent(portal)
        parent.register("mama")
        r = parent.post("/pair", {"code": code, "child_id": str(parent.add_child()), "name": "speaker"},
                        token_from="/pair")
        assert r.status_code == 303, r.text
        assert pair.pair(layout, url, once=True) == 0
        expect(box).to_have_attribute("data-state", "paired", timeout=SLOW)
        expect(box.locator(".pairing-message")).to_have_text("Paired with the parent app.")
        expect(box.locator(".pairing-code-box")).to_be_hidden()
        (layout.pairing_dir / "pairing.json").write_text('{"status": "wait', encoding="utf-8")  # torn
        expect(box).to_have_attribute("data-state", "invalid", timeout=SLOW)
        expect(box.locator(".pairing-message")).to_contain_text("damaged")
        expect(box.locator(".pairing-message")).to_have_attribute("title", re.compile("pairing.json"))
        expect(box.locator(".pairing-code-box")).to_be_hidden()
    finally:
        ctx.close()
        server.should_exit = True


def test_a_code_that_is_out_shows_on_the_stop_screen(browser, device):
    srv, layout = device
    set_policy(srv, {"version": "pair-stop", "time": {"daily_limit_min": 0, "night": None}})
    path = layout.pairing_dir / "pairing.json"
    path.write_text(json.dumps({"device_id": "ks-1", "status": "paired", "paired_at": 1}), encoding="utf-8")
    ctx, page = open_page(browser, srv, "en-US")
    try:
        expect(page.locator("#stop")).to_be_visible()
        stop_box = page.locator(".pairing[data-slot='stop']")
        expect(stop_box).to_have_attribute("data-state", "paired", timeout=SLOW)
        expect(stop_box).to_be_hidden()  # nothing for the parent to do: the stop screen stays calm
        doc = {"device_id": "ks-1", "status": "waiting", "user_code": "AB12-CD34", "url": "https://p.example/pair",
               "expires_at": 4_000_000_000, "portal_url": "https://p.example"}
        path.write_text(json.dumps(doc), encoding="utf-8")
        expect(stop_box).to_be_visible(timeout=SLOW)
        expect(stop_box.locator(".pairing-code")).to_have_text("AB12-CD34")
    finally:
        ctx.close()
