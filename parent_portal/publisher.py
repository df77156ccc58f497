"""Sends a child's policy to the child's devices: retained, QoS 1, on kidsafe/v1/devices/{id}/policy.

MqttPublisher keeps one paho-mqtt 2 client (CallbackAPIVersion.VERSION2) with a background loop and
waits for the broker's PUBACK, so "sent" means the broker has it (and keeps it for an offline device).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import date
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from parent_portal import bridge_link
from parent_portal.settings import PortalSettings

log = logging.getLogger(__name__)


class Publisher(Protocol):
    def publish_policy(self, device_id: str, version: int, policy: dict[str, Any]) -> bool: ...

    def publish_answer(self, device_id: str, request_id: int, approved: bool, minutes: int, day: date) -> bool: ...


class MqttPublisher:
    """Publish policies to the broker in the settings. Returns False (never raises) when it is unreachable."""

    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self.timeout_s = settings.mqtt_timeout_s
        self._lock = threading.Lock()
        self._client: mqtt.Client | None = None
        self._connected = threading.Event()
        self.key = bridge_link.load_or_create_key(settings.signing_key_file())

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

    def _send(self, topic: str, payload: bytes, retain: bool, what: str) -> bool:
        with self._lock:
            client = self._connect()
        if not self._connected.wait(self.timeout_s):
            log.warning("broker %s:%s unreachable; %s not sent", self.settings.mqtt_host, self.settings.mqtt_port, what)
            return False
        info = client.publish(topic, payload, qos=1, retain=retain)
        deadline = time.monotonic() + self.timeout_s
        while not info.is_published() and time.monotonic() < deadline:
            try:
                info.wait_for_publish(timeout=0.2)
            except RuntimeError:  # the connection dropped before the message left
                break
        if not info.is_published():
            log.warning("%s not acknowledged by the broker", what)
            return False
        return True

    def publish_policy(self, device_id: str, version: int, policy: dict[str, Any]) -> bool:
        payload = bridge_link.policy_message(self.key, device_id, version, policy)
        return self._send(bridge_link.policy_topic(device_id), payload, True, f"policy {version} for {device_id}")

    def publish_answer(self, device_id: str, request_id: int, approved: bool, minutes: int, day: date) -> bool:
        payload = bridge_link.answer_message(self.key, device_id, request_id, approved, minutes, day)
        return self._send(bridge_link.answer_topic(device_id), payload, False, f"answer {request_id} to {device_id}")

    def unpublish(self, device_id: str) -> bool:
        """Clear the retained policy of an unpaired device (an empty retained message deletes it)."""
        return self._send(bridge_link.policy_topic(device_id), b"", True, f"policy removal for {device_id}")

    def close(self) -> None:
        if self._client is not None:
            self._client.loop_stop()
            self._client.disconnect()
            self._client = None
