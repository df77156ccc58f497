"""The embedded demo broker: amqtt 0.12 (MQTT 3.1.1) on 127.0.0.1 only, with file authentication
(argon2 hashes) and per-user topic ACLs. Only for `kidsafe demo` (the `demo` extra); tests and
production use mosquitto.

    broker = EmbeddedBroker(folder, users={"demo-kid": "pw", ...}, acl={...}).start()
    broker.port, broker.url(), broker.stop()

amqtt's default configuration listens on every interface; here the only listener is bound to
127.0.0.1 and anonymous clients are refused (the file auth plugin is the only auth plugin).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mqtt_bridge.broker.local import free_port

log = logging.getLogger(__name__)


class DemoBrokerError(RuntimeError):
    pass


def hash_password(password: str) -> str:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    return PasswordHash((Argon2Hasher(),)).hash(password)


# The amqtt release whose internals `install_snapshot_table` was checked against. amqtt has no public way to
# change how it stores subscriptions (`Broker.subscriptions` is a read-only property returning the private
# `_subscriptions` dict), and 0.12.1 still loops over that dict across awaits. pyproject pins this version;
# tests/test_device_demo.py fails when another one is installed, so an upgrade re-checks the fix.
AMQTT_CHECKED = "0.12.0"


class SnapshotTable(dict):  # type: ignore[type-arg]
    """amqtt 0.12 loops over its subscription table across awaits (each broadcast, the retained replay on
    connect); a SUBSCRIBE landing meanwhile raised "dictionary changed size during iteration" and the
    message in flight never reached the later subscribers. Loops here run over a snapshot instead."""

    def __iter__(self) -> Any:
        return iter(list(dict.keys(self)))

    def items(self) -> Any:  # type: ignore[override]
        return list(dict.items(self))


def _address_in_use(exc: BaseException | None) -> bool:
    """amqtt wraps the OSError of a taken port in its own BrokerError: look along the chain."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def install_snapshot_table(broker: Any) -> bool:
    """Swap amqtt's subscription dict for a SnapshotTable; True when its public `subscriptions` now shows
    it. Otherwise (an amqtt whose internals moved) the demo runs unpatched and says so once."""
    broker._subscriptions = SnapshotTable(broker._subscriptions)
    if isinstance(getattr(broker, "subscriptions", None), SnapshotTable):
        return True
    log.warning("amqtt's subscription table moved (checked against amqtt %s): the demo broker may drop a "
                "message when a client subscribes during a broadcast", AMQTT_CHECKED)
    return False


class EmbeddedBroker:
    def __init__(self, folder: Path, users: Mapping[str, str], publish_acl: Mapping[str, list[str]],
                 subscribe_acl: Mapping[str, list[str]], port: int | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._auto_port = not port  # chosen here: another one is tried if it is taken before amqtt binds it
        self.port = port or free_port()
        self.passwd = self.folder / "passwd"
        self.passwd.write_text("".join(f"{u}:{hash_password(p)}\n" for u, p in users.items()))
        self.passwd.chmod(0o600)
        self.config: dict[str, Any] = {
            "listeners": self._listeners(),
            "timeout_disconnect_delay": 0,
            "plugins": {
                "amqtt.plugins.authentication.FileAuthPlugin": {"password_file": str(self.passwd)},
                "amqtt.plugins.topic_checking.TopicAccessControlListPlugin": {
                    "publish_acl": {k: list(v) for k, v in publish_acl.items()},
                    "acl": {k: list(v) for k, v in subscribe_acl.items()},
                },
            },
        }
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker: Any = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def _listeners(self) -> dict[str, Any]:
        return {"default": {"type": "tcp", "bind": f"127.0.0.1:{self.port}", "max_connections": 2000}}

    def start(self, timeout: float = 20.0, attempts: int = 3) -> EmbeddedBroker:
        """Start, or DemoBrokerError saying why. A port chosen here and taken by another program before amqtt
        bound it is replaced by a new free one (up to `attempts` times); a port given by the caller is not."""
        try:
            import amqtt  # noqa: F401
        except ImportError as exc:
            raise DemoBrokerError("the demo broker needs the demo extra: pip install -e '.[demo]' "
                                  "(make demo does it) / 请安装 demo 依赖") from exc
        for attempt in range(1, attempts + 1):
            self._ready.clear()
            self._error = None
            self._thread = threading.Thread(target=self._run, name="demo-broker", daemon=True)
            self._thread.start()
            if not self._ready.wait(timeout):
                raise DemoBrokerError(f"demo broker did not start within {timeout:.0f} s / 消息代理启动超时")
            if self._error is None:
                return self
            taken = _address_in_use(self._error)
            if not (taken and self._auto_port and attempt < attempts):
                raise DemoBrokerError(f"demo broker did not start on 127.0.0.1:{self.port}: {self._error} / "
                                      "消息代理没有启动")
            log.warning("port %d was taken before the demo broker bound it; trying another", self.port)
            self.port = free_port()
            self.config["listeners"] = self._listeners()
        raise AssertionError("unreachable")

    def _run(self) -> None:
        import warnings

        from amqtt.broker import Broker

        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def main() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._broker = Broker(self.config, loop=loop)
                install_snapshot_table(self._broker)
            await self._broker.start()

        try:
            loop.run_until_complete(main())
        except BaseException as exc:  # reported by start()
            self._error = exc
            loop.close()
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()

    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def stop(self) -> None:
        loop, broker = self._loop, self._broker
        if loop is None or broker is None:
            return
        fut = asyncio.run_coroutine_threadsafe(broker.shutdown(), loop)
        try:
            fut.result(10)
        except Exception:
            log.exception("demo broker shutdown")
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
