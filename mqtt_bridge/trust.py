"""Trust in fleet bundles, with TUF's guarantees and plain Ed25519 (see README "Why not python-tuf").

    TrustStore(folder).update_root(chain, now)   key rotation: root N+1 must be signed by a threshold
                                                 of root N's root keys AND of its own; versions step by 1
    TrustStore.verify(bundle, now, cohort, in_force) -> BundleSigned
        a threshold of the root's `bundle` keys signed it (forged), it has not expired (freeze), it is
        for this cohort, and its version is newer than the one in force (rollback / replay)
    check_files(meta, files) -> {name: bytes}    length and SHA-256 of every file (mix-and-match,
                                                 truncation, endless data)

Every refusal is a BundleRefused with a code the device reports in its state.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mqtt_bridge.payloads import (
    BundleSigned,
    PayloadError,
    SignedBundle,
    SignedRoot,
    canonical_bytes,
    parse,
)
from mqtt_bridge.signing import count_valid

CODES = ("malformed", "forged", "truncated", "replayed", "expired", "older", "weakening", "no_root",
         "wrong_cohort", "canary_failed", "interrupted", "failed_before")


class BundleRefused(Exception):
    def __init__(self, code: str, detail: str, version: int | None = None) -> None:
        assert code in CODES, code
        self.code, self.detail, self.version = code, detail, version
        super().__init__(f"{code}: {detail}")


def changed_under_same_version(new: Iterable[Any], in_force: Iterable[Any]) -> Any | None:
    """The first new file (a word pack or a rule file: .name, .version, .sha256) whose content differs from
    the one in force of the same name under the same version, else None: a silent change is refused."""
    old = {f.name: f for f in in_force}
    for f in new:
        prev = old.get(f.name)
        if prev is not None and prev.version == f.version and prev.sha256 != f.sha256:
            return f
    return None


def signed_bytes(signed: object) -> bytes:
    return canonical_bytes(signed.model_dump(mode="json"))  # type: ignore[attr-defined]


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file, fsync, rename: a crash leaves the old file or the new one, never a part."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class TrustStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root_path = self.folder / "root.json"
        self.root: SignedRoot | None = None
        if self.root_path.exists():
            try:
                self.root = parse(SignedRoot, self.root_path.read_bytes())
            except PayloadError:
                self.root = None  # a damaged root trusts nothing: every bundle is refused

    def provision(self, root: SignedRoot) -> None:
        """Install the first root (from the device image); an existing root is only rotated."""
        if self.root is not None:
            raise BundleRefused("malformed", "a root is already installed; rotate it with a signed chain")
        self._check_self_signed(root)
        self._save(root)

    def _save(self, root: SignedRoot) -> None:
        atomic_write(self.root_path, root.model_dump_json().encode())
        self.root = root

    @staticmethod
    def _meets(root_of_keys: SignedRoot, signed: SignedRoot) -> bool:
        role = root_of_keys.signed.roles.get("root")
        if role is None:
            return False
        return count_valid(signed_bytes(signed.signed), signed.signatures, role,
                           root_of_keys.signed.keys) >= role.threshold

    def _check_self_signed(self, root: SignedRoot) -> None:
        if not self._meets(root, root):
            raise BundleRefused("forged", f"root v{root.signed.version} lacks a threshold of its own root keys")

    def update_root(self, chain: tuple[SignedRoot, ...], now: float) -> None:
        if self.root is None:
            raise BundleRefused("no_root", "no trusted root installed on this device")
        for new in sorted(chain, key=lambda r: r.signed.version):
            cur = self.root.signed.version
            if new.signed.version <= cur:
                continue
            if new.signed.version != cur + 1:
                raise BundleRefused("malformed", f"root chain skips from v{cur} to v{new.signed.version}")
            if not self._meets(self.root, new):
                raise BundleRefused("forged", f"root v{new.signed.version} not signed by a threshold of v{cur}")
            self._check_self_signed(new)
            self._save(new)
        if self.root.signed.expires <= now:
            raise BundleRefused("expired", f"trusted root v{self.root.signed.version} has expired")

    def verify(self, bundle: SignedBundle, now: float, cohort: str, in_force: int) -> BundleSigned:
        if self.root is None:
            raise BundleRefused("no_root", "no trusted root installed on this device")
        role = self.root.signed.roles.get("bundle")
        if role is None or count_valid(signed_bytes(bundle.signed), bundle.signatures, role,
                                       self.root.signed.keys) < role.threshold:
            raise BundleRefused("forged", "bundle metadata lacks a threshold of valid operator signatures")
        meta = bundle.signed
        if meta.expires <= now:
            raise BundleRefused("expired", f"bundle v{meta.version} expired at {meta.expires:.0f}")
        if meta.cohort != cohort:
            raise BundleRefused("wrong_cohort", f"bundle is for cohort {meta.cohort!r}, device is in {cohort!r}")
        if meta.version == in_force:
            raise BundleRefused("replayed", f"bundle v{meta.version} is already in force")
        if meta.version < in_force:
            raise BundleRefused("older", f"bundle v{meta.version} is older than v{in_force} in force")
        return meta


def check_files(meta: BundleSigned, files: dict[str, str]) -> dict[str, bytes]:
    """Decode inline files and check each against the signed length and SHA-256 (files sent in
    chunks are checked by mqtt_bridge/chunks.py as they arrive and once more when assembled)."""
    out: dict[str, bytes] = {}
    for name, spec in meta.files.items():
        if spec.chunk_size is not None:
            continue
        if name not in files:
            raise BundleRefused("truncated", f"file {name} missing from the bundle")
        try:
            data = base64.b64decode(files[name], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BundleRefused("truncated", f"file {name} is not valid base64: {exc}") from exc
        if len(data) != spec.length:
            raise BundleRefused("truncated", f"file {name} has {len(data)} bytes, metadata says {spec.length}")
        if hashlib.sha256(data).hexdigest() != spec.sha256:
            raise BundleRefused("forged", f"file {name} does not match its signed SHA-256")
        out[name] = data
    return out


def root_from_file(path: Path) -> SignedRoot:
    try:
        return parse(SignedRoot, Path(path).read_bytes())
    except (OSError, PayloadError, json.JSONDecodeError) as exc:
        raise BundleRefused("malformed", f"cannot read root {path}: {exc}") from exc
