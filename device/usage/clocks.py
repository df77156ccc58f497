"""Injectable clocks: the wall clock (settable by anyone) and a monotonic clock (settable by no one).

The device reads time only through a `Clocks` pair so tests can simulate a child changing the
wall clock, a reboot (the monotonic clock restarts and the boot id changes) or a suspend.
On Linux the monotonic source is CLOCK_BOOTTIME: it keeps counting through suspend and
`settimeofday` never moves it, so it measures real elapsed time within one boot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _boottime() -> float:
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    if clock is not None:
        try:
            return time.clock_gettime(clock)
        except OSError:  # pragma: no cover - kernels without BOOTTIME
            pass
    return time.monotonic()


def _boot_id() -> str:
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:  # not Linux: a monotonic clock that went backwards also means a reboot
        return "unknown"


@dataclass(frozen=True, slots=True)
class Clocks:
    """wall(): Unix epoch seconds (untrusted). mono(): seconds since boot. boot_id(): changes on reboot."""

    wall: Callable[[], float] = time.time
    mono: Callable[[], float] = _boottime
    boot_id: Callable[[], str] = _boot_id


SYSTEM_CLOCKS = Clocks()
