"""The root file system of the device image: Debian base, kidsafe venv, overlay, users, units.

Everything that runs arm64 code (pip, python -m venv) runs in a chroot through qemu-user (binfmt);
everything else uses the host's own tools on the tree (systemd-sysusers/systemctl --root, tar).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

SUITE = "bookworm"
ARCH = "arm64"
VENV = "/opt/kidsafe/venv"
# kidsafe-grow-data.service is shipped but not enabled (README "Left": growing from early boot flaps the
# data partition's device unit and cancels the /data mount jobs; it belongs in the initramfs)
UNITS = ("kidsafe-firstboot.service", "kidsafe-device.service", "kidsafe-agent.service",
         "kidsafe-pairing.service", "kidsafe-seal-guard.timer", "kidsafe-factory-reset-request.service",
         "systemd-timesyncd.service")
CHROOT_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
              "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONHASHSEED": "0"}
# /data: what the image's data partition holds before first boot (tmpfiles.d/kidsafe.conf makes the rest)
DATA_TREE = (("log", 0o755, "root", "root"), ("log/journal", 0o2755, "root", "systemd-journal"),
             ("var/lib/systemd", 0o755, "root", "root"), ("var/lib/logrotate", 0o755, "root", "root"),
             ("etc/wpa_supplicant", 0o700, "root", "root"))


# initramfs-tools' default (MODULES=most) copies ~1,500 modules, one qemu-emulated process each: hours
# on a loaded 2-core builder. The image needs only what mounts its root from an SD card (or virtio).
INITRAMFS_HOOKS = (
    'mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"',
    'echo MODULES=list > "$1/etc/initramfs-tools/conf.d/kidsafe.conf"',
    'printf "%s\\n" ext4 vfat mmc_block sdhci_iproc bcm2835 virtio_blk virtio_pci virtio_mmio'
    ' > "$1/usr/share/initramfs-tools/modules.d/kidsafe"',
)


def packages(list_file: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in list_file.read_text().splitlines()
            if line.split("#", 1)[0].strip()]


def mirrors(mirror: str, snapshot: str | None) -> tuple[list[str], list[str]]:
    """mmdebstrap mirror lines and apt options; a snapshot pins the archive to one date."""
    if snapshot:
        base = f"http://snapshot.debian.org/archive/debian/{snapshot}"
        sec = f"http://snapshot.debian.org/archive/debian-security/{snapshot}"
        opts = ['Acquire::Check-Valid-Until "false"']
    else:
        base, sec, opts = mirror, mirror.replace("/debian", "/debian-security"), []
    lines = [f"deb {base} {SUITE} main non-free-firmware", f"deb {base} {SUITE}-updates main non-free-firmware",
             f"deb {sec} {SUITE}-security main non-free-firmware"]
    return lines, opts


def base_tarball(cache: Path, list_file: Path, mirror: str, snapshot: str | None, epoch: int) -> Path:
    """mmdebstrap's arm64 minbase + our packages, cached by a digest of every input."""
    lines, opts = mirrors(mirror, snapshot)
    key = hashlib.sha256("\n".join([SUITE, ARCH, *packages(list_file), *lines, *opts, *INITRAMFS_HOOKS,
                                     str(epoch)]).encode())
    out = cache / f"base-{SUITE}-{ARCH}-{key.hexdigest()[:16]}.tar"
    if out.exists() and out.stat().st_size > 0:
        print(f"   cached: {out}")
        return out
    cache.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tar.part")
    cmd = ["nice", "-n", "10", "mmdebstrap", f"--arch={ARCH}", "--variant=minbase",
           "--include=" + ",".join(packages(list_file)), "--aptopt=Acquire::Retries \"3\"",
           "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-include=/usr/share/doc/*/copyright",
           "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
           "--dpkgopt=path-include=/usr/share/locale/zh_CN/*", "--dpkgopt=path-include=/usr/share/locale/locale.alias"]
    cmd += [f"--aptopt={opt}" for opt in opts]
    cmd += [f"--setup-hook={hook}" for hook in INITRAMFS_HOOKS]
    cmd += ["--format=tar", SUITE, str(tmp), *lines]
    subprocess.run(cmd, check=True, env=dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)))
    os.replace(tmp, out)
    return out


def wipe(target: Path) -> None:
    if target.exists():
        subprocess.run(["rm", "-rf", "--one-file-system", str(target)], check=True)


def extract(base_tar: Path, target: Path) -> None:
    wipe(target)
    target.mkdir(parents=True)
    subprocess.run(["tar", "--numeric-owner", "-xpf", str(base_tar), "-C", str(target)], check=True)


def chroot(target: Path, *cmd: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    return subprocess.run(["chroot", str(target), *cmd], check=check, env={**CHROOT_ENV, **(env or {})}).returncode


def install_venv(target: Path, wheels: Path, lock: Path, own_wheel: Path, epoch: int) -> None:
    """/opt/kidsafe/venv from the pinned wheels only (no index, hashes required), then kidsafe itself."""
    dev_null = target / "dev" / "null"
    if not dev_null.exists():  # pip's subprocesses want it; a tarball may carry no device nodes
        dev_null.parent.mkdir(exist_ok=True)
        os.mknod(dev_null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    stage = target / "tmp" / "kidsafe-install"
    shutil.copytree(wheels, stage / "wheels", dirs_exist_ok=True)
    shutil.copy2(lock, stage / "requirements.txt")
    shutil.copy2(own_wheel, stage / own_wheel.name)
    env = {"SOURCE_DATE_EPOCH": str(epoch)}
    try:
        chroot(target, "/usr/bin/python3", "-m", "venv", VENV, env=env)
        chroot(target, f"{VENV}/bin/pip", "install", "-q", "--no-index", "--no-deps", "--require-hashes",
               "--only-binary=:all:", "--find-links", "/tmp/kidsafe-install/wheels",
               "-r", "/tmp/kidsafe-install/requirements.txt", env=env)
        chroot(target, f"{VENV}/bin/pip", "install", "-q", "--no-index", "--no-deps",
               f"/tmp/kidsafe-install/{own_wheel.name}", env=env)
        # bytecode that a read-only root never re-validates against the sources (hash-based: reproducible)
        chroot(target, f"{VENV}/bin/python", "-m", "compileall", "-q", "-j", "2", "-f",
               "--invalidation-mode", "unchecked-hash", VENV + "/lib", env=env, check=False)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def ids(target: Path, name: str, db: str) -> int:
    for line in (target / "etc" / db).read_text().splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return int(fields[2])
    raise KeyError(f"{name} not in the image's /etc/{db}")


def customise(target: Path, overlay: Path, readme: Path) -> None:
    """Overlay files (root-owned), users from sysusers.d, enabled units, read-only-root links, /data tree."""
    for src in sorted(overlay.rglob("*")):
        dest = target / src.relative_to(overlay)
        if src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        shutil.copy2(src, dest)
        os.chown(dest, 0, 0)
        os.chmod(dest, 0o644)
    shutil.copy2(readme, target / "opt" / "kidsafe" / "README-firmware.md")
    subprocess.run(["systemd-sysusers", f"--root={target}"], check=True)
    subprocess.run(["systemctl", f"--root={target}", "enable", *UNITS], check=True, capture_output=True)
    (target / "etc" / "machine-id").write_text("")  # a new id per device at its first boot
    (target / "etc" / "hostname").write_text("kidsafe\n")
    wpa = target / "etc" / "wpa_supplicant"
    if wpa.is_dir() and not wpa.is_symlink():
        shutil.rmtree(wpa)
    wpa.unlink(missing_ok=True)
    wpa.symlink_to("/data/etc/wpa_supplicant")
    for sub in ("data", "boot/firmware"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    for rel, mode, user, group in DATA_TREE:
        path = target / "data" / rel
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, ids(target, user, "passwd"), ids(target, group, "group"))
        os.chmod(path, mode)
    for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for entry in (target / junk).glob("*"):
            if entry.is_file():
                entry.unlink()


def tree_size(target: Path) -> int:
    out = subprocess.run(["du", "-sb", "--one-file-system", str(target)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def sorted_tar(target: Path, out: Path, epoch: int) -> Path:
    """A tarball of the root with sorted names, numeric owners and times clamped to SOURCE_DATE_EPOCH."""
    subprocess.run(["tar", "--sort=name", f"--mtime=@{epoch}", "--clamp-mtime", "--numeric-owner",
                    "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
                    "--one-file-system", "-cf", str(out), "-C", str(target), "."], check=True)
    return out
