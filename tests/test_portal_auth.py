"""Portal accounts: sign-up with a recovery code, sign-in, rate limiting, CSRF, cookies, headers, logs."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from portal_support import PASSWORD, Parent, make_portal


@pytest.fixture
def client(tmp_path) -> TestClient:
    return make_portal(f"sqlite:///{tmp_path}/portal.db")


def other_browser(client: TestClient) -> Parent:
    return Parent(TestClient(client.app, base_url="https://testserver", follow_redirects=False))


def test_register_shows_recovery_code_and_signs_in(client: TestClient) -> None:
    parent = Parent(client)
    code = parent.register("mama")
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_and_right_one_works(client: TestClient) -> None:
    Parent(client).register("mama")
    browser = other_browser(client)
    bad = browser.post("/login", {"username": "mama", "password": "wrong password!"})
    assert bad.status_code == 400 and "ks_session" not in str(bad.headers.get_list("set-cookie"))
    good = browser.post("/login", {"username": "mama", "password": PASSWORD})
    assert good.status_code == 303 and good.headers["location"] == "/"
    assert browser.client.get("/").status_code == 200


def test_login_is_rate_limited_even_with_the_right_password(client: TestClient) -> None:
    Parent(client).register("mama")
    browser = other_browser(client)
    for _ in range(5):
        assert browser.post("/login", {"username": "mama", "password": "guess-guess-guess"}).status_code == 400
    blocked = browser.post("/login", {"username": "mama", "password": PASSWORD})
    assert blocked.status_code == 429
    assert browser.client.get("/").status_code == 303  # not signed in


def test_recovery_code_sets_a_new_password_once(client: TestClient) -> None:
    code = Parent(client).register("mama")
    browser = other_browser(client)
    r = browser.post("/recover", {"username": "mama", "code": code.lower().replace("-", " "),
                                  "password": "a brand new password"})
    assert r.status_code == 200 and "recovery-code" in r.text
    assert other_browser(client).post("/login", {"username": "mama", "password": PASSWORD}).status_code == 400
    fresh = other_browser(client)
    assert fresh.post("/login", {"username": "mama", "password": "a brand new password"}).status_code == 303
    # the old code is spent
    again = other_browser(client).post("/recover", {"username": "mama", "code": code, "password": "x" * 12})
    assert again.status_code == 400


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_state_changing_forms_need_the_csrf_token(client: TestClient, token: str | None) -> None:
    parent = Parent(client)
    parent.register("mama")
    data = {"name": "小明", "birth_year": "2016"}
    if token is not None:
        data["csrf_token"] = token
    r = client.post("/children/new", data=data)
    assert r.status_code == 403
    assert "小明" not in client.get("/").text


def test_csrf_token_of_another_browser_is_refused(client: TestClient) -> None:
    parent = Parent(client)
    parent.register("mama")
    stranger_token = other_browser(client).token("/login")
    r = client.post("/children/new", data={"name": "小明", "birth_year": "2016", "csrf_token": stranger_token})
    assert r.status_code == 403


def test_session_cookie_flags_and_security_headers(client: TestClient) -> None:
    browser = Parent(client)
    token = browser.token("/register")
    r = client.post("/register", data={"username": "mama", "password": PASSWORD, "password2": PASSWORD,
                                       "csrf_token": token})
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("__Host-ks_session="))
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag.lower() in cookie.lower()
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_no_passwords_or_codes_in_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code = Parent(client).register("mama")
    browser = other_browser(client)
    for _ in range(6):
        browser.post("/login", {"username": "mama", "password": "secret-guess-123"})
    browser.post("/recover", {"username": "mama", "code": code, "password": "another secret pw"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "rate" in text.lower() or "refused" in text.lower()  # the flood was logged ...
    for secret in (PASSWORD, "secret-guess-123", "another secret pw", code):
        assert secret not in text  # ... without a secret


def test_second_parent_joins_the_family_with_an_invitation(client: TestClient) -> None:
    mama = Parent(client)
    mama.register("mama")
    child_id = mama.add_child("小红", 2015)
    r = mama.post("/account/invite", {}, token_from="/account")
    invite = re.search(r'id="invite-code">([^<]+)<', r.text).group(1)
    papa = other_browser(client)
    papa.register("papa", invite=invite)
    assert papa.client.get(f"/children/{child_id}").status_code == 200
    # the invitation works once
    third = other_browser(client)
    r = third.post("/register", {"username": "aunt", "password": PASSWORD, "password2": PASSWORD, "invite": invite})
    assert r.status_code == 400


def test_language_switch_and_default_chinese(client: TestClient) -> None:
    page = client.get("/login")
    assert "登录" in page.text
    browser = Parent(client)
    r = browser.post("/lang", {"code": "en", "next": "//evil.example/"}, token_from="/login")
    assert r.status_code == 303 and r.headers["location"] == "/"  # no open redirect
    assert "Sign in" in client.get("/login").text
