"""Alembic migrations on SQLite and on a real PostgreSQL: up, down, up again, and the models match."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from portal_support import Parent, fresh_database, make_portal
from sqlalchemy import inspect

from parent_portal.db import make_engine
from parent_portal.migrate import downgrade, upgrade
from parent_portal.models import Base
from parent_portal.settings import PortalSettings

TABLES = {"families", "parents", "sessions", "login_failures", "family_invites", "children", "devices",
          "pairing_codes", "time_requests", "usage_days", "events", "feedback"}


@pytest.fixture
def database_url(portal_db_url: str) -> str:
    return portal_db_url  # SQLite and PostgreSQL (tests/conftest.py)


def test_upgrade_downgrade_upgrade_and_models_match(database_url: str) -> None:
    url = PortalSettings(database_url=database_url).sqlalchemy_url()
    upgrade(url)
    engine = make_engine(url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(url)
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(url)
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_portal_works_on_postgresql(portal_pg_server: str, tmp_path) -> None:  # noqa: ANN001
    url = fresh_database(portal_pg_server, "kidsafe_portal_story")
    client = make_portal(url)
    parent = Parent(client)
    parent.register("mama")
    child_id = parent.add_child("小明", 2016)
    assert "小明" in client.get("/").text
    r = parent.post(f"/children/{child_id}/settings", {
        "weekday_limit_min": "30", "weekend_limit_min": "60", "break_after_min": "30", "break_pause_min": "5",
        "reporting": "counts", "language": "en"}, token_from=f"/children/{child_id}")
    assert r.status_code == 303
    stranger = Parent(TestClient(client.app, base_url="https://testserver", follow_redirects=False))
    for _ in range(5):
        assert stranger.post("/login", {"username": "mama", "password": "nope-nope-nope"}).status_code == 400
    assert stranger.post("/login", {"username": "mama", "password": "x" * 12}).status_code == 429
    client.app.state.engine.dispose()


def test_child_timezone_migration_keeps_existing_children(database_url: str) -> None:
    """0001 -> 0002 on a database with a child: the child stays and gets the old single zone."""
    from sqlalchemy import text

    url = PortalSettings(database_url=database_url).sqlalchemy_url()
    upgrade(url, "0001")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO families (id, created_at) VALUES (1, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO children (id, family_id, name, birth_year, settings, policy_version, "
                              "created_at) VALUES (1, 1, '小明', 2016, '{}', 3, CURRENT_TIMESTAMP)"))
        upgrade(url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, policy_version, timezone FROM children")).one()
        assert tuple(row) == ("小明", 3, "Asia/Shanghai")
        downgrade(url, "0001")
        assert "timezone" not in {c["name"] for c in inspect(engine).get_columns("children")}
    finally:
        engine.dispose()
