"""Sends a child's policy to the child's devices: retained, QoS 1, on kidsafe/v1/devices/{id}/policy.

MqttPublisher keeps one paho-mqtt 2 client (CallbackAPIVersion.VERSION2) with a background loop and
waits for the broker's PUBACK, so "sent" means the broker has it (and keeps it for an offline device).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from parent_portal.bridge_link import policy_message, policy_topic
from parent_portal.settings import PortalSettings

log = logging.getLogger(__name__)


class Publisher(Protocol):
    def publish_policy(self, device_id: str, version: int, policy: dict[str, Any]) -> bool: ...


class MqttPublisher:
    """Publish policies to the broker in the settings. Returns False (never raises) when it is unreachable."""

    def __init__(self, settings: PortalSettings, timeout_s: float = 5.0) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._client: mqtt.Client | None = None
        self._connected = threading.Event()

    def _connect(self) -> mqtt.Client:
        if self._client is not None:
            return self._client
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"portal-pub-{uuid.uuid4().hex[:12]}",
                             protocol=mqtt.MQTTv311)
        if self.settings.mqtt_username:
            password = self.settings.mqtt_password.get_secret_value() if self.settings.mqtt_password else None
            client.username_pw_set(self.settings.mqtt_username, password)
        client.on_connect = lambda c, u, f, rc, p=None: self._connected.set() if not rc.is_failure else None
        client.on_disconnect = lambda *a: self._connected.clear()
        client.reconnect_delay_set(1, 30)
        client.connect_async(self.settings.mqtt_host, self.settings.mqtt_port, keepalive=30)
        client.loop_start()
        self._client = client
        return client

    def publish_policy(self, device_id: str, version: int, policy: dict[str, Any]) -> bool:
        payload = policy_message(device_id, version, policy)
        with self._lock:
            client = self._connect()
        if not self._connected.wait(self.timeout_s):
            log.warning("broker %s:%s unreachable; policy %s for %s not sent", self.settings.mqtt_host,
                        self.settings.mqtt_port, version, device_id)
            return False
        info = client.publish(policy_topic(device_id), payload, qos=1, retain=True)
        deadline = time.monotonic() + self.timeout_s
        while not info.is_published() and time.monotonic() < deadline:
            info.wait_for_publish(timeout=0.2)
        if not info.is_published():
            log.warning("policy %s for %s not acknowledged by the broker", version, device_id)
            return False
        return True

    def unpublish(self, device_id: str) -> bool:
        """Clear the retained policy of an unpaired device (an empty retained message deletes it)."""
        with self._lock:
            client = self._connect()
        if not self._connected.wait(self.timeout_s):
            return False
        info = client.publish(policy_topic(device_id), b"", qos=1, retain=True)
        info.wait_for_publish(timeout=self.timeout_s)
        return info.is_published()

    def close(self) -> None:
        if self._client is not None:
            self._client.loop_stop()
            self._client.disconnect()
            self._client = None
