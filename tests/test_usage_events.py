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
