"""The search pipeline against the embedded provider with the real filter (word packs, PII, .tflite)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from device.search import build_corpus
from device.search.local import CORPUS_DIR, LocalIndexProvider
from device.search.pipeline import SearchPipeline
from device.search.tokens import query_tokens
from filters.engine import TextFilter
from models import MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
CORPUS = [json.loads(line) for f in sorted(CORPUS_DIR.glob("*.jsonl")) for line in f.open(encoding="utf-8")]
HARMFUL = [d for d in CORPUS if d["label"] == "harmful"]
PII = [d for d in CORPUS if d["label"] == "pii"]


@pytest.fixture(scope="module")
def provider() -> LocalIndexProvider:
    return LocalIndexProvider().open()


@pytest.fixture(scope="module", params=["wordlists", "with_model"])
def pipeline(request, provider) -> SearchPipeline:
    model = MODEL_PATH if request.param == "with_model" else None
    return SearchPipeline(TextFilter.load(model_path=model), provider)


def _leaks(out: dict, doc: dict) -> bool:
    return any(r["url"] == doc["url"] or r["title"] == doc["title"] for r in out["results"])


def test_corpus_is_committed_fresh_and_big_enough():
    assert build_corpus.main(["--check"]) == 0
    assert len(CORPUS) >= 2000
    assert {d["lang"] for d in CORPUS} >= {"zh", "en"}
    assert len(HARMFUL) >= 25 and len(PII) >= 3
    assert all(p.stat().st_size < 5_000_000 for p in CORPUS_DIR.glob("*.jsonl"))


def test_harmful_results_never_reach_the_output(pipeline, provider):
    """Every allowed word of every harmful entry's title is searched; none of them may be shown."""
    retrieved = hidden = 0
    for doc in HARMFUL:
        for token in query_tokens(doc["title"]):
            if len(token) < 2:
                continue
            candidates = provider.search(token, 30)
            retrieved += any(h.url == doc["url"] for h in candidates)
            out = pipeline.search(token).to_json()
            assert not _leaks(out, doc), (token, doc["title"])
            hidden += out["hidden"]
    assert retrieved > 50 and hidden > 50  # the harmful entries really were candidates


def test_pii_in_results_is_redacted(pipeline):
    for doc in PII:
        for token in query_tokens(doc["title"])[:4]:
            out = json.dumps(pipeline.search(token).to_json(), ensure_ascii=False)
            for value in doc["pii_values"]:
                assert value not in out, (token, value)


@pytest.mark.parametrize(("query", "expected_title"), [
    ("大熊猫吃什么", "大熊猫吃什么？"),
    ("What do giant pandas eat?", "What do giant pandas eat?"),
    ("法国的首都是哪里", "法国的首都是哪里？"),
    ("capital of France", "What is the capital of France?"),
    ("7乘8", "7乘8等于几？"),
    ("恐龙博物馆", "恐龙博物馆 参观指南"),
    ("How big is Jupiter", "How big is Jupiter?"),
])
def test_benign_results_come_through(pipeline, query, expected_title):
    out = pipeline.search(query).to_json()
    assert out["action"] == "allow"
    assert expected_title in [r["title"] for r in out["results"][:3]]


def test_harmful_query_refused_kindly(pipeline):
    events = []
    pipe = SearchPipeline(pipeline.text_filter, pipeline.provider, event_sink=events.append)
    for query in ("黄色小说", "free porn videos", "菠菜平台注册"):
        out = pipe.search(query).to_json()
        assert out["action"] == "block" and out["results"] == []
        for word in ("黄色", "porn", "菠菜"):
            assert word not in out["message"] and word not in out["query"]
    assert [e["kind"] for e in events] == ["search_blocked"] * 3


def test_pii_query_redacted_before_provider(pipeline):
    seen = []

    class Spy:
        name = "spy"

        def search(self, query, limit):
            seen.append(query)
            return pipeline.provider.search(query, limit)

    out = SearchPipeline(pipeline.text_filter, Spy()).search("熊猫 我的电话13912345678").to_json()
    assert out["action"] == "redact"
    assert seen and "13912345678" not in seen[0] and "13912345678" not in json.dumps(out)


def test_index_persists_in_home_and_rebuilds_when_corpus_changes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = {"title": "长颈鹿", "snippet": "长颈鹿很高", "url": "https://a.example/1", "label": "benign"}
    (corpus / "a.jsonl").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    p1 = LocalIndexProvider(home=tmp_path, corpus_dir=corpus)
    assert [h.title for h in p1.search("长颈鹿", 5)] == ["长颈鹿"]
    index = tmp_path / "search" / "index.sqlite3"
    mtime = index.stat().st_mtime_ns
    p1.close()
    p2 = LocalIndexProvider(home=tmp_path, corpus_dir=corpus)
    p2.search("长颈鹿", 5)
    assert index.stat().st_mtime_ns == mtime  # reused
    p2.close()
    doc2 = dict(doc, title="斑马", url="https://a.example/2")
    with (corpus / "a.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(doc2, ensure_ascii=False) + "\n")
    p3 = LocalIndexProvider(home=tmp_path, corpus_dir=corpus)
    assert [h.title for h in p3.search("斑马", 5)] == ["斑马"]


def test_cli_search_json_contract(tmp_path):
    env = {"KIDSAFE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "kidsafe.cli", "search", "恐龙", "--json"], cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) == {"query", "action", "message", "results", "hidden", "reasons"}
    assert out["results"] and set(out["results"][0]) == {"title", "snippet", "url"}
    assert out["hidden"] >= 1  # the corpus mixes harmful 恐龙 pages in
    assert (tmp_path / "events.sqlite3").exists()
    refused = subprocess.run([sys.executable, "-m", "kidsafe.cli", "search", "黄色小说", "--json"], cwd=REPO,
                             capture_output=True, text=True, env=env, timeout=120)
    out = json.loads(refused.stdout)
    assert out["action"] == "block" and out["results"] == [] and "黄色" not in refused.stdout


def test_cli_bad_policy_is_a_clear_error(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text('{"age_band": "toddler"}', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kidsafe.cli", "search", "熊猫", "--policy", str(bad)], cwd=REPO,
                         capture_output=True, text=True, env={"KIDSAFE_HOME": str(tmp_path)}, timeout=120)
    assert run.returncode == 2 and "age_band" in run.stderr


def test_equal_scores_come_in_index_order(tmp_path):
    """Documents the ranking cannot tell apart come back in corpus order, at the LIMIT boundary too (the query's
    ORDER BY names the index row as the tie-breaker; SQLite's own order of equals is not guaranteed by SQL)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docs = [{"id": f"d{i}", "title": "恐龙化石" if i % 3 else "恐龙化石博物馆", "snippet": "恐龙生活在很久以前",
             "url": f"https://a.example/{i}", "label": "benign"} for i in range(24)]
    (corpus / "a.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    provider = LocalIndexProvider(corpus_dir=corpus)
    short = [f"d{i}" for i in range(24) if i % 3]  # the shorter title scores higher (bm25's length norm)
    longer = [f"d{i}" for i in range(24) if not i % 3]
    for limit in (5, 16, 20, 24):
        assert [h.source_id for h in provider.search("恐龙化石", limit)] == (short + longer)[:limit]
