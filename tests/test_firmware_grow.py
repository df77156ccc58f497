"""grow_data.py: the image's data partition (last, MBR) grows to the end of the card, on a disk image file
with the MBR layout genimage writes for the image, and refuses layouts it must not touch."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "firmware_images" / "rootfs" / "usr" / "lib" / "kidsafe"
sys.path.insert(0, str(SCRIPTS))
import grow_data  # noqa: E402

MIB = 2048  # sectors


def mbr(parts: list[tuple[int, int, int]]) -> bytearray:
    """Sector 0 with primary entries (type, start, sectors), like genimage writes for the image."""
    sector = bytearray(512)
    for i, (kind, start, size) in enumerate(parts):
        entry = bytearray(16)
        entry[4] = kind
        struct.pack_into("<II", entry, 8, start, size)
        sector[446 + 16 * i: 446 + 16 * (i + 1)] = entry
    sector[510:512] = b"\x55\xaa"
    return sector


IMAGE = [(0x0C, 4 * MIB, 256 * MIB), (0x83, 260 * MIB, 1352 * MIB), (0x83, 1612 * MIB, 512 * MIB)]


def test_the_last_partition_grows_to_the_aligned_end_of_a_bigger_card(tmp_path: Path) -> None:
    disk = tmp_path / "card.img"
    disk.write_bytes(bytes(mbr(IMAGE)))
    card = 7_800_000_000 // 512  # an "8 GB" card, not a multiple of 4 MiB
    new = grow_data.plan(disk.read_bytes()[:512], 3, 1612 * MIB, card)
    assert new is not None and (1612 * MIB + new) % grow_data.ALIGN == 0
    assert 0 <= card - (1612 * MIB + new) < grow_data.ALIGN
    grow_data.write_size(disk, 3, new)
    table = grow_data.entries(disk.read_bytes()[:512])
    assert table[2] == (0x83, 1612 * MIB, new)
    assert table[:2] == [(k, s, n) for k, s, n in IMAGE[:2]]  # boot and root untouched
    assert grow_data.plan(disk.read_bytes()[:512], 3, 1612 * MIB, card) is None  # next boot: nothing to do


def test_an_image_flashed_as_is_is_left_alone() -> None:
    end = (1612 + 512) * MIB
    assert grow_data.plan(bytes(mbr(IMAGE)), 3, 1612 * MIB, end) is None
    assert grow_data.plan(bytes(mbr(IMAGE)), 3, 1612 * MIB, end + 4 * MIB) is None  # < 8 MiB to gain


@pytest.mark.parametrize("case", ["no signature", "not last", "start mismatch", "empty entry", "logical"])
def test_layouts_it_must_not_touch_are_refused(case: str) -> None:
    sector = mbr(IMAGE)
    number, start = 3, 1612 * MIB
    if case == "no signature":
        sector[510:512] = b"\0\0"
    elif case == "not last":
        number, start = 2, 260 * MIB
    elif case == "start mismatch":
        start += MIB
    elif case == "empty entry":
        number, start = 4, 0
    else:
        number = 5
    with pytest.raises(grow_data.GrowError):
        grow_data.plan(bytes(sector), number, start, 64_000 * MIB)


def test_grow_on_a_device_rewrites_only_its_entry_and_tells_the_kernel(tmp_path: Path, monkeypatch) -> None:
    disk = tmp_path / "vda"
    disk.write_bytes(bytes(mbr(IMAGE)) + bytes(1024))
    monkeypatch.setattr(grow_data, "sysfs", lambda part: (disk, 3, 1612 * MIB, 16_000 * MIB))
    calls: list[list[str]] = []
    monkeypatch.setattr(grow_data.subprocess, "run", lambda cmd, check: calls.append(cmd))
    before = disk.read_bytes()
    assert grow_data.grow(tmp_path / "vda3") == 0
    after = disk.read_bytes()
    changed = [i for i in range(len(before)) if before[i] != after[i]]
    assert changed and all(446 + 32 + 12 <= i < 446 + 32 + 16 for i in changed)  # entry 3's size field only
    assert calls == [["partx", "-u", "--nr", "3", str(disk)]]
    assert grow_data.grow(tmp_path / "vda3") == 0 and len(calls) == 1  # second boot: nothing
