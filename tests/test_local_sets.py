"""The local measuring sets' builder (filters/tools/local_sets.py) on tiny fixture mirrors made here: rows, labels
and parity indexes as the manifest says, clear errors (missing mirror, missing commit, changed file, malformed row,
wrong row count) that lose nothing, and lines that stay whole. Every text here was written for this test."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from filters.tools import local_sets
from filters.tools.local_manifest import MANIFEST, load_manifest

ROWS = [{"文本": "甲一", "标签": "坏"}, {"文本": "乙二", "标签": "好"}, {"文本": "丙三", "标签": "坏"},
        {"文本": "丁四\u2028续", "标签": "坏"}, {"文本": "戊五", "标签": "好"}]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True).stdout.strip()


def make_mirror(root: Path, files: dict[str, bytes], repository: str = "someone/sets") -> str:
    """A git repository at MIRROR/owner+name/repo holding files in one commit; its commit id."""
    repo = root / repository.replace("/", "+") / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    for path, data in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(data)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "data")
    return _git(repo, "rev-parse", "HEAD")


def manifest_file(tmp: Path, commit: str, data: bytes, rows_bad: int = 3, sha: str | None = None) -> Path:
    source = {"kind": "git", "repository": "someone/sets", "commit": commit, "paths": ["d/bench.json"],
              "format": "json", "sha256": {"d/bench.json": sha or hashlib.sha256(data).hexdigest()},
              "licence": "test"}
    sets = [{"name": "bad", "title": "bad rows", "source": "s", "expect": "block", "rows": rows_bad,
             "select": {"how": "label 坏", "text_field": "文本", "where": {"标签": "坏"}}},
            {"name": "good", "title": "good rows", "source": "s", "expect": "allow", "rows": 2,
             "select": {"how": "label 好", "text_field": "文本", "where": {"标签": "好"}}}]
    path = tmp / "m.json"
    path.write_text(json.dumps({"schema": 1, "description": "t", "sources": {"s": source}, "sets": sets}),
                    encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture()
def fixture(tmp_path: Path) -> tuple[Path, Path, Path]:
    data = json.dumps(ROWS, ensure_ascii=False).encode("utf-8")
    commit = make_mirror(tmp_path / "mirror", {"d/bench.json": data})
    return tmp_path / "mirror", manifest_file(tmp_path, commit, data), tmp_path / "out"


def test_builds_rows_labels_and_parity(fixture: tuple[Path, Path, Path]) -> None:
    mirror, manifest, out = fixture
    assert local_sets.main(["build", "--mirror", str(mirror), "--out", str(out), "--manifest", str(manifest)]) == 0
    bad = read_jsonl(out / "bad.jsonl")
    assert [(r["i"], r["text"], r["expect"]) for r in bad] == [(0, "甲一", "block"), (1, "丙三", "block"),
                                                               (2, "丁四\u2028续", "block")]
    assert [r["text"] for r in read_jsonl(out / "good.jsonl")] == ["乙二", "戊五"]
    # a U+2028 inside a row is written escaped: every line splitter keeps the row on one line
    assert len((out / "bad.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    built = json.loads((out / "built.json").read_text(encoding="utf-8"))["sets"]
    assert built["bad"]["rows"] == 3 and built["bad"]["commit"]


def test_missing_mirror_is_a_clear_error(fixture: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    mirror, manifest, out = fixture
    rc = local_sets.main(["build", "--mirror", str(mirror.parent / "nowhere"), "--out", str(out),
                          "--manifest", str(manifest)])
    assert rc == 1
    assert "no mirror at" in capsys.readouterr().err
    assert not (out / "bad.jsonl").exists()


def test_missing_commit_is_a_clear_error(tmp_path: Path) -> None:
    data = json.dumps(ROWS, ensure_ascii=False).encode("utf-8")
    make_mirror(tmp_path / "mirror", {"d/bench.json": data})
    manifest = load_manifest(manifest_file(tmp_path, "0" * 40, data))
    with pytest.raises(local_sets.LocalSetError, match="commit 0{40} is not in"):
        local_sets.build_set(manifest.set("bad"), manifest, tmp_path / "mirror", tmp_path / "out")


def test_a_changed_upstream_file_is_refused(tmp_path: Path) -> None:
    data = json.dumps(ROWS, ensure_ascii=False).encode("utf-8")
    commit = make_mirror(tmp_path / "mirror", {"d/bench.json": data})
    manifest = load_manifest(manifest_file(tmp_path, commit, data, sha="ab" * 32))
    with pytest.raises(local_sets.LocalSetError, match="not the pinned file"):
        local_sets.build_set(manifest.set("bad"), manifest, tmp_path / "mirror", tmp_path / "out")


def test_a_malformed_row_stops_its_set_and_keeps_the_old_file(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*ROWS, {"标签": "坏", "正文": "no text field"}]
    data = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    commit = make_mirror(tmp_path / "mirror", {"d/bench.json": data})
    manifest = manifest_file(tmp_path, commit, data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.jsonl").write_text("OLD\n", encoding="utf-8")
    rc = local_sets.main(["build", "--mirror", str(tmp_path / "mirror"), "--out", str(out),
                          "--manifest", str(manifest)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "bad: malformed row 5: no field '文本'" in err
    assert (out / "bad.jsonl").read_text(encoding="utf-8") == "OLD\n"  # nothing lost
    assert len(read_jsonl(out / "good.jsonl")) == 2  # the other set is still built


def test_a_row_count_other_than_the_manifest_is_refused(tmp_path: Path) -> None:
    data = json.dumps(ROWS, ensure_ascii=False).encode("utf-8")
    commit = make_mirror(tmp_path / "mirror", {"d/bench.json": data})
    manifest = load_manifest(manifest_file(tmp_path, commit, data, rows_bad=4))
    with pytest.raises(local_sets.LocalSetError, match="3 rows selected, the manifest expects 4"):
        local_sets.build_set(manifest.set("bad"), manifest, tmp_path / "mirror", tmp_path / "out")


def test_sampling_by_hash_and_source_parity() -> None:
    manifest = load_manifest(MANIFEST)
    ls = manifest.set("toxicloak_plain_nontoxic").model_copy()
    records = [{"content": f"行{k}", "toxic": str(k % 2)} for k in range(6)]
    rows = local_sets.select_rows(ls, records)
    assert [r["i"] for r in rows] == [0, 2, 4]  # parity index = row of the source file
    xhy = manifest.set("xhy")
    recs = [{"riddle": f"谜{k}", "answer": "底"} for k in range(5000)]
    picked = local_sets.select_rows(xhy, recs)
    assert len(picked) == 3000 and picked[0]["text"].endswith("——底")
    assert [r["i"] for r in picked] == list(range(3000))


def test_the_committed_manifest_is_valid_and_names_its_sources() -> None:
    manifest = load_manifest(MANIFEST)
    for s in manifest.sets:
        src = manifest.sources[s.source]
        assert src.licence and s.select.how
        if src.kind == "git":  # every named file pinned by its sha256 (globbed files by the commit)
            assert src.paths or src.path_globs
            assert all(p in src.sha256 for p in src.paths)
    never = {s.name for s in manifest.sets if s.never_read}
    assert {"hatecheck_hateful", "heldout_olid_en_block", "pub_stormfront_posts_allow"} <= never


def test_globbed_files_joined_lines_and_overlap_exclusion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    poems = [{"paragraphs": ["春眠不觉晓，", "处处闻啼鸟。"]}, {"paragraphs": ["白日依山尽，", "黄河入海流。"]}]
    other = [{"paragraphs": ["床前明月光，", "疑是地上霜。"]}]
    commit = make_mirror(tmp_path / "mirror", {"p/poet.1.json": json.dumps(poems).encode(),
                                               "p/poet.2.json": json.dumps(other).encode(),
                                               "p/authors.json": b"[]"})
    source = {"kind": "git", "repository": "someone/sets", "commit": commit, "path_globs": ["p/poet.*.json"],
              "format": "json", "licence": "test"}
    sets = [{"name": "poems", "title": "t", "source": "s", "expect": "corpus", "rows": None,
             "select": {"how": "t", "text_field": "paragraphs"}},
            {"name": "apart", "title": "t", "source": "s", "expect": "corpus", "rows": None,
             "select": {"how": "t", "text_field": "paragraphs", "exclude_overlap": ["x.txt"]}}]
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"schema": 1, "description": "t", "sources": {"s": source}, "sets": sets}),
                    encoding="utf-8")
    manifest = load_manifest(path)
    out = tmp_path / "out"
    local_sets.build_set(manifest.set("poems"), manifest, tmp_path / "mirror", out)
    assert [r["text"] for r in read_jsonl(out / "poems.jsonl")] == [
        "春眠不觉晓，处处闻啼鸟。", "白日依山尽，黄河入海流。", "床前明月光，疑是地上霜。"]
    # a curation text sharing 8 Chinese characters in a row with the second poem only
    (tmp_path / "x.txt").write_text("他说白日依山尽黄河入海流啊\n", encoding="utf-8")
    monkeypatch.setattr(local_sets, "REPO", tmp_path)
    ls = manifest.set("apart")
    records = local_sets.source_records(ls, manifest.sources["s"], tmp_path / "mirror", tmp_path)
    texts = [r["text"] for r in local_sets.select_rows(ls, records)]
    assert texts == ["春眠不觉晓，处处闻啼鸟。", "床前明月光，疑是地上霜。"]


def test_list_names_every_set_and_the_lost_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert local_sets.main(["list", "--manifest", str(MANIFEST)]) == 0
    out = capsys.readouterr().out
    assert "chb_porn" in out and "zjunlp/ChineseHarm-bench@5e81bc4" in out
    assert "kidq" in out and "LOST" in out


NEW_SETS = {"heldout_sos1k_high": ("sos1k", "block"), "heldout_sos1k_low": ("sos1k", "allow"),
            "tsi_en_suicidal": ("tsi", "block"), "tsi_en_none": ("tsi", "allow"),
            "kidq_ape210k_zh": ("ape210k", "allow"), "kidq_gsm8k_en": ("gsm8k", "allow")}


def test_the_session_18_sets_are_pinned_and_sos1k_is_never_read() -> None:
    manifest = load_manifest(MANIFEST)
    for name, (source, expect) in NEW_SETS.items():
        ls = manifest.set(name)
        src = manifest.sources[ls.source]
        assert (ls.source, ls.expect) == (source, expect)
        assert ls.rows and not ls.history.comparable and src.kind == "git" and src.commit
        assert src.licence and src.citation and sorted(src.sha256) == sorted(src.paths)
    assert manifest.set("heldout_sos1k_high").never_read and manifest.set("heldout_sos1k_low").never_read
    assert manifest.sources["sos1k"].repository == "HongzhiQ/FineGrainedSuicideDetection"


def test_the_new_selections_filter_dedupe_and_cap() -> None:
    manifest = load_manifest(MANIFEST)
    tweets = [{"tweet": " 我不想活了 ", "intention": "1"}, {"tweet": "我不想活了", "intention": "1"},
              {"tweet": "x" * 2001, "intention": "1"}, {"tweet": "今天去爬山", "intention": "0"}]
    assert [(r["i"], r["text"]) for r in local_sets.select_rows(manifest.set("tsi_en_suicidal"), tweets)] == [
        (0, "我不想活了")]
    assert [r["text"] for r in local_sets.select_rows(manifest.set("tsi_en_none"), tweets)] == ["今天去爬山"]
    problems = [{"original_text": "2.75-1(5/6)+3(1/4)．"}, {"original_text": "小明有12个苹果，分给4个同学，每人几个？"},
                {"original_text": "一共几个？"}]
    rows = local_sets.select_rows(manifest.set("kidq_ape210k_zh"), problems)
    assert [r["text"] for r in rows] == ["小明有12个苹果，分给4个同学，每人几个？"]  # at least 8 Chinese characters


def _sos_like(tmp_path: Path, body: bytes) -> tuple[Any, Any, Path]:
    """The committed sos1k source and its high-risk set, pointed at a fixture mirror holding `body` in each of
    its six paths (the commit is the fixture's; the sha256 pins stay the manifest's unless replaced)."""
    manifest = load_manifest(MANIFEST)
    src = manifest.sources["sos1k"]
    commit = make_mirror(tmp_path / "mirror", dict.fromkeys(src.paths, body), repository=src.repository or "")
    return manifest, src.model_copy(update={"commit": commit}), tmp_path / "mirror"


def test_a_changed_sos1k_file_is_refused_by_its_pin(tmp_path: Path) -> None:
    manifest, src, mirror = _sos_like(tmp_path, "comment\ttwoClass\n好累\t1\n".encode())
    ls = manifest.set("heldout_sos1k_high")
    with pytest.raises(local_sets.LocalSetError, match=r"heldout_sos1k_high: .*fold1_twoClass.tsv is not the pinned"):
        local_sets.source_records(ls, src, mirror, tmp_path)


def test_a_malformed_sos1k_row_is_named(tmp_path: Path) -> None:
    body = "comment\ttwoClass\n写给测试的一行\t1\n没有标签的一行\n".encode()
    manifest, src, mirror = _sos_like(tmp_path, body)
    src = src.model_copy(update={"sha256": {p: hashlib.sha256(body).hexdigest() for p in src.paths}})
    ls = manifest.set("heldout_sos1k_high")
    records = local_sets.source_records(ls, src, mirror, tmp_path)
    assert len(records) == 12 and records[0] == {"comment": "写给测试的一行", "twoClass": "1"}
    with pytest.raises(local_sets.LocalSetError, match=r"heldout_sos1k_high: malformed row 1: no field 'twoClass'"):
        local_sets.select_rows(ls, records)
