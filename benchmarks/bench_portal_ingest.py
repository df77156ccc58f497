"""Telemetry rows ingested per second by 1 and by 4 portal ingestion workers (separate processes on one
MQTT 5 shared subscription, mosquitto on 127.0.0.1), writing to SQLite and to PostgreSQL.

20 simulated devices (paired in the database) publish blocked-search events with QoS 1 as fast as the
broker takes them; the figure is events written / seconds from the first publish to the last row.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from benchmarks.portal_servers import ServersMissing, portal_servers
from mqtt_bridge import payloads, topics
from parent_portal.db import make_engine, session_factory
from parent_portal.migrate import upgrade
from parent_portal.models import Child, Device, Event, Family
from parent_portal.settings import PortalSettings

DEVICES = 20
EVENTS = int(os.environ.get("KIDSAFE_BENCH_INGEST_EVENTS", "2000"))


def _worker(url: str, port: int, folder: str, index: int, ready: multiprocessing.Event,
            stop: multiprocessing.Event) -> None:
    from parent_portal.ingest import TelemetryWorker

    settings = PortalSettings(database_url=url, mqtt_port=port, data_dir=Path(folder))
    worker = TelemetryWorker(settings)
    worker.start()
    worker.subscribed.wait(20)
    ready.set()
    stop.wait()
    worker.stop()


def _seed(url: str) -> None:
    upgrade(PortalSettings(database_url=url).sqlalchemy_url())
    with session_factory(make_engine(PortalSettings(database_url=url).sqlalchemy_url()))() as db:
        family = Family()
        db.add(family)
        db.flush()
        child = Child(family_id=family.id, name="bench", birth_year=2016, settings={"reporting": "counts"})
        db.add(child)
        db.flush()
        db.add_all(Device(id=f"bench-{i}", child_id=child.id, secret_hash="x") for i in range(DEVICES))
        db.commit()


def _publish(port: int) -> None:
    def one(device: int, count: int) -> None:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{device}")
        client.max_inflight_messages_set(200)
        client.connect("127.0.0.1", port)
        client.loop_start()
        infos = []
        for seq in range(1, count + 1):
            msg = payloads.EventMessage(device_id=f"bench-{device}", seq=seq, ts=time.time(), kind="search_blocked",
                                        safety=True, data={"category": "sexual", "rule": "lexicon:core:x"})
            infos.append(client.publish(topics.events(f"bench-{device}"), payloads.dump(msg), qos=1))
        for info in infos:
            info.wait_for_publish(30)
        client.loop_stop()
        client.disconnect()

    threads = [threading.Thread(target=one, args=(d, EVENTS // DEVICES)) for d in range(DEVICES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run(name: str, url: str, port: int, folder: Path, workers: int) -> None:
    _seed(url)
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    readies = [ctx.Event() for _ in range(workers)]
    procs = [ctx.Process(target=_worker, args=(url, port, str(folder), i, readies[i], stop)) for i in range(workers)]
    for p in procs:
        p.start()
    for r in readies:
        r.wait(60)
    engine = make_engine(PortalSettings(database_url=url).sqlalchemy_url())
    total = (EVENTS // DEVICES) * DEVICES
    start = time.perf_counter()
    _publish(port)
    rows = 0
    deadline = time.monotonic() + 120
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            rows = conn.execute(select(func.count()).select_from(Event)).scalar_one()
            if rows >= total:
                break
            time.sleep(0.05)
    wall = time.perf_counter() - start
    stop.set()
    for p in procs:
        p.join(20)
    engine.dispose()
    print(f"  {name:10s} {workers} worker(s): {rows}/{total} events in {wall:5.1f} s = {rows / wall:7.0f} rows/s",
          flush=True)


def main() -> None:
    print(f"portal telemetry ingestion: {DEVICES} devices, {EVENTS} events (QoS 1), shared subscription, "
          f"{os.cpu_count()} cores")
    try:
        with portal_servers("kidsafe-bench-ingest-") as servers:
            folder, port = servers.folder, servers.broker.port
            for workers in (1, 4):
                for name, url in servers.databases(f"ingest-{workers}"):
                    run(name, url, port, folder, workers)
    except ServersMissing as exc:
        print(f"  skipped: {exc}")


if __name__ == "__main__":
    main()
