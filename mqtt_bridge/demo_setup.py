"""The MQTT part of `kidsafe demo`: the embedded broker with demo logins and ACLs, fleet and portal
keys, and the simulated device's agent. Everything lives under HOME/mqtt and is reused next time.

    mqtt = start_mqtt(home, service)      -> DemoMqtt (broker, logins, keys, the device agent)
    mqtt.portal_config() / mqtt.portal_key_path   what the portal part of the demo connects with
    mqtt.stop()
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mqtt_bridge import signing, topics
from mqtt_bridge.broker.embedded import EmbeddedBroker
from mqtt_bridge.client import BrokerConfig

DEMO_DEVICE = "demo-kid"
DEMO_COHORT = "demo"
ROLES = ("portal", "operator", "viewer")


def _acls(device: str, cohort: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    own = f"{topics.PREFIX}/devices/{device}"
    anyd = f"{topics.PREFIX}/devices/+"
    publish = {
        device: [f"{own}/{leaf}" for leaf in topics.DEVICE_TO_PORTAL],
        "portal": [f"{anyd}/{leaf}" for leaf in topics.PORTAL_TO_DEVICE],
        "operator": [f"{topics.PREFIX}/fleet/#"],
        "viewer": [],
    }
    subscribe = {
        device: [f"{own}/{leaf}" for leaf in topics.PORTAL_TO_DEVICE] + [topics.bundles(cohort),
                                                                          f"{topics.PREFIX}/fleet/{cohort}/chunks/#"],
        "portal": [f"{anyd}/{leaf}" for leaf in topics.DEVICE_TO_PORTAL],
        "operator": [f"{anyd}/state", f"{topics.PREFIX}/fleet/#"],
        "viewer": [f"{anyd}/state"],
    }
    return publish, subscribe


@dataclass
class DemoMqtt:
    broker: EmbeddedBroker
    logins: dict[str, str]
    keys_dir: Path
    portal_key_path: Path
    agent: Any = None
    services: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.broker.url()

    def config(self, user: str) -> BrokerConfig:
        return BrokerConfig(port=self.broker.port, username=user, password=self.logins[user], protocol="3.1.1")

    def portal_config(self) -> BrokerConfig:
        return self.config("portal")

    def stop(self) -> None:
        for part in reversed(self.services):
            try:
                part.stop()
            except Exception:
                pass
        if self.agent is not None:
            self.agent.stop()
            if self.agent.updater is not None:
                self.agent.updater.stop()
        self.broker.stop()


def _logins(folder: Path, device: str) -> dict[str, str]:
    path = folder / "logins.json"
    if path.exists():
        doc = json.loads(path.read_text())
        if set(doc) == {device, *ROLES}:
            return doc
    doc = {name: secrets.token_urlsafe(12) for name in (device, *ROLES)}
    path.write_text(json.dumps(doc, indent=1))
    path.chmod(0o600)
    return doc


def start_broker(home: Path, device: str = DEMO_DEVICE, cohort: str = DEMO_COHORT, port: int | None = None,
                 ) -> DemoMqtt:
    folder = Path(home) / "mqtt"
    folder.mkdir(parents=True, exist_ok=True)
    logins = _logins(folder, device)
    publish, subscribe = _acls(device, cohort)
    broker = EmbeddedBroker(folder / "broker", logins, publish, subscribe, port=port).start()
    keys = folder / "fleet-keys"
    if not (keys / "root-1.json").exists():
        from mqtt_bridge.fleet import init_keys

        init_keys(keys)
    portal_key = folder / "portal.key"
    if not portal_key.exists():
        signing.save_private(signing.generate(), portal_key)
    return DemoMqtt(broker, logins, keys, portal_key)


def start_device_agent(mqtt: DemoMqtt, service: Any, device: str = DEMO_DEVICE, cohort: str = DEMO_COHORT) -> Any:
    """The simulated device's agent, on MQTT 3.1.1 (amqtt), trusting the demo portal and fleet root."""
    from mqtt_bridge.agent import AgentSettings
    from mqtt_bridge.runner import build_agent

    portal_pub = signing.public_hex(signing.load_private(mqtt.portal_key_path))
    settings = AgentSettings(device_id=device, broker=BrokerConfig(port=mqtt.broker.port, username=device,
                             password=mqtt.logins[device], protocol="3.1.1"), home=service.settings.home,
                             cohort=cohort, portal_keys=[portal_pub], state_interval_s=30)
    mqtt.agent = build_agent(service, settings, root_file=mqtt.keys_dir / "root-1.json").start()
    return mqtt.agent


def start_time_server(mqtt: DemoMqtt) -> Any:
    """Signed trusted time for the demo device until the portal part of the demo serves it."""
    from mqtt_bridge.portal_api import PortalLink

    link = PortalLink(mqtt.portal_config(), signing.load_private(mqtt.portal_key_path), client_id="demo-time")
    link.serve_time()
    link.start()
    mqtt.services.append(link)
    return link
