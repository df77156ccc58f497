"""Clock tampering grants nothing: wall clock back/forward, reboots, deleted or corrupt databases,
trusted time from the portal. All on injected clocks."""

from __future__ import annotations

import pytest
from usage_fakes import FakeTime, Rig, epoch

TUE = "2026-11-24"


def limited(tmp_path, when=f"{TUE} 10:00", minutes=30) -> Rig:
    return Rig(tmp_path, FakeTime(epoch(when)), {"time": {"daily_limit_min": minutes}})


def test_setting_clock_back_within_a_boot_changes_nothing(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    assert r.clock.status().state == "time_up"
    r.time.set_wall(epoch("2026-11-23 10:00"))  # yesterday
    st = r.clock.status()
    assert st.day == TUE and st.state == "time_up"
    assert "clock_tamper" in r.kinds()


def test_jumping_forward_to_tomorrow_within_a_boot_is_not_believed(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    r.time.set_wall(epoch("2026-11-25 10:00"))  # +~24 h while monotonic moved seconds
    st = r.clock.status()
    assert st.day == TUE and st.state == "time_up" and st.used_s == pytest.approx(30 * 60)
    tamper = [e for e in r.events if e["kind"] == "clock_tamper"]
    assert tamper and tamper[-1]["direction"] == "forward"


def test_jumping_past_the_night_window_does_not_skip_it(tmp_path):
    r = Rig(tmp_path, FakeTime(epoch(f"{TUE} 22:30")))
    assert r.clock.status().state == "night"
    r.time.set_wall(epoch("2026-11-25 07:00"))
    assert r.clock.status().state == "night"
    r.time.set_wall(epoch(f"{TUE} 12:00"))  # or back to midday, then reboot
    r.time.reboot()
    r.restart()
    assert r.clock.status().state == "night"


def test_clock_back_then_reboot_keeps_usage_via_high_water_mark(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    r.time.set_wall(epoch("2026-11-23 10:00"))
    r.time.reboot()
    r.restart()
    st = r.clock.status()
    assert st.day == TUE and st.state == "time_up"
    assert st.device_time >= epoch(f"{TUE} 10:30")
    assert any(e.get("at") == "boot" for e in r.events)


def test_idle_until_night_then_clock_back_and_reboot_is_still_night(tmp_path):
    r = Rig(tmp_path, FakeTime(epoch(f"{TUE} 20:00")))
    r.use_for(600)  # last use ends 20:10
    for _ in range(9):  # idle; the background thread keeps the high-water mark fresh
        r.time.advance(15 * 60)
        r.clock.tick()
    assert r.clock.status().state == "night"  # 22:25
    r.time.set_wall(epoch(f"{TUE} 20:00"))
    r.time.reboot()
    r.restart(flush=False)
    assert r.clock.status().state == "night"


def test_kill_without_flush_loses_at_most_the_flush_interval(tmp_path):
    r = limited(tmp_path, minutes=60)
    r.flush_s = 5.0
    r.set_policy(r.doc)
    r.use_for(600, step=1)
    r.restart(flush=False)  # in-memory counters are gone, like kill -9
    used = r.clock.status().used_s
    assert 600 - 5 <= used <= 600


def test_deleting_the_usage_database_restores_from_the_mirror(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    r.clock.flush()
    r.store.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"usage.sqlite3{suffix}").unlink(missing_ok=True)
    del r.clock
    r.open()
    assert r.clock.status().state == "time_up"
    assert r.tk.high_water_mark >= epoch(f"{TUE} 10:30")


def test_deleting_both_usage_files_restores_today_from_the_seal_and_tells_the_parent(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    r.clock.flush()
    r.store.close()
    for name in ("usage.sqlite3", "mirror.sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"{name}{suffix}").unlink(missing_ok=True)
    r.time.set_wall(epoch(f"{TUE} 08:00"))  # and the clock back, then a reboot
    r.time.reboot()
    del r.clock
    r.open()
    st = r.clock.status()
    assert st.state == "time_up" and st.used_s >= 30 * 60 - 5 and st.day == TUE
    assert r.tk.high_water_mark >= epoch(f"{TUE} 10:30")
    tamper = [e for e in r.events if e["kind"] == "usage_tamper"]
    assert tamper and sorted(tamper[-1]["deleted"]) == ["mirror", "usage"]
    assert (tmp_path / "seal.json").stat().st_mode & 0o777 == 0o600


def test_deleting_the_seal_is_reported(tmp_path):
    r = limited(tmp_path)
    r.use_for(60)
    r.restart()
    (tmp_path / "seal.json").unlink()
    r.restart()
    assert any(e["kind"] == "usage_tamper" and e["deleted"] == ["seal"] for e in r.events)
    assert r.clock.status().used_s >= 60


def test_corrupt_usage_database_is_moved_aside_and_rebuilt(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    r.clock.flush()
    r.store.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"usage.sqlite3{suffix}").unlink(missing_ok=True)
    (tmp_path / "usage.sqlite3").write_bytes(b"this is not a database" * 100)
    del r.clock
    r.open()
    assert r.clock.status().state == "time_up"
    assert (tmp_path / "usage.sqlite3.corrupt-1").exists()


def test_forward_then_reboot_is_reported_and_trusted_time_folds_usage_back(tmp_path):
    r = limited(tmp_path)
    r.use_for(30 * 60)
    assert r.clock.status().state == "time_up"
    # Offline the child sets tomorrow and reboots: indistinguishable from a night switched off.
    r.time.set_wall(epoch("2026-11-25 10:31"))
    r.time.reboot()
    r.restart()
    assert r.clock.status().day == "2026-11-25"
    assert "boot_time_gap" in r.kinds()
    r.use_for(10 * 60)
    # Back online: the portal says it is really Tuesday 10:45.
    info = r.clock.set_trusted_time(epoch(f"{TUE} 10:45"))
    assert info["delta_s"] < 0 and info["moved_s"] == pytest.approx(600)
    st = r.clock.status()
    assert st.day == TUE and st.used_s == pytest.approx(40 * 60) and st.state == "time_up"
    # and the corrected time survives another reboot with the wall clock still wrong
    r.time.reboot()
    r.restart()
    st = r.clock.status()
    assert st.day == TUE


def test_trusted_time_forward_correction_is_accepted(tmp_path):
    r = limited(tmp_path, when="2026-11-20 10:00")  # device booted with an old clock (no RTC)
    r.clock.set_trusted_time(epoch(f"{TUE} 09:00"))
    r.time.advance(60)
    st = r.clock.status()
    assert st.day == TUE and st.local_time.startswith(f"{TUE}T09:01")


def test_small_drift_is_not_reported_as_tampering(tmp_path):
    r = limited(tmp_path)
    r.time.wall_s += 30
    r.clock.status()
    assert "clock_tamper" not in r.kinds()
