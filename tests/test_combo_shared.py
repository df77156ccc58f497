"""Shared cue sets (filters/combo_rules.py): a file with "kind": "cue_sets" in the rule folder holds cue
sets any rule file may name ("@NAME"), so two rule files need not copy a list of group names or
counter-speech cues. The shared file loads first; a rule file naming a shared set without it, a file's own
set reusing a shared name, or two shared files defining one name are refused as a whole."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from filters.combo_rules import COMBOS_DIR, ComboError, file_cue_sets, read_dir, read_file
from mqtt_bridge import fleet

HEAD = {"schema": 1, "version": "1", "description": "d", "provenance": "kidsafe tests", "license": "l"}
SHARED = {**HEAD, "kind": "cue_sets", "name": "common", "cue_sets": {"job": ["兼职", "副业"]}}
RULE = {"name": "rr", "category": "fraud", "why": "test", "groups": [
    {"name": "a", "cues": ["@job"]}, {"name": "b", "cues": ["@pay"]}]}
USER = {**HEAD, "name": "user", "cue_sets": {"pay": ["日结", "@job"]}, "rules": [RULE]}


def _folder(tmp_path: Path, **docs: dict) -> Path:
    for name, doc in docs.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_a_rule_file_names_shared_cue_sets(tmp_path: Path) -> None:
    files = read_dir(_folder(tmp_path, common=SHARED, user=USER))
    assert [f.name for f in files] == ["common", "user"] and files[0].rules == ()
    groups = files[1].rules[0].groups
    assert groups[0].cues == ("兼职", "副业")
    assert groups[1].cues == ("日结", "兼职", "副业")  # an own cue set may name a shared one
    assert file_cue_sets(tmp_path / "user.json") == {"pay": ("日结", "兼职", "副业")}


@pytest.mark.parametrize(("docs", "message"), [
    ({"user": USER}, "unknown cue set '@job'"),  # the shared file did not travel with the rule file
    ({"common": SHARED, "user": {**USER, "cue_sets": {"job": ["x"], "pay": ["日结"]}}}, "also shared cue sets"),
    ({"common": SHARED, "other": {**SHARED, "name": "other"}, "user": USER}, "already shared by another file"),
    ({"common": {**SHARED, "rules": [RULE]}, "user": USER}, "holds no 'rules'"),
    ({"common": {**SHARED, "cue_sets": {}}, "user": USER}, "at least one cue set"),
    ({"common": SHARED}, "only shared cue sets"),
])
def test_a_broken_shared_set_up_is_refused(tmp_path: Path, docs: dict, message: str) -> None:
    with pytest.raises(ComboError, match=message):
        read_dir(_folder(tmp_path, **docs))


def test_a_rule_file_alone_does_not_see_shared_sets(tmp_path: Path) -> None:
    _folder(tmp_path, common=SHARED, user=USER)
    with pytest.raises(ComboError, match="unknown cue set"):
        read_file(tmp_path / "user.json")
    with pytest.raises(ComboError, match="not a rule file"):
        read_file(tmp_path / "common.json")


def test_a_bundle_needs_the_shared_file_its_rules_name(tmp_path: Path) -> None:
    hate = [COMBOS_DIR / "hate.json", COMBOS_DIR / "hate_claims.json"]
    with pytest.raises(ComboError, match="unknown cue set"):
        fleet.build_bundle(1, "c", [], combos=hate)
    built = fleet.build_bundle(1, "c", [], combos=[*hate, COMBOS_DIR / "shared_cues.json"])
    assert sorted(built.files) == ["combos-hate.json", "combos-hate_claims.json", "combos-shared_cues.json"]


def test_shipped_hate_files_take_their_common_lists_from_the_shared_file() -> None:
    """The English group names and counter-speech cues are written once (shared_cues.json), not copied."""
    own = {p.stem: json.loads(p.read_text(encoding="utf-8")).get("cue_sets", {})
           for p in sorted(COMBOS_DIR.glob("*.json"))}
    for a, b in itertools.combinations(("shared_cues", "hate", "hate_claims"), 2):
        for (ka, va), (kb, vb) in itertools.product(own[a].items(), own[b].items()):
            common = set(va) & set(vb) - {c for c in va if c.startswith("@")}
            assert len(common) < 3, (a, ka, b, kb, sorted(common))
    hate, claims = file_cue_sets(COMBOS_DIR / "hate.json"), file_cue_sets(COMBOS_DIR / "hate_claims.json")
    for cue in ("immigrants", "women", "gypsies"):
        assert cue in hate["group_en"] and cue in claims["group_en"]
    for cue in ("bigot", "report it", "racism"):
        assert cue in hate["fair_en"]
    assert "bigot" in claims["fair_more_en"] and "racism" in claims["fair_en"]
