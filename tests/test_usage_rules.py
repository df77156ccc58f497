"""Usage rules on fake clocks: counting, idle gap, limits by band and weekday, night, breaks, warnings,
exemptions, extra time, always-allowed features and "more time" requests."""

from __future__ import annotations

import pytest
from usage_fakes import FakeTime, Rig, epoch

from device.usage.engine import MoreTimeError

TUE = "2026-11-24"  # a Tuesday
SAT = "2026-11-28"


def rig(tmp_path, when=f"{TUE} 10:00", **doc) -> Rig:
    return Rig(tmp_path, FakeTime(epoch(when)), doc)


def test_active_time_counts_gaps_within_idle_gap_only(tmp_path):
    r = rig(tmp_path, time={"idle_gap_s": 60})
    r.use_for(120, step=20)  # 6 gaps of 20 s
    assert r.clock.status().used_s == pytest.approx(120)
    r.time.advance(300)  # away 5 min: only the last use's quantum (interaction_s, 15 s) counts
    r.clock.use("read")
    assert r.clock.status().used_s == pytest.approx(135)
    r.time.advance(30)
    r.clock.use("read")
    assert r.clock.status().used_s == pytest.approx(165)


def test_spaced_use_is_counted(tmp_path):
    """One search every 61 s with a 60 s idle gap used to count nothing, forever."""
    r = rig(tmp_path, time={"idle_gap_s": 60, "daily_limit_min": 10})
    allowed = 0
    for _ in range(100):
        allowed += r.clock.use("search").allowed
        r.time.advance(61)
    st = r.clock.status()
    assert allowed == 40 and st.used_s == pytest.approx(600) and st.state == "time_up"  # 40 x 15 s
    r2 = rig(tmp_path / "b", time={"idle_gap_s": 60, "interaction_s": 40})
    for _ in range(10):  # rapid clicks count only the time they span, plus one quantum
        r2.clock.use("search")
        r2.time.advance(1)
    r2.time.advance(600)
    assert r2.clock.status().used_s == pytest.approx(9 + 40)  # clicks span 9 s, then the last quantum


@pytest.mark.parametrize(("band", "minutes"), [("under8", 40), ("8-11", 60), ("12-15", 60), ("16-17", 120)])
def test_cac_default_limits_by_age_band(tmp_path, band, minutes):
    r = rig(tmp_path, age_band=band)
    st = r.clock.status()
    assert st.limit_s == minutes * 60 and st.left_s == minutes * 60 and st.state == "ok"


def test_weekday_and_weekend_limits(tmp_path):
    doc = {"time": {"daily_limit_min": {"weekday": 30, "weekend": 90}}}
    assert rig(tmp_path / "a", f"{TUE} 10:00", **doc).clock.status().limit_s == 30 * 60
    assert rig(tmp_path / "b", f"{SAT} 10:00", **doc).clock.status().limit_s == 90 * 60


def test_time_up_blocks_search_but_not_always_allowed_or_exempt(tmp_path):
    r = rig(tmp_path, time={"daily_limit_min": 10, "exempt_features": ["dictionary"]})
    r.use_for(600)
    st = r.clock.status()
    assert st.state == "time_up" and st.left_s == 0
    assert not r.clock.use("search").allowed
    assert r.clock.use("search").reason == "time_up"
    assert r.kinds().count("limit_reached") == 1  # logged once for the parent, not on every check
    for feature in ("call_parent", "emergency", "clock", "dictionary"):
        assert r.clock.use(feature).allowed, feature
    used = r.clock.status().used_s
    r.use_for(60, feature="dictionary")  # exempt use does not count against the limit
    assert r.clock.status().used_s == pytest.approx(used)
    r.clock.flush()
    assert r.store.usage(TUE)["exempt:dictionary"] == pytest.approx(60)


def test_warnings_at_15_and_5_minutes_left(tmp_path):
    r = rig(tmp_path, time={"daily_limit_min": 20})
    assert r.clock.status().warning_min is None
    r.use_for(5 * 60)
    assert r.clock.status().warning_min == 15
    r.use_for(10 * 60)
    assert r.clock.status().warning_min == 5
    r.use_for(5 * 60)
    assert r.clock.status().state == "time_up"


def test_night_window_default_and_disabled(tmp_path):
    r = rig(tmp_path, f"{TUE} 21:59")
    assert r.clock.use("search").allowed
    r.time.advance(60)
    d = r.clock.use("search")
    assert not d.allowed and d.reason == "night" and d.status.night
    assert r.clock.use("emergency").allowed
    assert rig(tmp_path / "early", f"{TUE} 05:59").clock.status().state == "night"
    assert rig(tmp_path / "morning", f"{TUE} 06:00").clock.status().state == "ok"
    off = rig(tmp_path / "off", f"{TUE} 23:30", time={"night": None})
    assert off.clock.use("search").allowed


def test_exempt_features_do_not_work_at_night(tmp_path):
    r = rig(tmp_path, f"{TUE} 23:00", time={"exempt_features": ["homework"]})
    assert not r.clock.use("homework").allowed


def test_break_reminder_after_30_minutes_and_reset_by_pause(tmp_path):
    r = rig(tmp_path, time={"daily_limit_min": 120})
    r.use_for(29 * 60)
    assert not r.clock.status().break_due
    r.use_for(60)
    assert r.clock.status().break_due
    r.time.advance(5 * 60)  # a 5 minute pause resets continuous use
    assert not r.clock.status().break_due
    r.clock.use("search")
    assert r.clock.status().continuous_s == 0


def test_exempt_date_has_no_limit(tmp_path):
    r = rig(tmp_path, time={"daily_limit_min": 1, "exempt_dates": [TUE]})
    r.use_for(600)
    st = r.clock.status()
    assert st.exempt_today and st.left_s is None and r.clock.use("search").allowed


def test_extra_time_from_policy_and_grant_is_idempotent(tmp_path):
    r = rig(tmp_path, time={"daily_limit_min": 10, "extra_time": [{"date": TUE, "minutes": 5}]})
    assert r.clock.status().left_s == 15 * 60
    r.use_for(15 * 60)
    assert r.clock.status().state == "time_up"
    assert r.clock.grant_extra(10, ref="req-1") is True
    assert r.clock.grant_extra(10, ref="req-1") is False  # QoS 1 repeat
    st = r.clock.status()
    assert st.state == "ok" and st.left_s == 10 * 60
    with pytest.raises(ValueError):
        r.clock.grant_extra(0)


def test_more_time_requests_are_queued_deduplicated_and_capped(tmp_path):
    r = rig(tmp_path)
    first = r.clock.request_more_time(15, "homework")
    assert first["status"] == "pending" and not first["duplicate"]
    again = r.clock.request_more_time(15)
    assert again["duplicate"] and again["id"] == first["id"]
    for _ in range(4):
        r.time.advance(700)
        r.clock.request_more_time(10)
    r.time.advance(700)
    with pytest.raises(MoreTimeError):
        r.clock.request_more_time(10)
    assert len(r.store.requests(status="pending")) == 5
    with pytest.raises(MoreTimeError) as exc:
        r.clock.request_more_time(500)
    assert exc.value.zh
    assert "more_time_request" in r.kinds()


def test_new_day_starts_fresh_and_yesterday_is_kept(tmp_path):
    r = rig(tmp_path, f"{TUE} 20:00")
    r.use_for(600)
    r.time.advance(12 * 3600)  # next morning 08:00
    st = r.clock.status()
    assert st.day == "2026-11-25" and st.used_s == 0
    assert r.store.usage(TUE)["limit"] == pytest.approx(615)  # + the last use's quantum


def test_report_lists_recent_days_with_counted_and_exempt_time(tmp_path):
    r = rig(tmp_path, f"{TUE} 20:00", time={"exempt_features": ["homework"]})
    r.use_for(300)
    r.time.advance(300)
    r.use_for(120, feature="homework")
    r.time.advance(14 * 3600)  # Wednesday 10:xx
    r.use_for(60)
    report = r.clock.report(days=3)
    assert [d["day"] for d in report] == ["2026-11-23", TUE, "2026-11-25"]
    assert report[0] == {"day": "2026-11-23", "used_s": 0.0, "exempt_s": {}}
    # each pause ends with the last use's 15 s quantum, counted in that use's bucket
    assert report[1]["used_s"] == pytest.approx(315) and report[1]["exempt_s"] == {"homework": pytest.approx(135)}
    assert report[2]["used_s"] == pytest.approx(60)
