"""Grow the data partition to the end of the SD card, before /data is mounted (kidsafe-grow-data.service).

    grow_data.py [DEVICE]        default /dev/disk/by-label/kidsafe-data

The image is 2 GiB; a card is 8-128 GB. The data partition is the last one of an MBR table (the Pi's
boot firmware reads MBR; systemd-repart only handles GPT), so this rewrites that one partition entry's
size in sector 0, aligned down to 4 MiB, and tells the kernel with `partx -u`; then fstab's
`x-systemd.growfs` (systemd-growfs) grows the ext4 file system when /data is mounted. Every boot after
the first finds nothing to do. Refused, with nothing written: a disk without an MBR signature, a
partition that is not the last one, a primary entry that does not match the kernel's start sector.
A power cut between the sector write and partx is harmless: the next boot reads the new table.
Stdlib only (Debian's python3); runs as root with CAP_SYS_ADMIN (BLKPG in partx).
"""

from __future__ import annotations

import logging
import os
import struct
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("kidsafe-grow-data")
SECTOR = 512
ALIGN = 8192  # sectors: 4 MiB, as the image's partitions
MIN_GAIN = 2 * ALIGN  # below 8 MiB more, leave the table alone
TABLE = 446  # the four 16-byte primary entries start here in sector 0


class GrowError(Exception):
    """A disk layout this tool does not change."""


def entries(mbr: bytes) -> list[tuple[int, int, int]]:
    """(type, first sector, sectors) of the four primary entries."""
    if len(mbr) < SECTOR or mbr[510:512] != b"\x55\xaa":
        raise GrowError("no MBR signature in sector 0 / 分区表不是 MBR")
    out = []
    for i in range(4):
        raw = mbr[TABLE + 16 * i: TABLE + 16 * (i + 1)]
        start, size = struct.unpack_from("<II", raw, 8)
        out.append((raw[4], start, size))
    return out


def plan(mbr: bytes, number: int, start: int, disk_sectors: int) -> int | None:
    """The new size in sectors of primary partition `number` (1-4), or None when it is big enough."""
    table = entries(mbr)
    if not 1 <= number <= 4:
        raise GrowError(f"partition {number} is not a primary MBR partition")
    kind, first, size = table[number - 1]
    if kind == 0 or first != start:
        raise GrowError(f"MBR entry {number} (start {first}) does not match the kernel's start {start}")
    if any(s > first for k, s, _ in table if k):
        raise GrowError(f"partition {number} is not the last one: not grown / 不是最后一个分区")
    end = (disk_sectors // ALIGN) * ALIGN
    if end - first < size + MIN_GAIN:
        return None
    return end - first


def write_size(disk: Path, number: int, sectors: int) -> None:
    with open(disk, "r+b", buffering=0) as fh:
        fh.seek(TABLE + 16 * (number - 1) + 12)
        fh.write(struct.pack("<I", sectors))
        os.fsync(fh.fileno())


def sysfs(part: Path) -> tuple[Path, int, int, int]:
    """(disk device, partition number, start sector, disk size in sectors) of a partition device."""
    name = part.resolve().name
    node = Path("/sys/class/block") / name
    disk_name = node.resolve().parent.name
    number = int((node / "partition").read_text())
    start = int((node / "start").read_text())
    disk_sectors = int((Path("/sys/class/block") / disk_name / "size").read_text())
    return Path("/dev") / disk_name, number, start, disk_sectors


def grow(part: Path, partx: str = "partx") -> int:
    disk, number, start, disk_sectors = sysfs(part)
    with open(disk, "rb") as fh:
        mbr = fh.read(SECTOR)
    new = plan(mbr, number, start, disk_sectors)
    if new is None:
        log.info("%s partition %d already fills the disk / 数据分区无需扩展", disk, number)
        return 0
    old = entries(mbr)[number - 1][2]
    write_size(disk, number, new)
    subprocess.run([partx, "-u", "--nr", str(number), str(disk)], check=True)
    log.info("%s partition %d grown from %d to %d MiB / 数据分区已扩展", disk, number, old * SECTOR >> 20,
             new * SECTOR >> 20)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        return grow(Path(args[0] if args else "/dev/disk/by-label/kidsafe-data"))
    except (GrowError, OSError, ValueError, subprocess.CalledProcessError) as exc:
        log.error("data partition not grown: %s / 数据分区未扩展", exc)
        return 1


if __name__ == "__main__":
    sys.exit(main())
