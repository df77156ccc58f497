"""TextFilter: actions under policies, parent words, hot pack reload, model-unavailable notice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filters.engine import TextFilter
from filters.lexicon import PACKS_DIR, LexiconError, load_pack
from filters.policy import FilterPolicy, PolicyError

TEST_PACK = Path(__file__).resolve().parent / "data" / "test_pack.json"


@pytest.fixture(scope="module")
def tf() -> TextFilter:
    return TextFilter([load_pack(TEST_PACK)])


def test_actions(tf: TextFilter) -> None:
    v = tf.check("看色情小说")
    assert v.action == "block" and v.categories == ["sexual"]
    assert v.reasons[0].rule == "lexicon:test-pack:色情" and v.reasons[0].span == (1, 3)
    assert "色情" not in v.redacted
    assert tf.check("今天天气很好").action == "allow"
    r = tf.check("我的手机号是 186 1234 5678")
    assert r.action == "redact" and "1234" not in r.redacted and r.categories == ["pii"]


def test_severity_by_age_band(tf: TextFilter) -> None:
    # 抽烟 has severity 1: blocked for the young bands, not for 12+
    assert tf.check("抽烟", FilterPolicy.for_band("under8")).action == "block"
    assert tf.check("抽烟", FilterPolicy.for_band("8-11")).action == "block"
    assert tf.check("抽烟", FilterPolicy.for_band("12-15")).action == "allow"
    assert tf.check("色情", FilterPolicy.for_band("16-17")).action == "block"


def test_blocked_categories(tf: TextFilter) -> None:
    policy = FilterPolicy.from_dict({"blocked_categories": ["sexual"]})
    assert tf.check("赌球", policy).action == "allow"
    assert tf.check("色情", policy).action == "block"


def test_parent_words(tf: TextFilter) -> None:
    policy = FilterPolicy.from_dict({"block_words": ["奥特曼", "fortnite"], "allow_words": ["sex"]})
    v = tf.check("我想看奥 特 曼", policy)
    assert v.action == "block" and v.reasons[0].kind == "policy" and v.reasons[0].matched == "奥 特 曼"
    assert tf.check("Fortnite skins", policy).action == "block"
    assert tf.check("sex", policy).action == "allow"
    assert tf.check("sex", FilterPolicy()).action == "block"


@pytest.mark.parametrize(
    "doc",
    [{"age_band": "toddler"}, {"blocked_categories": ["politics"]}, {"min_severity": 5},
     {"allow_words": "x"}, {"model_thresholds": {"sexual": 2}}, [], {"redact_pii": "yes"}],
)
def test_invalid_policies(doc: object) -> None:
    with pytest.raises(PolicyError):
        FilterPolicy.from_dict(doc)


def test_hot_reload_and_bad_pack_keeps_old(tmp_path: Path) -> None:
    d = tmp_path / "packs"
    d.mkdir()
    shutil.copy(TEST_PACK, d / "a.json")
    tf = TextFilter.load(packs_dir=d)
    assert tf.check("奥特曼").action == "allow"
    doc = json.loads(TEST_PACK.read_text(encoding="utf-8"))
    doc["version"] = "2"
    doc["entries"].append({"term": "奥特曼", "category": "violence", "severity": 2})
    (d / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    versions = tf.reload_packs(d)
    assert list(versions) == ["test-pack"] and versions["test-pack"].startswith("2+")
    assert tf.check("奥特曼").action == "block"
    (d / "a.json").write_text('{"schema": 1, "pack": "x", "version": "3", "entries": [{"term": "a"}]}')
    with pytest.raises(LexiconError, match="category"):
        tf.reload_packs(d)
    assert tf.pack_versions() == versions
    assert tf.check("奥特曼").action == "block"
    (d / "a.json").write_bytes(b'{"schema": 1, "pack": "tru')
    with pytest.raises(LexiconError, match="not valid"):
        tf.reload_packs(d)
    assert tf.check("色情").action == "block"


def test_missing_model_is_a_notice_not_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "model.tflite"
    bad.write_bytes(b"not a model")
    tf = TextFilter.load(packs_dir=PACKS_DIR, model_path=bad)
    assert tf.classifier is None and tf.model_error
    v = tf.check("色情小说")
    assert v.action == "block"
    assert any(r.rule == "notice:model_unavailable" for r in v.reasons)
    assert tf.check("今天天气很好").action == "allow"
