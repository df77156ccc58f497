"""Property test: whatever a child does with the wall clock, reboots and use, the device time never goes
backwards, a day's counted usage never shrinks, and no more time is counted than really passed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from usage_fakes import FakeTime, Rig, epoch

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("use"), st.floats(min_value=0.5, max_value=120)),  # wait then use
        st.tuples(st.just("idle"), st.floats(min_value=60, max_value=4 * 3600)),
        st.tuples(st.just("wall"), st.floats(min_value=-3 * 86400, max_value=3 * 86400)),  # child sets clock
        st.tuples(st.just("reboot"), st.floats(min_value=0, max_value=600)),
        st.tuples(st.just("restart"), st.just(0.0)),  # service restart (clean)
    ),
    min_size=5,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_tampering_never_moves_time_back_or_shrinks_usage(tmp_path_factory, ops):
    home = tmp_path_factory.mktemp("prop")
    r = Rig(home, FakeTime(epoch("2026-11-24 09:00")), {"time": {"daily_limit_min": 600, "night": None}})
    last_dev = r.clock.status().device_time
    per_day: dict[str, float] = {}
    really_passed = 0.0  # monotonic time the device was powered on
    for op, x in ops:
        if op == "use":
            r.time.advance(x)
            really_passed += x
            r.clock.use("search")
        elif op == "idle":
            r.time.advance(x)
            really_passed += x
            r.clock.tick()
        elif op == "wall":
            r.time.set_wall(r.time.wall_s + x)
        elif op == "reboot":
            r.clock.flush()
            r.time.reboot(off_s=x)
            r.restart()
        else:
            r.restart()
        status = r.clock.status()
        assert status.device_time >= last_dev - 1e-6
        last_dev = status.device_time
        assert status.used_s >= per_day.get(status.day, 0.0) - 1e-6
        per_day[status.day] = status.used_s
        total = sum(r.store.usage(day).get("limit", 0.0) for day in per_day) if op in ("reboot", "restart") else 0
        assert total <= really_passed + 1e-6
    r.clock.flush()
    assert sum(r.store.usage(d).get("limit", 0.0) for d in per_day) <= really_passed + 1e-6
    r.store.close()
