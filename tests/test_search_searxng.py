"""The SearXNG provider against a real local HTTP server speaking SearXNG's JSON, and when it is down."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from device.search.pipeline import SearchPipeline
from device.search.searxng import SearxngProvider
from device.search.types import ProviderUnavailable
from filters.engine import TextFilter

REPO = Path(__file__).resolve().parent.parent

REPLY = {
    "query": "panda",
    "number_of_results": 6,
    "results": [
        {"title": "Giant panda - facts for kids", "content": "Giant pandas eat bamboo.",
         "url": "https://zoo.example/panda", "engine": "duckduckgo", "score": 3.0},
        {"title": "Panda videos", "content": "free porn videos, hot sex chat",
         "url": "https://tube.example/panda", "engine": "bing"},
        {"title": "Panda casino", "content": "online casino, bet now and win",
         "url": "https://casino.example/panda", "engine": "bing"},
        {"title": "Panda toys giveaway", "content": "扫码加群 免费领熊猫玩具",
         "url": "https://gift.example/qr", "engine": "baidu"},
        {"title": "Lost panda plush", "content": "Found a plush panda, call 13800138000",
         "url": "https://board.example/lost", "engine": "baidu"},
        {"title": "Panda on the block list", "content": "panda pictures",
         "url": "https://kanpian-app.example/p", "engine": "bing"},
        {"title": "no url", "content": "ignored"},
    ],
    "answers": [], "suggestions": [], "unresponsive_engines": [],
}


class StubSearxng(BaseHTTPRequestHandler):
    requests: list[dict] = []
    mode = "ok"

    def do_GET(self):  # noqa: N802 - http.server API
        parts = urlsplit(self.path)
        StubSearxng.requests.append({"path": parts.path, "query": parse_qs(parts.query)})
        if StubSearxng.mode == "slow":
            time.sleep(2.0)
        if StubSearxng.mode == "error":
            self.send_error(500)
            return
        body = b"<html>not json</html>" if StubSearxng.mode == "html" else json.dumps(REPLY).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StubSearxng)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def reset():
    StubSearxng.requests.clear()
    StubSearxng.mode = "ok"


@pytest.fixture(scope="module")
def text_filter():
    return TextFilter.load()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_provider_speaks_searxng_json(server):
    hits = SearxngProvider(server, timeout_s=5).search("熊猫 panda", 10)
    req = StubSearxng.requests[-1]
    assert req["path"] == "/search"
    assert req["query"]["q"] == ["熊猫 panda"] and req["query"]["format"] == ["json"]
    assert [h.url for h in hits][:2] == ["https://zoo.example/panda", "https://tube.example/panda"]
    assert len(hits) == 6  # the result without a URL is skipped


def test_pipeline_filters_searxng_results(server, text_filter):
    events = []
    pipe = SearchPipeline(text_filter, SearxngProvider(server, timeout_s=5), event_sink=events.append)
    out = pipe.search("panda").to_json()
    urls = [r["url"] for r in out["results"]]
    assert urls == ["https://zoo.example/panda", "https://board.example/lost"]
    assert "13800138000" not in json.dumps(out)
    assert out["hidden"] == 4
    assert {r["hidden_by"] for r in out["reasons"] if r["where"] == "result"} == {"filter", "lure", "domain"}
    assert events[-1]["kind"] == "search_results_hidden"


def test_query_pii_never_reaches_searxng(server, text_filter):
    pipe = SearchPipeline(text_filter, SearxngProvider(server, timeout_s=5))
    pipe.search("panda 我的手机13912345678")
    assert "13912345678" not in json.dumps(StubSearxng.requests)
    pipe.search("黄色小说")  # blocked: never sent at all
    assert len(StubSearxng.requests) == 1


@pytest.mark.parametrize("mode", ["error", "html", "slow"])
def test_bad_replies_and_timeouts_are_offline(server, text_filter, mode):
    StubSearxng.mode = mode
    provider = SearxngProvider(server, timeout_s=0.5)
    with pytest.raises(ProviderUnavailable):
        provider.search("panda", 10)
    out = SearchPipeline(text_filter, provider).search("熊猫").to_json()
    assert out["action"] == "offline" and out["results"] == [] and out["message"] == "搜索暂时不可用，请稍后再试。"


def test_unreachable_searxng_is_offline_not_a_crash(text_filter):
    events = []
    provider = SearxngProvider(f"http://127.0.0.1:{_closed_port()}", timeout_s=1)
    out = SearchPipeline(text_filter, provider, event_sink=events.append).search("panda").to_json()
    assert out["action"] == "offline" and "offline" in out["message"]
    assert events[-1]["kind"] == "search_offline"


def test_cli_with_searxng_provider(server, tmp_path):
    env = {"KIDSAFE_HOME": str(tmp_path), "KIDSAFE_SEARXNG_URL": server}
    run = subprocess.run([sys.executable, "-m", "kidsafe.cli", "search", "panda", "--json", "--provider", "searxng",
                          "--no-model"], cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [r["url"] for r in out["results"]][0] == "https://zoo.example/panda" and out["hidden"] == 4
    down = subprocess.run([sys.executable, "-m", "kidsafe.cli", "search", "熊猫", "--json", "--provider", "searxng",
                           "--no-model", "--searxng-url", f"http://127.0.0.1:{_closed_port()}"],
                          cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert down.returncode == 0 and json.loads(down.stdout)["action"] == "offline"
