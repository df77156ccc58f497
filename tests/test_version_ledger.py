"""The version ledger (filters/tools/version_ledger.py): a word pack or rule file never changes under a version
the ledger holds, because the fleet's devices refuse such a bundle as 'weakening'."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from filters.combo_rules import COMBOS_DIR
from filters.lexicon import PACKS_DIR
from filters.tools import version_ledger as vl


def test_every_shipped_pack_and_rule_file_is_recorded_with_its_digest() -> None:
    assert vl.problems(vl.current(), vl.read_ledger()) == []


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    packs, combos = tmp_path / "packs", tmp_path / "combos"
    shutil.copytree(PACKS_DIR, packs)
    shutil.copytree(COMBOS_DIR, combos)
    return packs, combos


def _add_term(pack_file: Path, bump: bool) -> None:
    doc = json.loads(pack_file.read_text(encoding="utf-8"))
    doc["entries"].append(dict(doc["entries"][0], term="kidsafe-ledger-probe"))
    if bump:
        doc["version"] = "2099.01.01.1"
    pack_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_a_pack_changed_under_its_version_is_reported_and_a_bumped_one_only_needs_recording(tmp_path: Path) -> None:
    packs, combos = _copy(tmp_path)
    ledger = vl.read_ledger()
    version = json.loads((packs / "cuss.sexual.json").read_text(encoding="utf-8"))["version"]
    _add_term(packs / "cuss.sexual.json", bump=False)
    assert vl.problems(vl.current(packs, combos), ledger) == [
        f'packs/cuss.sexual {version}: changed under a recorded version (devices refuse it as '
        '\'weakening\'); bump its "version"']
    _add_term(packs / "cuss.sexual.json", bump=True)
    found = vl.current(packs, combos)
    assert [p.split(":")[0] for p in vl.problems(found, ledger)] == ["packs/cuss.sexual 2099.01.01.1"]
    assert vl.problems(found, vl.record(found, ledger)) == []


def test_recording_never_rewrites_a_recorded_version(tmp_path: Path) -> None:
    packs, combos = _copy(tmp_path)
    ledger = vl.read_ledger()
    rules = combos / "fraud.json"
    doc = json.loads(rules.read_text(encoding="utf-8"))
    doc["description"] += " (changed)"
    rules.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = vl.current(packs, combos)
    again = vl.record(found, ledger)
    assert again["combos/fraud"] == ledger["combos/fraud"]
    assert any(p.startswith("combos/fraud ") and "changed under" in p for p in vl.problems(found, again))
