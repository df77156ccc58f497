"""Shared fixtures: the normaliser tables and segmenter load once per test session."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from real_parts import require

from filters.lexicon import load_pack
from filters.matcher import Matcher
from filters.normalize import Normalizer
from filters.segment import Segmenter

# built word-pack matchers are cached per test session (and for the CLIs the tests start), never in ~/.cache
if "KIDSAFE_CACHE_DIR" not in os.environ:
    os.environ["KIDSAFE_CACHE_DIR"] = tempfile.mkdtemp(prefix="kidsafe-cache-")
    atexit.register(shutil.rmtree, os.environ["KIDSAFE_CACHE_DIR"], True)

TEST_DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.fixture(scope="session")
def test_matcher(normalizer: Normalizer, segmenter: Segmenter) -> Matcher:
    pack = load_pack(TEST_DATA / "test_pack.json")
    chaizi = json.loads((TEST_DATA / "test_chaizi.json").read_text(encoding="utf-8"))["map"]
    return Matcher(pack.entries, normalizer, segmenter, chaizi)


@pytest.fixture(scope="session")
def shipped_filter():
    """The shipped packs, word lists and PII only (no model): the filter as `kidsafe check --no-model`."""
    from filters.engine import TextFilter

    return TextFilter.load()


@pytest.fixture(scope="session")
def model_filter():
    """The shipped packs and the shipped model: the filter as `kidsafe check` runs it."""
    from filters.engine import TextFilter
    from models import MODEL_PATH

    tf = TextFilter.load(model_path=MODEL_PATH)
    assert tf.classifier is not None, tf.model_error
    return tf


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201
    """In CI every real part is installed by .ci/run, so a test that skips there is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (a real part is missing; .ci/run must install it): {report.longrepr}"


@pytest.fixture
def tts_tools() -> None:
    require(shutil.which("espeak-ng") and shutil.which("sox"), "espeak-ng or sox (apt-get install espeak-ng sox)")


@pytest.fixture(scope="module")
def chromium_installed() -> None:
    require(shutil.which("chromium") or Path("/usr/bin/chromium").exists(), "chromium (apt-get install chromium)")


# -- parent portal (helpers in tests/portal_support.py) ------------------------------------------------
@pytest.fixture(scope="module")
def portal_broker(tmp_path_factory):  # noqa: ANN201
    """A real mosquitto on a free 127.0.0.1 port for the portal's tests."""
    from portal_support import Mosquitto

    broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def portal_pg_server(tmp_path_factory):  # noqa: ANN201
    """A PostgreSQL server URL: CI's (KIDSAFE_TEST_PG_URL) or a throwaway cluster started here."""
    from portal_support import postgres_server_url

    yield from postgres_server_url(tmp_path_factory)


@pytest.fixture(params=["sqlite", "postgresql"])
def portal_db_url(request, tmp_path) -> str:  # noqa: ANN001
    """The portal's database for tests that must hold on both: a SQLite file, or a fresh database on the
    PostgreSQL server (each test its own)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/portal.db"
    import hashlib

    from portal_support import fresh_database

    server = request.getfixturevalue("portal_pg_server")
    return fresh_database(server, "kidsafe_" + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:16])


@pytest.fixture(scope="module")
def pw():  # noqa: ANN201
    """Playwright, for the browser tests of the child's page (real Debian Chromium)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(pw):  # noqa: ANN001, ANN201
    from test_device_browser import ARGS, CHROMIUM

    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    yield b
    b.close()
