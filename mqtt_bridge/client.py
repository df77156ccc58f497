"""paho-mqtt 2 connection helpers shared by the device agent, the portal side and the fleet tool.

    BrokerConfig            host, port, credentials, TLS, protocol ("auto" = MQTT 5, else 3.1.1)
    BrokerConfig.from_url   mqtt://user:pass@host:1883  |  mqtts://host:8883?ca=/etc/ca.pem
    make_client(...)        a paho Client with CallbackAPIVersion.VERSION2 for the chosen protocol
    Backoff                 exponential reconnect delay with full jitter (no thundering herd)
    Connection              a blocking connect + background loop for tools and services
"""

from __future__ import annotations

import os
import random
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

SESSION_EXPIRY_S = 7 * 86400  # MQTT 5: the broker keeps a device's QoS 1 messages for a week offline


class BrokerError(RuntimeError):
    """The broker cannot be reached or refused us (message in English and Chinese)."""


@dataclass(slots=True)
class BrokerConfig:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    protocol: str = "auto"  # auto | 5 | 3.1.1
    keepalive: int = 30

    @classmethod
    def from_url(cls, url: str, **overrides: Any) -> BrokerConfig:
        u = urlparse(url)
        if u.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
            raise BrokerError(f"broker URL must start with mqtt:// or mqtts://, got {url!r} / 代理地址格式错误")
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        tls = u.scheme in ("mqtts", "ssl")
        cfg = cls(
            host=u.hostname or "127.0.0.1",
            port=u.port or (8883 if tls else 1883),
            username=unquote(u.username) if u.username else None,
            password=unquote(u.password) if u.password else None,
            tls=tls,
            ca_file=Path(q["ca"]) if "ca" in q else None,
            cert_file=Path(q["cert"]) if "cert" in q else None,
            key_file=Path(q["key"]) if "key" in q else None,
            protocol=q.get("protocol", "auto"),
        )
        for k, v in overrides.items():
            if v is not None:
                setattr(cfg, k, v)
        return cfg

    @classmethod
    def from_env(cls) -> BrokerConfig | None:
        """KIDSAFE_MQTT_URL (+ KIDSAFE_MQTT_USERNAME / KIDSAFE_MQTT_PASSWORD); None when unset."""
        url = os.environ.get("KIDSAFE_MQTT_URL")
        if not url:
            return None
        return cls.from_url(url, username=os.environ.get("KIDSAFE_MQTT_USERNAME"),
                            password=os.environ.get("KIDSAFE_MQTT_PASSWORD"))

    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def protocol_of(name: str) -> mqtt.MQTTProtocolVersion:
    return mqtt.MQTTProtocolVersion.MQTTv311 if name in ("3.1.1", "311", "3") else mqtt.MQTTProtocolVersion.MQTTv5


def make_client(cfg: BrokerConfig, client_id: str, protocol: mqtt.MQTTProtocolVersion,
                persistent: bool = True) -> mqtt.Client:
    """A VERSION2-callback client; persistent=True keeps the session (QoS 1 messages wait offline)."""
    if protocol == mqtt.MQTTProtocolVersion.MQTTv5:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=protocol)
    else:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=protocol,
                             clean_session=not persistent)
    if cfg.username is not None:
        client.username_pw_set(cfg.username, cfg.password)
    if cfg.tls:
        client.tls_set(ca_certs=str(cfg.ca_file) if cfg.ca_file else None,
                       certfile=str(cfg.cert_file) if cfg.cert_file else None,
                       keyfile=str(cfg.key_file) if cfg.key_file else None,
                       cert_reqs=ssl.CERT_REQUIRED, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    return client


def connect_kwargs(client: mqtt.Client, cfg: BrokerConfig, persistent: bool = True) -> dict[str, Any]:
    """Keyword arguments for client.connect(): clean_start and session expiry on MQTT 5."""
    if client.protocol != mqtt.MQTTProtocolVersion.MQTTv5:
        return {"host": cfg.host, "port": cfg.port, "keepalive": cfg.keepalive}
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = SESSION_EXPIRY_S if persistent else 0
    return {"host": cfg.host, "port": cfg.port, "keepalive": cfg.keepalive,
            "clean_start": not persistent, "properties": props}


class Backoff:
    """Reconnect delays: base * 2**n capped, each drawn uniformly in [delay/2, delay] (jitter)."""

    def __init__(self, base: float = 0.5, cap: float = 60.0, rng: random.Random | None = None) -> None:
        self.base, self.cap, self.attempts = base, cap, 0
        self.rng = rng or random.Random()

    def next(self) -> float:
        delay = min(self.cap, self.base * (2 ** min(self.attempts, 20)))
        self.attempts += 1
        return self.rng.uniform(delay / 2, delay)

    def reset(self) -> None:
        self.attempts = 0


class Connection:
    """Connect, run paho's network loop in a thread, and wait until the CONNACK arrived.

    For the portal side, tools and tests; the device agent has its own loop (agent.py).
    """

    def __init__(self, cfg: BrokerConfig, client_id: str, persistent: bool = False,
                 protocol: str | None = None) -> None:
        self.cfg = cfg
        proto = protocol or cfg.protocol
        self.client = make_client(cfg, client_id, protocol_of(proto), persistent)
        self.persistent = persistent
        self.connected = threading.Event()
        self.reason: str | None = None
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self._subs: list[tuple[str, int]] = []

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            self.reason = str(reason)
            return
        for topic, qos in self._subs:
            client.subscribe(topic, qos)
        self.connected.set()

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        self.connected.clear()

    def subscribe(self, topic: str, qos: int = 1) -> None:
        """Subscribe now and again after every reconnect."""
        self._subs.append((topic, qos))
        if self.connected.is_set():
            self.client.subscribe(topic, qos)

    def start(self, timeout: float = 10.0) -> Connection:
        try:
            self.client.connect(**connect_kwargs(self.client, self.cfg, self.persistent))
        except OSError as exc:
            raise BrokerError(f"cannot reach the broker at {self.cfg.url()}: {exc} / 无法连接消息代理") from exc
        self.client.loop_start()
        if not self.connected.wait(timeout):
            self.client.loop_stop()
            raise BrokerError(f"broker {self.cfg.url()} refused or did not answer: {self.reason or 'timeout'}"
                              " / 消息代理拒绝连接或无响应")
        return self

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False,
                timeout: float | None = None) -> None:
        """Publish and wait for the broker's acknowledgement (QoS 1); by default 10 s, longer for a
        large message (a bundle sent inline) at 500 kB/s."""
        timeout = timeout if timeout is not None else max(10.0, len(payload) / 500_000)
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        info.wait_for_publish(timeout)
        if not info.is_published():
            raise BrokerError(f"publish to {topic} not acknowledged / 发布未被确认")

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
