"""Ed25519 keys and signatures (the `cryptography` package) over canonical JSON.

A key id is the SHA-256 of the raw 32-byte public key (hex). Private keys are stored as raw hex in
files created 0600; they belong on the operator's offline machine (bundles) or the portal (policy,
answers, time), never on a device. `count_valid(data, signatures, role, keys)` is the threshold
check: each key id counts once, unknown keys and bad signatures count zero.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mqtt_bridge.payloads import PublicKey, Role, Signature, SignedMessage

_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class SigningError(ValueError):
    """A key file that cannot be read or a signature that does not verify."""


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(*_RAW).hex()


def key_id(public: str) -> str:
    return hashlib.sha256(bytes.fromhex(public)).hexdigest()


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def save_private(key: Ed25519PrivateKey, path: Path) -> None:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption()).hex()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(raw + "\n")


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(Path(path).read_text().strip()))
    except (OSError, ValueError) as exc:
        raise SigningError(f"cannot read private key {path}: {exc}") from exc


def load_public(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip()))
    except ValueError as exc:
        raise SigningError(f"not an Ed25519 public key: {exc}") from exc


def sign_bytes(key: Ed25519PrivateKey, data: bytes) -> Signature:
    return Signature(keyid=key_id(public_hex(key)), sig=key.sign(data).hex())


def verify_one(public: str, data: bytes, sig: Signature) -> bool:
    try:
        load_public(public).verify(bytes.fromhex(sig.sig), data)
        return True
    except (InvalidSignature, SigningError, ValueError):
        return False


def count_valid(data: bytes, signatures: Iterable[Signature], role: Role, keys: Mapping[str, PublicKey]) -> int:
    """How many distinct keys of `role` signed `data` (a key listed twice counts once)."""
    good: set[str] = set()
    allowed = set(role.keyids)
    for sig in signatures:
        if sig.keyid in good or sig.keyid not in allowed or sig.keyid not in keys:
            continue
        if key_id(keys[sig.keyid].public) != sig.keyid:
            continue
        if verify_one(keys[sig.keyid].public, data, sig):
            good.add(sig.keyid)
    return len(good)


def sign_message(msg: SignedMessage, key: Ed25519PrivateKey) -> SignedMessage:
    """A copy of `msg` carrying the key's signature over its canonical bytes."""
    sig = sign_bytes(key, msg.signing_bytes())
    return msg.model_copy(update={"signatures": (*msg.signatures, sig)})


def verify_message(msg: SignedMessage, trusted_public: Iterable[str]) -> bool:
    """True when one of the trusted public keys (hex) signed the message."""
    data = msg.signing_bytes()
    by_id = {key_id(p): p for p in trusted_public}
    return any(s.keyid in by_id and verify_one(by_id[s.keyid], data, s) for s in msg.signatures)
