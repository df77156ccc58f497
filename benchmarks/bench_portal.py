"""Parent portal under load: requests/s and p50/p99 latency of the dashboard and of a policy save with
50 concurrent clients (each its own family, child and paired device), on SQLite and on PostgreSQL.

The portal runs as `kidsafe portal run --workers N` (N = 1 and 2 uvicorn processes, no ingestion) against
a real mosquitto, so a save includes building and checking the policy, signing it and waiting for the broker's PUBACK.
Accounts use argon2's cheapest profile so setting up 50 sign-ins is quick; no measured route hashes.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.portal_servers import ServersMissing, portal_servers
from parent_portal.devservers import free_port, wait_port

CLIENTS = 50
REQUESTS_PER_CLIENT = int(os.environ.get("KIDSAFE_BENCH_PORTAL_REQUESTS", "20"))
# web server processes (`kidsafe portal run --workers N`): one, and one per core of a 2-core machine
PROCESSES = [int(n) for n in os.environ.get("KIDSAFE_BENCH_PORTAL_PROCESSES", "1,2").split(",")]
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
SETTINGS = {"weekday_limit_min": "45", "weekend_limit_min": "90", "night_enabled": "on", "night_start": "21:30",
            "night_end": "06:30", "break_after_min": "25", "break_pause_min": "5",
            "blocked_categories": ["sexual", "violence", "gambling"], "block_words": "吃鸡", "allow_words": "",
            "voice_enabled": "on", "reporting": "counts", "language": "zh"}


def serve(database_url: str, broker_port: int, folder: Path, processes: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "KIDSAFE_PORTAL_MQTT_PORT": str(broker_port),
           "KIDSAFE_PORTAL_DATA_DIR": str(folder), "KIDSAFE_PORTAL_COOKIE_SECURE": "false",
           "KIDSAFE_PORTAL_PASSWORD_HASHING": "cheapest", "KIDSAFE_PORTAL_PAIRING_STARTS_PER_ADDRESS": "1000"}
    command = [sys.executable, "-m", "kidsafe.cli", "portal", "run", "--port", str(port), "--no-ingest",
               "--workers", str(processes)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, timeout=60)
    return proc, f"http://127.0.0.1:{port}"


async def token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    return TOKEN.search(page.text).group(1)


async def set_up(base: str, i: int) -> tuple[httpx.AsyncClient, int]:
    """One family: register, add a child, pair a device (the device flow through the API)."""
    # idle connections are dropped before uvicorn closes them (its keep-alive is 5 s): no request on a dying one
    client = httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(keepalive_expiry=2.0))
    pw = "bench password 123"
    await client.post("/register", data={"username": f"parent{i}", "password": pw, "password2": pw,
                                         "csrf_token": await token(client, "/register")})
    r = await client.post("/children/new", data={"name": f"孩子{i}", "birth_year": "2016",
                                                  "csrf_token": await token(client, "/children/new")})
    child_id = int(r.headers["location"].rsplit("/", 1)[1])
    started = (await client.post("/api/pair/start", json={"device_id": f"bench-{i}"})).json()
    await client.post("/pair", data={"code": started["user_code"], "child_id": str(child_id),
                                     "csrf_token": await token(client, "/pair")})
    return client, child_id


async def load(clients: list[tuple[httpx.AsyncClient, int]], action: str) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0

    async def one(client: httpx.AsyncClient, child_id: int) -> None:
        nonlocal errors
        csrf = await token(client, f"/children/{child_id}") if action == "save" else ""
        for _ in range(REQUESTS_PER_CLIENT):
            t = time.perf_counter()
            if action == "dashboard":
                r = await client.get("/")
                ok = r.status_code == 200
            else:
                r = await client.post(f"/children/{child_id}/settings", data={**SETTINGS, "csrf_token": csrf})
                ok = r.status_code == 303
            latencies.append(time.perf_counter() - t)
            errors += not ok

    start = time.perf_counter()
    await asyncio.gather(*(one(c, child) for c, child in clients))
    return time.perf_counter() - start, latencies, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench(name: str, database_url: str, broker_port: int, folder: Path, processes: int) -> None:
    proc, base = serve(database_url, broker_port, folder, processes)
    name = f"{name} x{processes}"
    try:
        clients = [await set_up(base, i) for i in range(CLIENTS)]
        for action in ("dashboard", "save"):
            await load(clients, action)  # warm-up round
            wall, lat, errors = await load(clients, action)
            print(f"  {name:15s} {action:9s} {len(lat) / wall:7.1f} req/s   p50 {pct(lat, .5) * 1000:6.1f} ms   "
                  f"p99 {pct(lat, .99) * 1000:7.1f} ms   errors {errors}/{len(lat)}", flush=True)
        for client, _ in clients:
            await client.aclose()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    print(f"parent portal: {CLIENTS} concurrent clients x {REQUESTS_PER_CLIENT} requests, uvicorn x processes, "
          f"{os.cpu_count()} cores")
    try:
        with portal_servers("kidsafe-bench-portal-") as servers:
            folder, port = servers.folder, servers.broker.port
            for processes in PROCESSES:
                for name, url in servers.databases(f"bench-{processes}"):
                    asyncio.run(bench(name, url, port, folder, processes))
    except ServersMissing as exc:
        print(f"  skipped: {exc}")


if __name__ == "__main__":
    main()
