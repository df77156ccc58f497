"""Figures for mqtt_bridge with a real mosquitto on 127.0.0.1 (started here, anonymous access):

1. a signed bundle (the hand-written core word packs, ~0.5 MB message sent inline, 2-of-2 bundle
   signatures under a 2-of-3 root; one device applying every shipped pack is measured on its own)
   verified and applied by 200 and by 1,000 simulated devices (4 worker processes, one network
   thread and 2 apply threads each, all on this machine's cores): time from the operator's publish
   until every device's retained state reports the new version, and resident memory per simulated
   device. A simulated device (mqtt_bridge/simulate.py SimFleet) keeps its own MQTT connection and
   client id and runs the real FleetUpdater (root, signatures, expiry, version, file lengths and
   hashes, staging on disk with fsync, pack parsing and weakening checks, journal, atomic swap) but
   no text filter, no canary self-test, no usage clock, no policy or telemetry.
2. telemetry messages per second ingested by 1 and by 4 shared-subscription consumers
   (TelemetryConsumer: parse + validate + dedup by msg id + the end-to-end ack on devices/{id}/acks,
   batched), each consumer in its own process, fed by
   2 publisher processes sending EventMessages with QoS 1.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from filters.lexicon import PACKS_DIR
from mqtt_bridge import fleet, topics
from mqtt_bridge.broker.local import LocalMosquitto
from mqtt_bridge.client import BrokerConfig, Connection
from mqtt_bridge.payloads import EventMessage, dump

WORKERS = 4


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sim_worker(port: int, ids: list[str], folder: str, root_json: str, ready: mp.Queue, done: mp.Event) -> None:
    from mqtt_bridge.payloads import SignedRoot, parse
    from mqtt_bridge.simulate import SimFleet

    os.nice(10)
    root = parse(SignedRoot, root_json)
    before = rss_kb()
    try:
        sims = SimFleet(Path(folder), ids, "bench", BrokerConfig(port=port), root).start()
    except Exception as exc:
        ready.put(("error", 0, 0, repr(exc)))
        return
    ready.put(("connected", rss_kb() - before, len(ids)))
    done.wait(900)
    ready.put(("after", rss_kb() - before, len(ids)))
    sims.stop()


def bench_packs() -> list[Path]:
    """The hand-written core packs (about 0.5 MB): the bundle every simulated device receives inline.
    The imported packs (several MB) go to real devices in chunks; their apply cost is apply_cpu's."""
    return sorted(p for p in PACKS_DIR.glob("*.json") if "." not in p.stem)


def bundle_rollout(broker: LocalMosquitto, n: int, keys: Path, tmp: Path) -> None:
    ids = [f"sim-{n}-{i:04d}" for i in range(n)]
    ctx = mp.get_context("spawn")
    ready: mp.Queue = ctx.Queue()
    done = ctx.Event()
    root_json = fleet.roots_in(keys)[0].model_dump_json()
    procs = [ctx.Process(target=sim_worker, args=(broker.port, ids[w::WORKERS], str(tmp / f"n{n}"), root_json,
                                                   ready, done), daemon=True) for w in range(WORKERS)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    mem = [ready.get(timeout=300) for _ in procs]
    connect_s = time.perf_counter() - t0
    errors = [m[3] for m in mem if m[0] == "error"]
    if errors:
        done.set()
        raise RuntimeError(f"simulated devices could not start: {errors[0]}")
    watcher = fleet.StateWatcher(BrokerConfig(port=broker.backend_port), f"bench-watch-{n}").start()
    while len(watcher.snapshot(ids)) < n:
        time.sleep(0.05)
    built = fleet.build_bundle(1, "bench", bench_packs())
    msg = fleet.bundle_message(fleet.sign_bundle(built.meta, fleet._keys_in(keys, "bundle")), built.files,
                               fleet.roots_in(keys))
    op = Connection(BrokerConfig(port=broker.backend_port), f"bench-op-{n}").start()
    t1 = time.perf_counter()
    fleet.publish(op, msg)
    half = None
    while True:
        on = sum(1 for s in watcher.snapshot(ids).values() if s.bundle_version == 1)
        if half is None and on >= n // 2:
            half = time.perf_counter() - t1
        if on >= n or time.perf_counter() - t1 > 600:
            break
        time.sleep(0.02)
    total = time.perf_counter() - t1
    failed = sum(1 for s in watcher.snapshot(ids).values() if s.bundle_status not in ("applied",))
    done.set()
    after = [ready.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(60)
    fleet.clear(op, "bench")
    op.stop()
    watcher.stop()
    per_dev_connected = sum(m[1] for m in mem) / n
    per_dev_after = sum(m[1] for m in after) / n
    print(f"  {n:5d} simulated devices ({WORKERS} processes): connect {connect_s:5.1f} s; bundle "
          f"{len(dump(msg)) / 1e6:.2f} MB verified+applied by half in {half:5.2f} s, by all in {total:5.2f} s "
          f"({n / total:6.1f} devices/s), not applied: {failed}")
    print(f"        memory per simulated device: {per_dev_connected:6.0f} KB connected, "
          f"{per_dev_after:6.0f} KB after applying")


def apply_cpu(keys: Path, tmp: Path, runs: int = 5) -> None:
    """CPU and wall time of one device verifying and applying the full bundle (no MQTT)."""
    from mqtt_bridge.updater import FleetUpdater

    built = fleet.build_bundle(1, "cpu", sorted(PACKS_DIR.glob("*.json")))
    raw = dump(fleet.bundle_message(fleet.sign_bundle(built.meta, fleet._keys_in(keys, "bundle")), built.files,
                                    fleet.roots_in(keys)))
    cpu, wall = [], []
    for i in range(runs):
        up = FleetUpdater(tmp / f"cpu-{i}", f"cpu-{i}", "cpu")
        up.trust.provision(fleet.roots_in(keys)[0])
        c, w = time.process_time(), time.perf_counter()
        assert up.handle(raw) == "applied"
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    print(f"  one device, no MQTT: verify+stage+check+swap of the {len(raw) / 1e6:.2f} MB bundle: "
          f"median {sorted(cpu)[runs // 2] * 1000:.0f} ms CPU, {sorted(wall)[runs // 2] * 1000:.0f} ms wall "
          f"(fsync included), {runs} runs")


def consumer_proc(port: int, group: str, idx: int, expected: int, out: mp.Queue, ready: mp.Event) -> None:
    from mqtt_bridge.portal_api import TelemetryConsumer

    counter = {"n": 0, "first": 0.0, "last": 0.0}

    def handle(kind: str, msg: object) -> None:
        now = time.perf_counter()
        if counter["n"] == 0:
            counter["first"] = now
        counter["n"] += 1
        counter["last"] = now

    c = TelemetryConsumer(BrokerConfig(port=port), handle, group=group, kinds=("events",),
                          client_id=f"{group}-{idx}").start()
    ready.set()
    deadline = time.time() + 300
    while time.time() < deadline:
        time.sleep(0.2)
        if out._closed:  # type: ignore[attr-defined]
            break
        if os.getppid() == 1:
            break
        if counter["n"] and time.perf_counter() - counter["last"] > 3:
            break
    out.put((counter["n"], counter["first"], counter["last"], c.duplicates))
    c.stop()


def publisher_proc(port: int, device: str, n: int) -> None:
    conn = Connection(BrokerConfig(port=port), f"pub-{device}").start()
    topic = topics.events(device)
    infos = []
    for i in range(n):
        msg = EventMessage(msg_id=f"{device}:ev:{i}", device_id=device, seq=i, ts=time.time(),
                           kind="search_blocked", safety=True, data={"categories": ["sexual"]})
        infos.append(conn.client.publish(topic, dump(msg), qos=1))
        if len(infos) >= 100:
            infos.pop(0).wait_for_publish(30)
    for info in infos:
        info.wait_for_publish(30)
    conn.stop()


def telemetry(broker: LocalMosquitto, consumers: int, n_msgs: int) -> None:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    group = f"bench{consumers}"
    readies = [ctx.Event() for _ in range(consumers)]
    cons = [ctx.Process(target=consumer_proc, args=(broker.backend_port, group, i, n_msgs, out, readies[i]))
            for i in range(consumers)]
    for p in cons:
        p.start()
    for r in readies:
        r.wait(60)
    time.sleep(0.5)
    pubs = [ctx.Process(target=publisher_proc, args=(broker.backend_port, f"tele{consumers}-{k}", n_msgs // 2))
            for k in range(2)]
    t0 = time.perf_counter()
    for p in pubs:
        p.start()
    for p in pubs:
        p.join(300)
    results = [out.get(timeout=300) for _ in cons]
    for p in cons:
        p.join(30)
    got = sum(r[0] for r in results)
    first = min(r[1] for r in results if r[0])
    last = max(r[2] for r in results if r[0])
    rate = got / (last - first) if last > first else float("nan")
    split = "/".join(str(r[0]) for r in results)
    print(f"  {consumers} consumer(s): {got} of {n_msgs} events ingested at {rate:8.0f} msg/s "
          f"(per consumer {split}; publish+ingest wall {time.perf_counter() - t0:.1f} s)")


def main() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (16384, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    except (ValueError, OSError):
        pass
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        broker = LocalMosquitto(tmp / "mosq").start()
        keys = tmp / "keys"
        fleet.init_keys(keys, n_root=3, root_threshold=2, n_bundle=2, bundle_threshold=2)
        try:
            print("signed bundle rollout (mosquitto 127.0.0.1, anonymous, QoS 1, retained) / 批量更新")
            apply_cpu(keys, tmp)
            for n in (200, 1000):
                bundle_rollout(broker, n, keys, tmp)
            print("telemetry through MQTT 5 shared subscriptions ($share/GROUP/...) / 遥测吞吐")
            n_msgs = int(os.environ.get("KIDSAFE_BENCH_MSGS", "20000"))
            for consumers in (1, 4):
                telemetry(broker, consumers, n_msgs)
        finally:
            broker.stop()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
