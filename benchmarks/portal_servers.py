"""The servers the portal benchmarks run against: a temporary folder, a real mosquitto on 127.0.0.1 and a
throwaway PostgreSQL cluster (parent_portal.devservers), started once and always cleaned up.

    with portal_servers("kidsafe-bench-portal-") as servers:
        servers.folder, servers.broker.port, servers.postgres (a server URL, or None: servers.missing says why)
        for name, url in servers.databases("run-1"): ...   # SQLite, then PostgreSQL when its cluster started
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from parent_portal.devservers import MissingServer, Mosquitto, PgCluster, fresh_database


@dataclass(frozen=True, slots=True)
class PortalServers:
    folder: Path
    broker: Mosquitto
    postgres: str | None  # a PostgreSQL server URL; fresh_database(url, name) makes a database on it
    missing: str = ""  # why postgres is None

    def databases(self, tag: str) -> Iterator[tuple[str, str]]:
        """(name, fresh database URL) on SQLite, then on PostgreSQL, which is skipped with a printed reason
        when its cluster did not start."""
        yield "sqlite", f"sqlite:///{self.folder}/{tag}.db"
        if self.postgres is None:
            print(f"  postgresql skipped: {self.missing}")
            return
        yield "postgresql", fresh_database(self.postgres, f"kidsafe_{tag.replace('-', '_')}")


class ServersMissing(RuntimeError):
    """mosquitto is not installed: the benchmark prints this and skips."""


@contextmanager
def portal_servers(prefix: str) -> Iterator[PortalServers]:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        try:
            broker = Mosquitto(folder).start()
        except MissingServer as exc:
            raise ServersMissing(str(exc)) from exc
        stack.callback(broker.stop)
        # not under the 0700 temporary folder: the postgres user must reach the cluster's folder
        pg_folder = Path(tempfile.mkdtemp(prefix="kidsafe-bench-pg-"))
        stack.callback(shutil.rmtree, pg_folder, True)
        try:
            cluster = PgCluster(pg_folder)
            url, missing = cluster.start(), ""
            stack.callback(cluster.stop)
        except MissingServer as exc:
            url, missing = None, str(exc)
        yield PortalServers(folder, broker, url, missing)
