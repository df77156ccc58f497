"""The support notice in a real headless Chromium at phone size (375 px), against the real portal served by
uvicorn, a real mosquitto and an ingestion worker: a device's "support_needed" event shows first on the
child's card, on the first screen, as an alert, with the help line as a tel: link; "I have talked with my
child" ends it. Screenshot: reports/portal-screens/care-notice.png (gitignored)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from portal_support import TOKEN, SimDevice
from test_portal_browser import PHONE, SHOTS, stack  # noqa: F401 (the module's portal server fixture)

from parent_portal.models import Child, Device

pytestmark = pytest.mark.usefixtures("chromium_installed")
expect.set_options(timeout=30_000)  # a loaded machine: the checks wait, they never assert on time


def form_post(page, url: str, path: str, fields: dict) -> None:  # noqa: ANN001
    """A form the way the browser sends it (the context's cookies, the page's CSRF token)."""
    token = TOKEN.search(page.request.get(url + path).text()).group(1)
    r = page.request.post(url + path, form={**fields, "csrf_token": token}, max_redirects=0)
    assert r.status in (200, 303), r.text()


def test_the_notice_is_first_on_the_phone_screen_and_can_be_closed(stack, browser, portal_broker) -> None:  # noqa: F811
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = ctx.new_page()
    device = None
    try:
        password = "correct horse battery"
        form_post(page, stack.url, "/register", {"username": "baba", "password": password, "password2": password,
                                                 "invite": ""})
        form_post(page, stack.url, "/children/new", {"name": "小华", "birth_year": "2015"})
        with stack.app.state.sessions() as db:
            child = db.query(Child).filter_by(name="小华").one()
            db.add(Device(id="watch-9", child_id=child.id, secret_hash="x", name="手表"))
            db.commit()
        device = SimDevice(portal_broker.port, "watch-9")
        device.event("support_needed", {"category": "self_harm", "source": "voice", "lang": "zh"})

        page.goto(stack.url + "/")
        notice = page.locator("section.support")
        for _ in range(60):  # the worker stores it: reload until it is there (bounded by tries, not time)
            if notice.count():
                break
            time.sleep(0.5)
            page.reload()
        expect(notice).to_be_visible()
        assert notice.get_attribute("role") == "alert"
        expect(notice.locator("h2")).to_have_text("小华 可能需要您的关心和支持")
        expect(notice.locator("a[href='tel:12356']")).to_have_text("12356")
        box = notice.bounding_box()
        assert box is not None and box["y"] < PHONE["height"] / 2  # on the first screen, not below the fold
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "care-notice.png"), full_page=True)

        notice.locator("button[name=seen]").click()
        expect(page.locator("h1")).to_have_text("您的孩子")
        expect(notice).to_have_count(0)
    finally:
        if device is not None:
            device.close()
        ctx.close()
