"""Schemathesis against the portal's own OpenAPI schema: every operation, with a signed-in parent and a
valid CSRF token, answers without a server error and as its schema says (status codes, content types,
JSON bodies). Bounded: a few examples per operation, well under a minute on a quiet machine."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from portal_support import TOKEN, Parent, make_portal
from schemathesis import GenerationMode
from schemathesis import checks as sc
from schemathesis.core import NotSet

from parent_portal import sse
from parent_portal.deps import new_session
from parent_portal.models import Parent as ParentRow

EXAMPLES_PER_OPERATION = 10
CHECKS = [sc.not_a_server_error, sc.status_code_conformance, sc.content_type_conformance,
          sc.response_schema_conformance, sc.response_headers_conformance]
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def signed_in(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A portal with one family (a child, a settings save) and a way to mint a fresh session per case."""
    monkeypatch.setattr(sse, "STREAM_LIFETIME_S", 0.2)  # the live streams end quickly here
    monkeypatch.setattr(sse, "STREAM_POLL_S", 0.1)
    client = make_portal(f"sqlite:///{tmp_path}/portal.db")
    parent = Parent(client)
    parent.register("mama")
    parent.add_child("小明", 2016)
    csrf_cookie = client.cookies.get("ks_csrf")
    token = TOKEN.search(client.get("/").text)
    assert csrf_cookie and token
    sessions = client.app.state.sessions

    def fresh_cookies() -> dict[str, str]:
        with sessions() as db:
            row = db.query(ParentRow).filter_by(username="mama").one()
            raw = new_session(db, row, 1)
            db.commit()
        return {"__Host-ks_session": raw, "ks_csrf": csrf_cookie}

    return client.app, fresh_cookies, token.group(1)


def _with_csrf(case: schemathesis.Case, token: str) -> None:
    """Browsers send the form token with every state-changing form; schemathesis does not know it."""
    if case.method.upper() in ("GET", "HEAD", "OPTIONS"):
        return
    if case.media_type in (None, FORM) and (isinstance(case.body, dict) or isinstance(case.body, NotSet)):
        body = case.body if isinstance(case.body, dict) else {}
        case.body = {**body, "csrf_token": token}
        case.media_type = FORM


def test_schemathesis_finds_no_server_error_and_no_schema_violation(signed_in) -> None:  # noqa: ANN001
    app, fresh_cookies, token = signed_in
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25, "the schema lost operations"
    seen: dict[str, set[int]] = {}

    failures: list[str] = []
    for operation in operations:
        _fuzz(operation, fresh_cookies, token, seen, failures)
    assert not failures, "\n\n".join(failures)
    # the pass reached signed-in pages (not only the sign-in redirect) and its forms passed the CSRF check
    assert 200 in seen["GET /"] and 200 in seen["GET /account"] and 200 in seen["GET /children/{child_id}"], seen
    assert not [label for label, codes in seen.items() if 403 in codes], seen


def _fuzz(operation: schemathesis.APIOperation, fresh_cookies, token: str,  # noqa: ANN001
          seen: dict[str, set[int]], failures: list[str]) -> None:
    modes = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=modes)
    def exercise(case: schemathesis.Case) -> None:
        _with_csrf(case, token)
        response = case.call(cookies=fresh_cookies(), base_url="https://testserver")
        seen.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    try:
        exercise()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 (collected: one report for every operation)
        failures.append(f"{operation.label}: {type(exc).__name__}: {exc}"[:600])
