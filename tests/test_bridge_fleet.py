"""Fleet bundles: every bad bundle is refused, a good one applies, keys rotate, kill -9 mid-swap recovers."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from filters.lexicon import PACKS_DIR, LexiconError
from mqtt_bridge import fleet, signing
from mqtt_bridge.payloads import dump
from mqtt_bridge.updater import FleetUpdater, rollout_bucket, selected

PACKS = sorted(PACKS_DIR.glob("*.json"))
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    fleet.init_keys(folder, n_root=3, root_threshold=2, n_bundle=2, bundle_threshold=2)
    return folder


def message(keys: Path, version: int, packs: list[Path] = PACKS, signers: list | None = None,
            roots: list | None = None, **kw) -> fleet.BundleMessage:
    built = fleet.build_bundle(version, kw.pop("cohort", "pilot"), packs, **kw)
    signed = fleet.sign_bundle(built.meta, signers if signers is not None else fleet._keys_in(keys, "bundle"))
    return fleet.bundle_message(signed, built.files, roots if roots is not None else fleet.roots_in(keys))


def device(tmp: Path, keys: Path, name: str = "dev-1") -> FleetUpdater:
    up = FleetUpdater(tmp / name, name, "pilot")
    if up.trust.root is None:
        up.trust.provision(fleet.roots_in(keys)[0])
    return up


def pack_copy(tmp: Path, drop: str | None = None, edit: dict[str, dict] | None = None) -> list[Path]:
    out = tmp / "packs-src"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for p in PACKS:
        if drop and drop in (p.stem, p.stem.split(".")[-1]):  # core CATEGORY.json and imported SOURCE.CATEGORY.json
            continue
        doc = json.loads(p.read_text(encoding="utf-8"))
        doc.update((edit or {}).get(p.stem, {}))
        (out / p.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(out / p.name)
    return paths


def test_a_good_bundle_applies_and_its_replay_changes_nothing(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    msg = message(keys, 1)
    assert up.handle(dump(msg)) == "applied"
    assert up.active_set() == (up.sets / "1").resolve() and up.installed["version"] == 1
    for p in PACKS:
        assert (up.active_set() / "packs" / p.name).read_bytes() == p.read_bytes()
    assert up.handle(dump(msg)) == "replayed" and up.installed["status"] == "applied"


@pytest.mark.parametrize("case", ["other_keys", "one_of_two", "metadata_edited", "root_not_trusted"])
def test_forged_bundles_are_refused(tmp_path: Path, keys: Path, case: str) -> None:
    up = device(tmp_path, keys)
    bundle_keys = fleet._keys_in(keys, "bundle")
    if case == "other_keys":
        msg = message(keys, 1, signers=[signing.generate(), signing.generate()])
    elif case == "one_of_two":
        msg = message(keys, 1, signers=bundle_keys[:1])
    elif case == "metadata_edited":
        good = message(keys, 1, rollout_percent=10)
        meta = good.bundle.signed.model_copy(update={"rollout_percent": 100})
        msg = good.model_copy(update={"bundle": good.bundle.model_copy(update={"signed": meta})})
    else:  # an attacker's own root, signed by its own keys only
        evil = tmp_path / "evil"
        fleet.init_keys(evil)
        root2 = fleet.make_root(2, fleet._keys_in(evil, "root"), 1, fleet._keys_in(evil, "bundle"), 1,
                                time.time() + 86400, fleet._keys_in(evil, "root"))
        msg = message(evil, 1, signers=fleet._keys_in(evil, "bundle"), roots=[root2])
    assert up.handle(dump(msg)) == "forged"
    assert up.active_set() is None and up.installed["status"] == "refused"


def test_truncated_and_mixed_files_are_refused(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    msg = message(keys, 1)
    name = PACKS[0].name
    short = base64.b64encode(base64.b64decode(msg.files[name])[:-10]).decode()
    assert up.handle(dump(msg.model_copy(update={"files": {**msg.files, name: short}}))) == "truncated"
    missing = {k: v for k, v in msg.files.items() if k != name}
    assert up.handle(dump(msg.model_copy(update={"files": missing}))) == "truncated"
    # mix and match: the right length, other content
    raw = bytearray(base64.b64decode(msg.files[name]))
    raw[-3] = ord("x") if raw[-3] != ord("x") else ord("y")
    mixed = {**msg.files, name: base64.b64encode(bytes(raw)).decode()}
    assert up.handle(dump(msg.model_copy(update={"files": mixed}))) == "forged"
    cut = dump(msg)[: len(dump(msg)) // 2]  # a message cut in the middle
    assert up.handle(cut) == "malformed"
    assert up.active_set() is None


def test_older_expired_and_wrong_cohort_are_refused(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    assert up.handle(dump(message(keys, 5))) == "applied"
    assert up.handle(dump(message(keys, 4))) == "older"
    assert up.handle(dump(message(keys, 6, now=time.time() - 40 * 86400))) == "expired"
    assert up.handle(dump(message(keys, 7, cohort="beta"))) == "wrong_cohort"
    assert up.installed["version"] == 5 and up.active_set().name == "5"


def test_category_weakening_is_refused_unless_signed_explicitly(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    assert up.handle(dump(message(keys, 1))) == "applied"
    without_sexual = pack_copy(tmp_path / "a", drop="sexual")
    assert up.handle(dump(message(keys, 2, packs=without_sexual))) == "weakening"
    assert "sexual" in up.installed["error"]
    emptied = pack_copy(tmp_path / "b", edit={"sexual": {"entries": [], "version": "9.9"}})
    with pytest.raises(LexiconError, match="no entries"):  # an empty pack does not load: no bundle carries it
        message(keys, 3, packs=emptied)
    first = json.loads(PACKS[0].read_text(encoding="utf-8"))
    same_version = pack_copy(tmp_path / "c", edit={PACKS[0].stem: {"entries": first["entries"][:1]}})
    assert up.handle(dump(message(keys, 4, packs=same_version))) == "weakening"
    assert "same version" in up.installed["error"]
    assert up.active_set().name == "1"
    # an explicit, signed decision to drop a category is honoured
    assert up.handle(dump(message(keys, 5, packs=without_sexual, drops_categories=["sexual"]))) == "applied"


def test_root_key_rotation(tmp_path: Path, keys: Path) -> None:
    import shutil

    rot = tmp_path / "rot"
    shutil.copytree(keys, rot)
    up = device(tmp_path, rot)
    new_root, new_bundle = [signing.generate() for _ in range(2)], [signing.generate() for _ in range(2)]
    fleet.rotate_root(rot, new_root, 2, new_bundle, 2)
    msg = message(rot, 1, signers=new_bundle)
    assert up.handle(dump(msg)) == "applied" and up.trust.root.signed.version == 2
    # the old bundle keys no longer count
    assert up.handle(dump(message(rot, 2, signers=fleet._keys_in(keys, "bundle")))) == "forged"
    # a root v3 signed by the new keys of v3 alone (not by a threshold of v2's keys) is refused
    rogue = [signing.generate() for _ in range(2)]
    root3 = fleet.make_root(3, rogue, 1, rogue, 1, time.time() + 86400, rogue)
    assert up.handle(dump(message(rot, 3, signers=rogue, roots=[root3]))) == "forged"
    assert up.trust.root.signed.version == 2


def test_rollout_percentage_is_a_stable_hash_of_the_device_id(tmp_path: Path, keys: Path) -> None:
    ids = [f"dev-{i}" for i in range(1000)]
    share = sum(selected(d, 10) for d in ids) / len(ids)
    assert 0.06 < share < 0.14
    assert all(selected(d, 100) for d in ids) and not any(selected(d, 0) for d in ids)
    assert [rollout_bucket(d) for d in ids[:5]] == [rollout_bucket(d) for d in ids[:5]]
    out = next(d for d in ids if not selected(d, 10))
    up = device(tmp_path, keys, out)
    assert up.handle(dump(message(keys, 1, rollout_percent=10))) == "not selected"
    assert up.active_set() is None


CRASHER = """
import sys
from pathlib import Path
from mqtt_bridge.updater import FleetUpdater
up = FleetUpdater(Path(sys.argv[1]), "dev-1", "pilot", crash_at="after_swap")
print(up.handle(Path(sys.argv[2]).read_bytes()), flush=True)
"""


def test_kill_9_during_the_swap_comes_back_on_the_previous_set(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    assert up.handle(dump(message(keys, 1))) == "applied"
    v2 = tmp_path / "v2.json"
    v2.write_bytes(dump(message(keys, 2)))
    proc = subprocess.run([sys.executable, "-c", CRASHER, str(tmp_path / "dev-1"), str(v2)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == -9, proc.stderr
    assert (up.folder / "current").resolve().name == "2" and (up.folder / "journal.json").exists()
    again = FleetUpdater(tmp_path / "dev-1", "dev-1", "pilot")  # the next start
    assert again.active_set().name == "1"
    assert again.installed["status"] == "rolled_back" and again.installed["failed_version"] == 2
    assert again.installed["version"] == 1
    assert again.handle(v2.read_bytes()) == "failed_before"
    assert again.handle(dump(message(keys, 3))) == "applied"
