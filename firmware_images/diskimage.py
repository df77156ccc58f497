"""The flashable image: boot (vfat, Raspberry Pi firmware + kernel) + root (ext4, read-only) + data
(ext4), assembled by genimage without loop devices. File system ids and times come from fixed values
so the same root gives the same partitions."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

BOOT_MB = 256
DATA_MB = 512
# Raspberry Pi 4 / 400 / CM4, 3 / 3+, Zero 2 W device trees (Debian's linux-image-arm64 ships them)
DTBS = ("bcm2711-rpi-4-b.dtb", "bcm2711-rpi-400.dtb", "bcm2711-rpi-cm4.dtb", "bcm2837-rpi-3-b.dtb",
        "bcm2837-rpi-3-b-plus.dtb", "bcm2837-rpi-zero-2-w.dtb", "bcm2710-rpi-zero-2-w.dtb")
CONFIG_TXT = """# kidsafe device image (Debian bookworm arm64 kernel on the Raspberry Pi firmware)
arm_64bit=1
enable_uart=1
upstream_kernel=1
kernel=vmlinuz
initramfs initrd.img followkernel
dtparam=watchdog=on
dtparam=audio=on
disable_overscan=1
"""
CMDLINE_TXT = ("console=tty1 console=serial0,115200 root=LABEL=kidsafe-root rootfstype=ext4 ro fsck.repair=yes "
               "rootwait quiet\n")
GENIMAGE_CFG = """image boot.vfat {{
  vfat {{
    label = "KSBOOT"
    extraargs = "-i {vol_id} --invariant"
  }}
  mountpoint = "/boot/firmware"
  size = {boot_mb}M
}}

{data}
{root}
image kidsafe-arm64.img {{
  hdimage {{
    partition-table-type = "mbr"
    disk-signature = 0x4b534146
    align = 4M
  }}
  partition boot {{
    partition-type = 0xC
    bootable = "true"
    image = "boot.vfat"
  }}
  partition root {{
    partition-type = 0x83
    image = "root.ext4"
  }}
  partition data {{
    partition-type = 0x83
    image = "data.ext4"
  }}
}}
"""


EXT4_IMAGE = """image {name}.ext4 {{
  ext4 {{
    label = "{label}"
    use-mke2fs = true
    extraargs = "-U {uuid} -E hash_seed={uuid}{extra}"
    fs-timestamp = "{stamp}"
  }}
{placement}
}}
"""


def ext4_image(name: str, label: str, stamp: str, placement: str, extra: str = "") -> str:
    return EXT4_IMAGE.format(name=name, label=label, uuid=fixed_uuid(name), stamp=stamp, placement=placement,
                             extra=extra)


def fixed_uuid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kidsafe-image/{name}"))


def populate_boot(root: Path) -> list[str]:
    """Pi firmware blobs, the Debian kernel + initrd, device trees, config.txt, cmdline.txt."""
    boot = root / "boot" / "firmware"
    boot.mkdir(parents=True, exist_ok=True)
    firmware = root / "usr" / "lib" / "raspi-firmware"
    if firmware.is_dir():
        for blob in sorted(firmware.iterdir()):
            if blob.is_file():
                shutil.copy2(blob, boot / blob.name)
    missing = []
    for pattern, name in (("vmlinuz-*", "vmlinuz"), ("initrd.img-*", "initrd.img")):
        found = sorted((root / "boot").glob(pattern))
        if found:
            shutil.copy2(found[-1], boot / name)
        else:
            missing.append(name)
    dtb_dirs = sorted((root / "usr" / "lib").glob("linux-image-*/broadcom"))
    for dtb in DTBS:
        src = dtb_dirs[-1] / dtb if dtb_dirs else None
        if src is not None and src.exists():
            shutil.copy2(src, boot / dtb)
    (boot / "config.txt").write_text(CONFIG_TXT)
    (boot / "cmdline.txt").write_text(CMDLINE_TXT)
    return missing


def tree_mb(path: Path, exclude: tuple[str, ...] = ()) -> int:
    cmd = ["du", "-sm", "--one-file-system", *[f"--exclude={e}" for e in exclude], str(path)]
    return int(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()[0])


def build(root: Path, out_dir: Path, epoch: int) -> Path:
    missing = populate_boot(root)
    if missing:
        print(f"   warning: no {', '.join(missing)} in the root: the image will not boot a Pi")
    used = tree_mb(root, exclude=(str(root / "boot" / "firmware"), str(root / "data")))
    root_mb = int(used * 1.25) + 128  # ext4 metadata and room for nothing else: the root is read-only
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch))
    cfg = out_dir / "genimage.cfg"
    data = ext4_image("data", "kidsafe-data", stamp, f'  mountpoint = "/data"\n  size = {DATA_MB}M')
    rootimg = ext4_image("root", "kidsafe-root", stamp, f"  size = {root_mb}M", extra=" -m 0")
    cfg.write_text(GENIMAGE_CFG.format(vol_id="4b534246", boot_mb=BOOT_MB, data=data, root=rootimg))
    images = out_dir / "images"
    tmp = out_dir / "genimage-tmp"
    for path in (images, tmp):
        if path.exists():
            subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=True)
    images.mkdir(parents=True)
    env = dict(os.environ, E2FSPROGS_FAKE_TIME=str(epoch), SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run(["genimage", "--config", str(cfg), "--rootpath", str(root), "--tmppath", str(tmp),
                    "--inputpath", str(images), "--outputpath", str(images)], check=True, env=env)
    subprocess.run(["rm", "-rf", "--one-file-system", str(tmp)], check=True)
    final = out_dir / "kidsafe-arm64.img"
    os.replace(images / "kidsafe-arm64.img", final)
    return final
