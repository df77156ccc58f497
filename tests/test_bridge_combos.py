"""Co-occurrence rule files travel in signed fleet bundles (mqtt_bridge/combo_update.py): a good set is
applied to the live filter over a real mosquitto, a truncated, forged, invalid or weakening rule file is
refused with a zh/en error while the rules in force keep working, and a power cut mid-swap comes back
on the previous rules."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bridge_fixtures import agent, cfg, service, start_broker, wait_for
from test_bridge_fleet import device

from filters.combo_rules import COMBOS_DIR, read_dir
from filters.lexicon import PACKS_DIR
from mqtt_bridge import fleet
from mqtt_bridge.client import Connection
from mqtt_bridge.live import LiveFilter
from mqtt_bridge.payloads import FileSpec, dump
from mqtt_bridge.updater import FleetUpdater

CORE_PACKS = [p for p in sorted(PACKS_DIR.glob("*.json")) if "." not in p.stem]  # small: quick to stage
SHIPPED_RULES = sorted(COMBOS_DIR.glob("*.json"))
REPO = Path(__file__).resolve().parent.parent
MARKER = "紫色长颈鹿最爱吃月亮饼干"  # fires only the test rule below
EXTRA = {"schema": 1, "name": "extra", "version": "1", "description": "test rule", "provenance": "kidsafe tests",
         "license": "Apache-2.0", "rules": [{"name": "marker", "category": "fraud", "why": "test", "groups": [
             {"name": "a", "cues": ["紫色长颈鹿"]}, {"name": "b", "cues": ["月亮饼干"]}]}]}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    fleet.init_keys(folder, n_root=1, root_threshold=1, n_bundle=1, bundle_threshold=1)
    return folder


def rules_with(folder: Path, extra: dict | None = EXTRA, drop: str | None = None) -> list[Path]:
    """The shipped rule files (minus `drop`) plus an extra file, copied to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in SHIPPED_RULES:
        if p.stem != drop:
            (folder / p.name).write_bytes(p.read_bytes())
            out.append(folder / p.name)
    if extra is not None:
        (folder / "extra.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
        out.append(folder / "extra.json")
    return out


def bundle(keys: Path, version: int, combos: list[Path], replace: dict[str, bytes] | None = None,
           **kw: object) -> fleet.BundleMessage:
    """A signed bundle; `replace` swaps a file's bytes *before* signing (an operator's broken file that
    the build step would have refused), so only the device's own checks can catch it."""
    built = fleet.build_bundle(version, "pilot", CORE_PACKS, combos=combos, **kw)
    files = dict(built.files)
    specs = dict(built.meta.files)
    for name, data in (replace or {}).items():
        files[name] = data
        specs[name] = FileSpec(kind=specs[name].kind, length=len(data), sha256=hashlib.sha256(data).hexdigest())
    meta = built.meta.model_copy(update={"files": specs})
    return fleet.bundle_message(fleet.sign_bundle(meta, fleet._keys_in(keys, "bundle")), files, fleet.roots_in(keys))


def fires(tf: object, text: str) -> list[str]:
    return [r.rule for r in tf.check(text).reasons if r.rule.startswith("combo:") and r.blocking]  # type: ignore[attr-defined]


# --- the updater's checks (simulated device: no live filter) --------------------------------------

def test_rule_files_are_staged_and_carried_forward(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    msg = bundle(keys, 1, rules_with(tmp_path / "r1"))
    assert "combos-fraud.json" in msg.files and "fraud.json" in msg.files  # a pack and a rule file, apart
    assert up.handle(dump(msg)) == "applied"
    staged = up.active_set() / "combos"
    assert {p.name for p in staged.iterdir()} == {p.name for p in SHIPPED_RULES} | {"extra.json"}
    assert (staged / "fraud.json").read_bytes() == (COMBOS_DIR / "fraud.json").read_bytes()
    # a bundle without rule files keeps the rules in force (those of bundle 1)
    assert up.handle(dump(bundle(keys, 2, []))) == "applied"
    shipped = {f.name for f in read_dir(COMBOS_DIR)}
    assert {f.name for f in read_dir(up.active_set() / "combos")} == shipped | {"extra"}


def test_invalid_truncated_and_forged_rule_files_are_refused(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    assert up.handle(dump(bundle(keys, 1, rules_with(tmp_path / "r1")))) == "applied"
    rules = rules_with(tmp_path / "r2")
    bad_cue = {**EXTRA, "version": "2", "rules": [{**EXTRA["rules"][0], "category": "politics"}]}
    invalid = bundle(keys, 2, rules, replace={"combos-extra.json": json.dumps(bad_cue).encode()})
    assert up.handle(dump(invalid)) == "malformed"
    error = up.installed["error"]
    assert "extra" in error and "unknown category" in error and "组合规则文件无效" in error, error
    cut = bundle(keys, 3, rules, replace={"combos-extra.json": json.dumps(EXTRA).encode()[:40]})
    assert up.handle(dump(cut)) == "malformed" and "unreadable rule file" in up.installed["error"]
    good = bundle(keys, 4, rules)
    short = base64.b64encode(base64.b64decode(good.files["combos-fraud.json"])[:-5]).decode()
    assert up.handle(dump(good.model_copy(update={"files": {**good.files, "combos-fraud.json": short}}))) == "truncated"
    raw = bytearray(base64.b64decode(good.files["combos-fraud.json"]))
    raw[-2] = ord("x") if raw[-2] != ord("x") else ord("y")
    forged = {**good.files, "combos-fraud.json": base64.b64encode(bytes(raw)).decode()}
    assert up.handle(dump(good.model_copy(update={"files": forged}))) == "forged"
    assert up.active_set().name == "1" and up.installed["version"] == 1


def test_weakening_rule_sets_are_refused_unless_signed_explicitly(tmp_path: Path, keys: Path) -> None:
    up = device(tmp_path, keys)
    assert up.handle(dump(bundle(keys, 1, rules_with(tmp_path / "r1")))) == "applied"
    without = rules_with(tmp_path / "r2", drop="self_harm")
    assert up.handle(dump(bundle(keys, 2, without))) == "weakening"
    assert "self_harm" in up.installed["error"] and "组合规则不再覆盖" in up.installed["error"]
    edited = {**EXTRA, "rules": [{**EXTRA["rules"][0], "window": 10}]}  # same version "1", other content
    assert up.handle(dump(bundle(keys, 3, rules_with(tmp_path / "r3", extra=edited)))) == "weakening"
    assert "same version" in up.installed["error"]
    assert up.handle(dump(bundle(keys, 4, without, drops_categories=["self_harm"]))) == "applied"


# --- a live device over a real mosquitto ------------------------------------------------------------

def test_rule_files_reach_the_live_filter_and_a_bad_update_keeps_the_old_rules(tmp_path: Path, keys: Path) -> None:
    broker = start_broker(tmp_path / "mosq", devices={"dev-1": "pilot"})
    svc = service(tmp_path / "home")
    tf = svc.get_text_filter()
    assert fires(tf, MARKER) == []
    ag = agent(svc, broker, "dev-1", None, fleet=True, root=keys / "root-1.json")
    op = Connection(cfg(broker, "operator"), "operator-1").start()
    watcher = fleet.StateWatcher(cfg(broker, "operator"), "operator-watch").start()
    try:
        fleet.publish(op, bundle(keys, 1, rules_with(tmp_path / "r1")))
        st = wait_for(lambda: (s := watcher.snapshot().get("dev-1")) and s.bundle_version == 1 and s, timeout=120,
                      what="bundle 1 applied")
        assert "extra" in st.combos and st.combos["fraud"].sha256 == next(
            f.sha256 for f in read_dir(COMBOS_DIR) if f.name == "fraud")
        assert fires(tf, MARKER) == ["combo:extra:marker"]  # the filter the pipelines hold took the rules
        assert svc.get_text_filter() is tf
        # a signed bundle whose rule file does not validate: refused, zh/en, old rules still fire
        bad = {**EXTRA, "version": "2", "rules": [{**EXTRA["rules"][0], "groups": EXTRA["rules"][0]["groups"][:1]}]}
        fleet.publish(op, bundle(keys, 2, rules_with(tmp_path / "r2"),
                                 replace={"combos-extra.json": json.dumps(bad).encode()}))
        st = wait_for(lambda: (s := watcher.snapshot().get("dev-1")) and s.bundle_status == "refused" and s,
                      timeout=120, what="bundle 2 refused")
        assert "2 to 4 groups" in st.bundle_error and "继续使用现有规则" in st.bundle_error
        assert st.bundle_version == 1 and "extra" in st.combos
        assert fires(tf, MARKER) == ["combo:extra:marker"]
        # a rule that compiles to nothing useful passes validation but fails the canary on the staged set
        mute = {**EXTRA, "name": "fraud", "version": "9", "rules": [EXTRA["rules"][0]]}
        (tmp_path / "r3").mkdir()
        muted = [p for p in rules_with(tmp_path / "r3") if p.name != "fraud.json"]
        (tmp_path / "r3" / "fraud.json").write_text(json.dumps(mute, ensure_ascii=False), encoding="utf-8")
        fleet.publish(op, bundle(keys, 3, [*muted, tmp_path / "r3" / "fraud.json"]))
        st = wait_for(lambda: (s := watcher.snapshot().get("dev-1")) and s.bundle_failed_version == 3 and s,
                      timeout=120, what="bundle 3 failed its canary")
        assert "co-occurrence rule" in st.bundle_error and st.bundle_version == 1
        # the old fraud rules still answer (side_job_pitch_zh, session 13, fires on the same sentence too)
        assert "combo:fraud:parttime_task_scam" in fires(tf, "在家做兼职，每单结算佣金，加微信了解")
    finally:
        watcher.stop()
        op.stop()
        ag.stop()
        ag.updater.stop()
        broker.stop()
    # fail closed on the updated rules: a matcher that errors blocks as combo:unchecked
    def broken(*args: object, **kw: object) -> list:
        raise RuntimeError("boom")

    tf.combos.find = broken  # type: ignore[method-assign]
    v = tf.check("今天天气很好")
    assert v.action == "block" and {r.rule for r in v.reasons} == {"combo:unchecked"}


CRASHER = """
import sys
from pathlib import Path
from mqtt_bridge.updater import FleetUpdater
up = FleetUpdater(Path(sys.argv[1]), "dev-1", "pilot", crash_at="after_swap")
print(up.handle(Path(sys.argv[2]).read_bytes()), flush=True)
"""


def test_power_cut_mid_update_comes_back_on_the_previous_rules(tmp_path: Path, keys: Path) -> None:
    home = tmp_path / "home"
    svc = service(home)
    live = LiveFilter(svc)
    up = FleetUpdater(home, "dev-1", "pilot", live=live)
    up.trust.provision(fleet.roots_in(keys)[0])
    assert up.handle(dump(bundle(keys, 1, rules_with(tmp_path / "r1")))) == "applied"
    assert fires(live.filter(), MARKER) == ["combo:extra:marker"]
    v1_rules = live.combo_info()
    other = {**EXTRA, "version": "2", "rules": [{**EXTRA["rules"][0], "name": "other"}]}
    v2 = tmp_path / "v2.json"
    v2.write_bytes(dump(bundle(keys, 2, rules_with(tmp_path / "r2", extra=other))))
    proc = subprocess.run([sys.executable, "-c", CRASHER, str(home), str(v2)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == -9, proc.stderr  # killed right after the swap, before the commit
    assert (home / "fleet" / "current").resolve().name == "2"
    # the next start (as mqtt_bridge/runner.build_agent does it): back on set 1 and its rules
    svc2 = service(home)
    live2 = LiveFilter(svc2)
    again = FleetUpdater(home, "dev-1", "pilot", live=live2)
    live2.activate(again.active_set())
    assert again.active_set().name == "1" and again.installed["status"] == "rolled_back"
    assert live2.combo_info() == v1_rules
    assert fires(live2.filter(), MARKER) == ["combo:extra:marker"]
    assert again.state_fields()["combos"]["extra"].version == "1"
