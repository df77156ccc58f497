"""`make eval`'s public-source sections: per-source counts, the public set's rows and their provenance."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from filters import eval_public as pub
from filters.tools.build_public_eval import EvalSourceError, check_bytes, stormfront_folder, stormfront_rows


def test_sources_section_names_every_source_and_its_rejections() -> None:
    out = io.StringIO()
    pub.print_sources(out)
    text = out.getvalue()
    summary = json.loads(pub.SOURCES_SUMMARY.read_text(encoding="utf-8"))
    for sid, st in summary["sources"].items():
        assert f"{sid}: read {st['read']}, added {st['kept']}" in text
        assert f"curation rejected {st.get('rejected', 0)}" in text


def test_public_rows_have_provenance(tmp_path: Path) -> None:
    held = pub.heldout_rows()
    assert len(held) > 100 and all(r["expect"] == "block" and r["trick"].startswith("heldout:") and r["origin"]
                                   for r in held)
    prose = pub.stdlib_prose(limit=50)
    assert len(prose) == 50 and all(len(s.split()) >= 5 for s in prose)
    sample = [{"content": "北京人计较？", "toxic": 0, "topic": "region", "platform": "zhihu"},
              {"content": "x", "toxic": 1, "topic": "race", "platform": "tieba"}]
    path = tmp_path / "test.json"
    path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rows = pub.toxicn_rows(path)
    assert [r["expect"] for r in rows] == ["allow", "block"] and rows[1]["trick"] == "toxicn:tieba"


def test_chineseharm_rows_map_every_label(tmp_path: Path) -> None:
    """A local ChineseHarm-bench file (CC BY-NC, never committed) maps its six labels to expect/category."""
    labels = ("不违规", "低俗色情", "博彩", "欺诈", "谩骂引战", "黑产广告")
    sample = [{"文本": t, "标签": label} for t, label in zip("abcdef", labels, strict=True)]
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rows = pub.chineseharm_rows(path)
    assert [(r["expect"], r["cat"]) for r in rows] == [
        ("allow", "benign"), ("block", "sexual"), ("block", "gambling"), ("block", "fraud"), ("block", "bullying"),
        ("block", "fraud")]
    assert rows[0]["redact_ok"] and "redact_ok" not in rows[1] and rows[5]["trick"] == "chineseharm:黑产广告"


def test_stormfront_sample_is_built_from_a_pinned_folder(tmp_path: Path) -> None:
    """The Stormfront set is read from a checkout (labels csv + sampled_test/): one digest pins both, the
    two labels map to block/allow, and a changed file is refused."""
    (tmp_path / "sampled_test").mkdir()
    (tmp_path / "annotations_metadata.csv").write_text(
        "file_id,user_id,subforum_id,num_contexts,label\n1_1,9,9,0,hate\n1_2,9,9,0,noHate\n1_3,9,9,0,relation\n",
        encoding="utf-8")
    for name, text in (("1_1", "a made-up hateful sentence"), ("1_2", "a made-up ordinary sentence"), ("1_3", "x")):
        (tmp_path / "sampled_test" / f"{name}.txt").write_text(text, encoding="utf-8")
    data = stormfront_folder(tmp_path)
    rows = stormfront_rows(check_bytes(data, hashlib.sha256(data).hexdigest(), tmp_path))
    assert sorted((r["trick"], r["expect"]) for r in rows) == [("stormfront:hate", "block"),
                                                                ("stormfront:noHate", "allow")]
    (tmp_path / "sampled_test" / "1_2.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(EvalSourceError):
        check_bytes(stormfront_folder(tmp_path), hashlib.sha256(data).hexdigest(), tmp_path)


def test_stormfront_set_is_listed_with_its_licence() -> None:
    titles = [title for title, rows in pub.real_text_sets() if rows]
    assert any("Stormfront" in t and "CC BY-SA" in t for t in titles)
    manifest = json.loads((pub.HELDOUT.parent / "sources.json").read_text(encoding="utf-8"))
    assert manifest["sets"]["stormfront_posts"]["license"].startswith("CC-BY-SA")
