"""The device image's systemd units: they pass `systemd-analyze verify`, keep their hardening, and the
child-facing service can write only its own data folders (never the guarded time seal)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from real_parts import require

ROOTFS = Path(__file__).resolve().parents[1] / "firmware_images" / "rootfs"
UNIT_DIR = ROOTFS / "etc" / "systemd" / "system"
UNITS = sorted(p for p in UNIT_DIR.iterdir() if p.suffix in (".service", ".timer"))
CHILD_FACING = ("kidsafe-device.service", "kidsafe-agent.service")
STUB_TARGETS = ("sysinit", "basic", "multi-user", "network-online", "shutdown", "timers", "time-sync", "local-fs",
                "sockets", "paths", "slices", "default")


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """{section: {key: [values in order]}} (continuation lines joined, comments dropped)."""
    out: dict[str, dict[str, list[str]]] = {}
    section = ""
    for line in path.read_text().replace("\\\n", " ").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            out.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        out[section].setdefault(key.strip(), []).append(value.strip())
    return out


def exec_paths(unit: dict[str, dict[str, list[str]]]) -> set[str]:
    paths = set()
    for key, values in unit.get("Service", {}).items():
        if key.startswith("Exec"):
            for value in values:
                paths.add(re.sub(r"^[-+!@:]+", "", value.split()[0]))
    return paths


@pytest.fixture(scope="module")
def stub_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root with our units, stub targets and stub executables for every Exec line."""
    root = tmp_path_factory.mktemp("unit-root")
    shutil.copytree(UNIT_DIR, root / "etc/systemd/system")
    (root / "usr/lib/systemd/system").mkdir(parents=True)
    for target in STUB_TARGETS:
        (root / f"usr/lib/systemd/system/{target}.target").write_text(f"[Unit]\nDescription=stub {target}\n")
    for unit in UNITS:
        for exe in exec_paths(parse_unit(unit)):
            stub = root / exe.lstrip("/")
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("#!/bin/sh\n")
            stub.chmod(0o755)
    return root


def test_units_pass_systemd_analyze_verify(stub_root: Path) -> None:
    tool = shutil.which("systemd-analyze")
    require(tool, "systemd-analyze (Debian package systemd)")
    names = [f"etc/systemd/system/{u.name}" for u in UNITS]
    proc = subprocess.run([tool, "verify", f"--root={stub_root}", "--man=no", *names], cwd=stub_root,
                          capture_output=True, text=True, env={"SYSTEMD_LOG_LEVEL": "notice", "PATH": "/usr/bin:/bin"})
    # verify only warns (exit 0) about unknown keys or bad values: any message is a failure here
    assert proc.returncode == 0 and not proc.stderr.strip() and not proc.stdout.strip(), proc.stderr + proc.stdout


@pytest.mark.parametrize("name", CHILD_FACING)
def test_child_facing_service_is_hardened(name: str) -> None:
    svc = parse_unit(UNIT_DIR / name)["Service"]
    one = {key: values[-1] for key, values in svc.items()}
    assert one.get("User") == "kidsafe" and one.get("Group") == "kidsafe"
    for key, want in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                      ("PrivateTmp", "yes"), ("ProtectKernelTunables", "yes"), ("ProtectKernelModules", "yes"),
                      ("ProtectControlGroups", "yes"), ("RestrictNamespaces", "yes"), ("RestrictSUIDSGID", "yes"),
                      ("LockPersonality", "yes"), ("CapabilityBoundingSet", ""), ("AmbientCapabilities", ""),
                      ("Restart", "on-failure"), ("Type", "notify"), ("DevicePolicy", "closed")):
        assert one.get(key) == want, f"{name}: {key}={one.get(key)!r}, want {want!r}"
    assert "@system-service" in svc["SystemCallFilter"]
    assert set(one["RestrictAddressFamilies"].split()) <= {"AF_UNIX", "AF_INET", "AF_INET6"}
    assert int(one["WatchdogSec"]) > 0 and one.get("NotifyAccess") == "main"
    writable = set(" ".join(svc["ReadWritePaths"]).split())
    assert writable == {"/data/kidsafe/home", "/data/kidsafe/mirror", "/data/kidsafe/seal", "/data/kidsafe/cache"}
    hidden = " ".join(svc.get("InaccessiblePaths", [])).replace("-", "").split()
    assert "/data/kidsafe/guard" in hidden, "the guarded seal must be out of the service's reach"
    assert "/data/kidsafe/identity" in " ".join(svc["ReadOnlyPaths"])


def test_offline_device_reaches_only_loopback() -> None:
    svc = parse_unit(UNIT_DIR / "kidsafe-device.service")["Service"]
    assert svc["IPAddressDeny"] == ["any"] and svc["IPAddressAllow"] == ["localhost"]
    assert "--host 127.0.0.1" in svc["ExecStart"][0]


def test_device_and_agent_never_run_together() -> None:
    """Exclusive conditions (one DeviceService per data folder) and no Conflicts= between two units that
    multi-user.target both wants (the boot transaction would drop a start job before any condition)."""
    device, agent = (parse_unit(UNIT_DIR / n) for n in CHILD_FACING)
    assert device["Unit"]["ConditionPathExists"] == ["!/data/kidsafe/identity/agent.env"]
    assert agent["Unit"]["ConditionPathExists"] == ["/data/kidsafe/identity/agent.env"]
    assert "Conflicts" not in device["Unit"] and "Conflicts" not in agent["Unit"]
    assert agent["Service"]["ExecStartPre"][0] == "+/usr/bin/systemctl stop kidsafe-device.service"
    pairing = parse_unit(UNIT_DIR / "kidsafe-pairing.service")["Service"]
    assert "ExecStartPost" not in pairing  # it ran after every pair.py exit, also "no portal": device stopped
    assert pairing["ExecStart"] == ["/usr/bin/python3 /usr/lib/kidsafe/pair.py --switch"]


@pytest.mark.parametrize("name", [u.name for u in UNITS if u.suffix == ".service" and u.name not in CHILD_FACING])
def test_root_helpers_are_confined(name: str) -> None:
    svc = parse_unit(UNIT_DIR / name)["Service"]
    if svc.get("ExecStart", [""])[0].startswith("/usr/bin/systemctl"):
        return  # the request trigger only starts the reset unit
    assert svc["NoNewPrivileges"] == ["yes"] and svc["ProtectSystem"] == ["strict"]
    caps = svc["CapabilityBoundingSet"][-1].split()
    if name == "kidsafe-grow-data.service":  # BLKPG (partx -u) needs it: then nothing else, no network
        assert caps == ["CAP_SYS_ADMIN"] and svc["PrivateNetwork"] == ["yes"]
        assert svc["DevicePolicy"] == ["closed"] and all(d.startswith("block-") for d in svc["DeviceAllow"])
        return
    assert caps and "CAP_SYS_ADMIN" not in caps and len(caps) <= 3


def test_data_folders_match_tmpfiles_and_environment() -> None:
    """Every folder the service writes is made by tmpfiles.d for user kidsafe; the guard folder is root's."""
    rows = {}
    for line in (ROOTFS / "usr/lib/tmpfiles.d/kidsafe.conf").read_text().splitlines():
        if line.startswith("d "):
            _, path, mode, user, group, *_ = line.split()
            rows[path] = (mode, user, group)
    for path in " ".join(parse_unit(UNIT_DIR / "kidsafe-device.service")["Service"]["ReadWritePaths"]).split():
        assert rows[path] == ("0700", "kidsafe", "kidsafe"), path
    assert rows["/data/kidsafe/guard"] == ("0700", "root", "root")
    env = dict(line.split("=", 1) for line in (ROOTFS / "etc/kidsafe/device.env").read_text().splitlines()
               if line and not line.startswith("#"))
    assert Path(env["KIDSAFE_TIME_SEAL"]).parent == Path("/data/kidsafe/seal")
    assert Path(env["KIDSAFE_USAGE_MIRROR"]).parent == Path("/data/kidsafe/mirror")
    assert env["KIDSAFE_CACHE_DIR"] == "/data/kidsafe/cache"


def test_exposure_score_of_child_facing_services(stub_root: Path) -> None:
    tool = shutil.which("systemd-analyze")
    require(tool, "systemd-analyze (Debian package systemd)")
    for name in CHILD_FACING:
        proc = subprocess.run([tool, "security", "--offline=yes", f"--root={stub_root}", name],
                              capture_output=True, text=True)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", proc.stdout)
        assert m, proc.stdout[-500:] + proc.stderr
        assert float(m.group(1)) <= 2.0, f"{name} exposure {m.group(1)} (was 1.5-1.6)"


def test_early_boot_units_add_no_late_dependencies() -> None:
    """A unit ordered before the data partition's mount must not use options that order it after
    systemd-tmpfiles-setup.service (PrivateTmp=, JoinsNamespaceOf=), which runs after local-fs.target: the
    booted image hit that cycle, systemd dropped local-fs.target and no kidsafe unit started."""
    def before_data(path: Path) -> bool:
        before = " ".join(parse_unit(path)["Unit"].get("Before", [])).split()
        return bool({"data.mount", "local-fs.target", "local-fs-pre.target"} & set(before))

    early = [u for u in UNITS if before_data(u)]
    assert any(u.name == "kidsafe-grow-data.service" for u in early)
    for path in early:
        unit = parse_unit(path)
        svc = unit.get("Service", {})
        assert svc.get("PrivateTmp", ["no"]) == ["no"] and "JoinsNamespaceOf" not in unit["Unit"], path.name
        after = " ".join(unit["Unit"].get("After", []) + unit["Unit"].get("Requires", []))
        assert "local-fs.target" not in after and "tmpfiles" not in after, path.name
