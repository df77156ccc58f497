"""Throwaway servers on 127.0.0.1 for the portal's tests, benchmarks and demo: a mosquitto broker and
a PostgreSQL cluster in temp folders, on free ports (never fixed ones). Not used in production."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


class MissingServer(RuntimeError):
    """The server's program is not installed (apt-get install mosquitto / postgresql)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Mosquitto:
    """mosquitto on a free 127.0.0.1 port; stop() and start() again keep the port."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise MissingServer("mosquitto (apt-get install mosquitto)")
        self.binary = binary
        self.port = free_port()
        self.conf = folder / "mosquitto.conf"
        lines = [f"listener {self.port} 127.0.0.1", "allow_anonymous true", "persistence false"]
        if os.geteuid() == 0:
            lines.append("user root")  # as root mosquitto would drop to a user that cannot read the folder
        self.conf.write_text("\n".join(lines) + "\n")
        self.proc: subprocess.Popen | None = None

    def start(self) -> Mosquitto:
        self.proc = subprocess.Popen([self.binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise MissingServer(f"PostgreSQL's {name} (apt-get install postgresql)")
    return str(found[-1])


class PgCluster:
    """A PostgreSQL cluster in its own folder (initdb refuses root: it runs as the postgres user)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.data = folder / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> str:
        """Start it; returns the URL of its `postgres` database."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            self.folder.chmod(0o755)
            shutil.chown(self.folder, "postgres")
        done = subprocess.run([*self.as_user, pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A",
                               "trust", "--no-sync"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        subprocess.run([*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.folder / "log"),
                        "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F", "start"], check=True,
                       capture_output=True)
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run([*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
                       capture_output=True)


def fresh_database(server_url: str, name: str) -> str:
    """Create (or re-create) database `name` on the server; returns its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
