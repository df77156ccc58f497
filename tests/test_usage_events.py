"""The local event log (device/events.py): any dict is stored, nothing raises, unsent/mark_sent for the
MQTT agent, the row cap, and that the usage parts write their events there."""

from __future__ import annotations

import threading

from device.events import EventLog


def test_record_any_dict_and_read_back(tmp_path):
    log = EventLog(tmp_path / "events.sqlite3", now=lambda: 1000.0)
    a = log.record({"kind": "query_blocked", "categories": ["gambling"], "query": "赌博"})
    b = log.record({"type": "result_hidden", "count": 3, "path": tmp_path})  # Path is not JSON: stringified
    c = log({"no_kind": True})
    d = log.record("not a dict")  # type: ignore[arg-type]
    assert None not in (a, b, c, d)
    rows = log.recent()
    assert [r["kind"] for r in rows] == ["event", "event", "result_hidden", "query_blocked"]
    assert rows[-1]["event"]["query"] == "赌博" and rows[-1]["ts"] == 1000.0
    assert rows[2]["event"]["path"] == str(tmp_path)
    assert log.recent(kind="query_blocked")[0]["id"] == a


def test_unsent_and_mark_sent(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3")
    ids = [log.record({"kind": "x", "i": i}) for i in range(5)]
    assert [r["id"] for r in log.unsent()] == ids
    log.mark_sent(ids[:3])
    assert [r["id"] for r in log.unsent()] == ids[3:]
    log.close()
    again = EventLog(tmp_path / "e.sqlite3")
    assert [r["id"] for r in again.unsent()] == ids[3:]


def test_a_broken_clock_or_closed_db_never_raises(tmp_path):
    def boom() -> float:
        raise RuntimeError("clock")

    log = EventLog(tmp_path / "e.sqlite3", now=boom)
    assert log.record({"kind": "x"}) is not None
    log.close()
    assert log.record({"kind": "y"}) is None


def test_row_cap_keeps_the_newest(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3", max_rows=100)
    for i in range(300):
        log.record({"kind": "x", "i": i})
    rows = log.recent(limit=1000)
    assert len(rows) <= 110 and rows[0]["event"]["i"] == 299


def test_concurrent_writers(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3")

    def work(n: int) -> None:
        for i in range(50):
            log.record({"kind": "w", "n": n, "i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log.recent(limit=1000, kind="w")) == 200


def test_flood_never_drops_an_unsent_safety_event_and_records_what_was_dropped(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3", max_rows=100)
    safety = [log.record({"kind": k, "n": i}) for i, k in enumerate(["search_blocked", "limit_reached",
                                                                     "clock_tamper", "policy_rejected"])]
    for i in range(2_000):  # distinct low-value and normal events: nothing to coalesce
        log.record({"kind": "always_allowed" if i % 2 else "search_results_hidden", "i": i})
    ids = {r["id"] for r in log.unsent(limit=10_000)}
    assert set(safety) <= ids
    assert len(ids) <= 111
    dropped = log.recent(limit=10_000, kind="events_dropped")
    assert dropped and all(r["safety"] for r in dropped)
    total = sum(sum(r["event"]["dropped"].values()) for r in dropped)
    assert total >= 1_800 and "always_allowed" in dropped[-1]["event"]["dropped"]


def test_low_value_events_go_before_normal_ones(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3", max_rows=50)
    for i in range(40):
        log.record({"kind": "search_results_hidden", "i": i})
    for i in range(40):
        log.record({"kind": "always_allowed", "i": i})
    kinds = [r["kind"] for r in log.unsent(limit=1000)]
    assert kinds.count("search_results_hidden") == 40


def test_repeats_are_coalesced_and_a_read_row_is_frozen(tmp_path):
    now = [1000.0]
    log = EventLog(tmp_path / "e.sqlite3", now=lambda: now[0])
    first = log.record({"kind": "always_allowed", "item": "clock"})
    for _ in range(22_100 // 100):
        now[0] += 0.1
        assert log.record({"kind": "always_allowed", "item": "clock"}) == first
    rows = log.unsent()
    assert len(rows) == 1 and rows[0]["count"] == 222 and rows[0]["last_ts"] > rows[0]["ts"]
    second = log.record({"kind": "always_allowed", "item": "clock"})  # the agent has the first: a new row
    assert second != first
    log.mark_sent([first])
    assert [(r["id"], r["count"]) for r in log.unsent()] == [(second, 1)]
    now[0] += 3600  # past the coalescing window: a new row
    assert log.record({"kind": "always_allowed", "item": "clock"}) not in (first, second)
    assert log.pending() == {"unsent": 2, "unsent_safety": 0}


def test_event_log_is_private(tmp_path):
    log = EventLog(tmp_path / "e.sqlite3")
    log.record({"kind": "x"})
    for name in ("e.sqlite3", "e.sqlite3-wal"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
