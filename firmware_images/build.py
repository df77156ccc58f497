"""`make image`: build the arm64 device image from this repository, in cached stages.

    python firmware_images/build.py [--stage base|root|image] [--snapshot 20251129T000000Z] [--check]

Stages (each skipped when its output for the same inputs exists; outputs under firmware_images/build/,
the Debian base under $KIDSAFE_FW_CACHE or build/cache):
  base   mmdebstrap --arch=arm64 bookworm minbase + packages.txt -> base-<key>.tar      (~10-15 min)
  wheels the pinned aarch64 wheels (requirements/device-aarch64.txt, hashes checked) + kidsafe's own wheel
  root   base + rootfs/ overlay + /opt/kidsafe/venv (pip under qemu-user), users, enabled units,
         data-partition tree -> build/root/, build/rootfs.tar (sorted, SOURCE_DATE_EPOCH), manifest.json
  image  genimage: boot (vfat) + root (ext4, mounted read-only) + data (ext4) -> build/kidsafe-arm64.img
`--check` builds the root stage a second time in another folder and compares its manifest (Debian
package set, sha256 of every kidsafe file) with the first: the reproducibility check (`make image-check`).
Needs root, mmdebstrap, qemu-user-static with binfmt (build.sh registers it), genimage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import diskimage  # noqa: E402
import manifest  # noqa: E402
import rootfs  # noqa: E402
from progress import Stages  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = Path(os.environ.get("KIDSAFE_FW_BUILD", HERE / "build"))
CACHE = Path(os.environ.get("KIDSAFE_FW_CACHE", BUILD / "cache"))
BASE_EPOCH = 1764374400  # fixed file times of the Debian base (2025-11-29), independent of our commits


def source_date_epoch() -> int:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return int(env)
    out = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    return int(out.stdout.strip() or BASE_EPOCH)


def kidsafe_wheel(dest: Path, epoch: int) -> Path:
    """The repository's own wheel (pure Python + data), built with fixed zip times."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("kidsafe-*.whl"):
        old.unlink()
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dest), str(REPO)],
                   check=True, env=env, cwd=str(REPO))
    (wheel,) = dest.glob("kidsafe-*.whl")
    return wheel


def wheelhouse() -> Path:
    dest = BUILD / "wheelhouse"
    subprocess.run([sys.executable, str(HERE / "pins.py"), "download", "--dest", str(dest)], check=True)
    return dest


def build_root(target: Path, base_tar: Path, wheels: Path, own_wheel: Path, epoch: int, stages: Stages) -> dict:
    with stages.step("extract base"):
        rootfs.extract(base_tar, target)
    with stages.step("kidsafe venv (pip under qemu)"):
        rootfs.install_venv(target, wheels, HERE / "requirements" / "device-aarch64.txt", own_wheel, epoch)
    with stages.step("overlay, users, units, data tree"):
        rootfs.customise(target, HERE / "rootfs", HERE / "README.md")
    with stages.step("manifest"):
        return manifest.collect(target)


def summary(data: dict) -> None:
    print("\n== kidsafe device image ==")
    for key, value in data.items():
        print(f"  {key:18s} {value}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stage", choices=("base", "root", "image"), default="image", help="stop after this stage")
    p.add_argument("--snapshot", default=os.environ.get("KIDSAFE_FW_SNAPSHOT"),
                   help="snapshot.debian.org date (e.g. 20251129T000000Z) instead of deb.debian.org")
    p.add_argument("--mirror", default=os.environ.get("KIDSAFE_FW_MIRROR", "http://deb.debian.org/debian"))
    p.add_argument("--check", action="store_true", help="build the root twice and compare the manifests")
    p.add_argument("--image-only", action="store_true", help="only make the disk image from the built root")
    args = p.parse_args(argv)
    if os.geteuid() != 0:
        print("make image needs root (mmdebstrap, chroot, file ownership) / 需要 root 权限", file=sys.stderr)
        return 2
    started = time.monotonic()
    epoch = source_date_epoch()
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    if args.image_only:
        img = diskimage.build(BUILD / "root", BUILD, epoch)
        summary({"image": f"{img} ({img.stat().st_size / 2**20:.0f} MiB)",
                 "build time": f"{time.monotonic() - started:.0f} s"})
        return 0
    stages = Stages(["base", "wheels", "root", "image"])
    with stages.step("debian base (mmdebstrap arm64)"):
        base_tar = rootfs.base_tarball(CACHE, HERE / "packages.txt", args.mirror, args.snapshot, BASE_EPOCH)
    if args.stage == "base":
        return 0
    with stages.step("wheels (pinned, hashes checked)"):
        wheels = wheelhouse()
        own = kidsafe_wheel(BUILD / "dist", epoch)
    root = BUILD / "root"
    found = build_root(root, base_tar, wheels, own, epoch, stages)
    found["inputs"] = manifest.inputs(base_tar, HERE / "requirements" / "device-aarch64.txt", own)
    manifest.write(BUILD / "manifest.json", found)
    manifest.write_packages(BUILD / "packages-installed.tsv", found)
    with stages.step("rootfs.tar (sorted, fixed times)"):
        tar = rootfs.sorted_tar(root, BUILD / "rootfs.tar", epoch)
    info = {"root size": f"{rootfs.tree_size(root) / 2**20:.0f} MiB",
            "rootfs.tar": f"{tar.stat().st_size / 2**20:.0f} MiB",
            "packages": f"{len(found['packages'])} (list: {BUILD / 'packages-installed.tsv'})",
            "kidsafe files": f"{len(found['files'])} (manifest: {BUILD / 'manifest.json'})"}
    if args.check:
        with stages.step("reproducibility: second root"):
            again = build_root(BUILD / "root-check", base_tar, wheels, own, epoch, stages)
        diff = manifest.compare(found, again)
        info["reproducible"] = "yes: same packages and kidsafe files" if not diff else "NO: " + "; ".join(diff[:5])
        subprocess.run(["rm", "-rf", "--one-file-system", str(BUILD / "root-check")], check=False)
        if diff:
            summary(info)
            return 1
    if args.stage == "image":
        with stages.step("disk image (genimage)"):
            img = diskimage.build(root, BUILD, epoch)
        info["image"] = f"{img} ({img.stat().st_size / 2**20:.0f} MiB, partitions: boot vfat, root ext4 ro, data ext4)"
    info["build time"] = f"{time.monotonic() - started:.0f} s ({stages.report()})"
    summary(info)
    (BUILD / "summary.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
