"""TLS between the device agent and mosquitto: the policy arrives over TLS; a client that does not
trust the broker's certificate authority cannot connect."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import pytest
from bridge_fixtures import agent, cfg, portal, service, start_broker

from mqtt_bridge import signing
from mqtt_bridge.client import BrokerError, Connection


def make_ca_and_server(folder: Path, name: str) -> tuple[Path, Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / f"{name}-ca.pem", folder / f"{name}-server.pem", folder / f"{name}-server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def test_agent_over_tls_and_an_untrusted_ca_is_refused(tmp_path: Path) -> None:
    ca, cert, key = make_ca_and_server(tmp_path / "pki", "good")
    other_ca = make_ca_and_server(tmp_path / "pki", "other")[0]
    broker = start_broker(tmp_path / "mosq", tls=(ca, cert, key))
    pkey = signing.generate()
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-1", signing.public_hex(pkey), tls=True, ca_file=ca)
    link = portal(broker, pkey)
    try:
        link.publish_policy("dev-1", {"schema_version": 1, "version": "over-tls"}, 1)
        link.wait_state("dev-1", lambda s: s.policy_version == 1 and s.online)
        assert svc.policies.current.version == "over-tls"
        wrong = cfg(broker, "dev-2")
        wrong.tls, wrong.ca_file = True, other_ca
        with pytest.raises((BrokerError, OSError)):
            Connection(wrong, "dev-2").start(timeout=3)
        plain = cfg(broker, "dev-2")  # no TLS on a TLS listener
        with pytest.raises(BrokerError):
            Connection(plain, "dev-2").start(timeout=3)
    finally:
        a.stop()
        svc.stop()
        link.stop()
        broker.stop()
