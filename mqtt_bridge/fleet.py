"""The operator's side of fleet updates: keys, roots, signed bundles, publishing, status, halting.

    init_keys(dir, ...)            root and bundle Ed25519 keys (0600 files) + a self-signed root v1
    rotate_root(dir, ...)          root v+1 with new keys, signed by a threshold of the old AND new keys
    build_bundle(...)              metadata (length + SHA-256 of each file, covered categories) + files
    sign_bundle(meta, keys)        signatures over the canonical metadata (threshold = several keys)
    publish / clear(conn, cohort)  retained on fleet/{cohort}/bundles (clearing = halt for the rest)
    fleet_status(states, version)  which device runs which version, failures; should_halt(...)
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mqtt_bridge import chunks, signing, topics
from mqtt_bridge.combo_update import COMBO_PREFIX  # a rule file in a bundle: combos-fraud.json
from mqtt_bridge.payloads import (
    BundleMessage,
    BundleSigned,
    FileSpec,
    PayloadError,
    PublicKey,
    Role,
    RootSigned,
    SignedBundle,
    SignedRoot,
    StateMessage,
    dump,
    parse,
)
from mqtt_bridge.trust import signed_bytes

DAY = 86400.0
FANOUT_TIMEOUT_S = 120.0  # the broker acknowledges a bundle once it is queued for every subscribed device


def _keys_in(folder: Path, prefix: str) -> list[Ed25519PrivateKey]:
    return [signing.load_private(p) for p in sorted(Path(folder).glob(f"{prefix}-*.key"))]


def _entry(key: Ed25519PrivateKey) -> tuple[str, PublicKey]:
    pub = signing.public_hex(key)
    return signing.key_id(pub), PublicKey(public=pub)


def make_root(version: int, root_keys: list[Ed25519PrivateKey], root_threshold: int,
              bundle_keys: list[Ed25519PrivateKey], bundle_threshold: int, expires: float,
              signers: Iterable[Ed25519PrivateKey]) -> SignedRoot:
    keys = dict(_entry(k) for k in [*root_keys, *bundle_keys])
    signed = RootSigned(version=version, expires=expires, keys=keys, roles={
        "root": Role(keyids=tuple(_entry(k)[0] for k in root_keys), threshold=root_threshold),
        "bundle": Role(keyids=tuple(_entry(k)[0] for k in bundle_keys), threshold=bundle_threshold),
    })
    data = signed_bytes(signed)
    sigs = {signing.key_id(signing.public_hex(k)): signing.sign_bytes(k, data) for k in signers}
    return SignedRoot(signed=signed, signatures=tuple(sigs.values()))


def init_keys(folder: Path, n_root: int = 3, root_threshold: int = 2, n_bundle: int = 2,
              bundle_threshold: int = 2, expires_days: float = 365) -> SignedRoot:
    folder = Path(folder)
    if list(folder.glob("root-*.json")):
        raise FileExistsError(f"{folder} already holds a root; use rotate-root / 已存在根元数据")
    root_keys = [signing.generate() for _ in range(n_root)]
    bundle_keys = [signing.generate() for _ in range(n_bundle)]
    for i, k in enumerate(root_keys, 1):
        signing.save_private(k, folder / f"root-{i}.key")
    for i, k in enumerate(bundle_keys, 1):
        signing.save_private(k, folder / f"bundle-{i}.key")
    root = make_root(1, root_keys, root_threshold, bundle_keys, bundle_threshold,
                     time.time() + expires_days * DAY, root_keys)
    (folder / "root-1.json").write_text(root.model_dump_json(indent=1))
    return root


def roots_in(folder: Path) -> list[SignedRoot]:
    from mqtt_bridge.payloads import parse

    found = [parse(SignedRoot, p.read_bytes()) for p in Path(folder).glob("root-*.json")]
    return sorted(found, key=lambda r: r.signed.version)


def rotate_root(folder: Path, new_root_keys: list[Ed25519PrivateKey], root_threshold: int,
                new_bundle_keys: list[Ed25519PrivateKey] | None = None, bundle_threshold: int | None = None,
                expires_days: float = 365) -> SignedRoot:
    """Root v+1: signed by the old root keys found in `folder` and by the new root keys."""
    old = roots_in(folder)[-1]
    old_keys = _keys_in(folder, "root")
    bundle_keys = new_bundle_keys if new_bundle_keys is not None else _keys_in(folder, "bundle")
    root = make_root(old.signed.version + 1, new_root_keys, root_threshold, bundle_keys,
                     bundle_threshold or old.signed.roles["bundle"].threshold, time.time() + expires_days * DAY,
                     [*old_keys, *new_root_keys])
    (folder / f"root-{root.signed.version}.json").write_text(root.model_dump_json(indent=1))
    return root


@dataclass(slots=True)
class Built:
    meta: BundleSigned
    files: dict[str, bytes] = field(default_factory=dict)


def _spec(kind: str, data: bytes, chunk_size: int | None) -> FileSpec:
    """A file's signed facts; a file larger than `chunk_size` travels in chunks with signed hashes."""
    if chunk_size is not None and len(data) > chunk_size:
        return FileSpec(kind=kind, length=len(data), sha256=hashlib.sha256(data).hexdigest(), chunk_size=chunk_size,
                        chunks=chunks.hashes(data, chunk_size))
    return FileSpec(kind=kind, length=len(data), sha256=hashlib.sha256(data).hexdigest())


def build_bundle(version: int, cohort: str, packs: Iterable[Path], model: Path | None = None,
                 labels: Path | None = None, rollout_percent: int = 100, expires_days: float = 30,
                 drops_categories: Iterable[str] = (), now: float | None = None,
                 chunk_size: int | None = None, combos: Iterable[Path] = ()) -> Built:
    """Bundle metadata for a full set of word packs (and optionally the classifier model and a full set
    of co-occurrence rule files: without them the device keeps the rules in force); files larger than
    `chunk_size` are sent in hashed chunks (None: everything inline)."""
    from filters.combo_rules import read_files
    from filters.lexicon import load_pack

    files: dict[str, bytes] = {}
    specs: dict[str, FileSpec] = {}
    categories: set[str] = set()
    for path in sorted(Path(p) for p in packs):
        pack = load_pack(path)  # an operator never ships a pack that does not load
        categories.update(e.category for e in pack.entries)
        files[path.name] = path.read_bytes()
        specs[path.name] = _spec("pack", files[path.name], chunk_size)
    combo_paths = sorted(Path(p) for p in combos)
    if len({p.name for p in combo_paths}) != len(combo_paths):
        raise ValueError("two rule files share a file name / 规则文件重名")
    if combo_paths:
        # an operator never ships rule files that do not load together (ComboError names the file; a
        # rule file naming a shared cue set needs the shared cue-set file in the same bundle)
        read_files(combo_paths)
    for path in combo_paths:
        name = COMBO_PREFIX + path.name  # packs and rule files share names (fraud.json): keep them apart
        files[name] = path.read_bytes()
        specs[name] = _spec("combos", files[name], chunk_size)
    if model is not None and labels is None and (Path(model).parent / "labels.json").exists():
        labels = Path(model).parent / "labels.json"  # a model never travels without its labels
    for path, kind in ((model, "model"), (labels, "labels")):
        if path is not None:
            name = f"{kind}{Path(path).suffix}"
            files[name] = Path(path).read_bytes()
            specs[name] = _spec(kind, files[name], chunk_size)
    now = time.time() if now is None else now
    meta = BundleSigned(version=version, cohort=cohort, created=now, expires=now + expires_days * DAY,
                        rollout_percent=rollout_percent, files=specs, categories=tuple(sorted(categories)),
                        drops_categories=tuple(sorted(drops_categories)))
    return Built(meta, files)


def sign_bundle(meta: BundleSigned, keys: Iterable[Ed25519PrivateKey],
                existing: Iterable[signing.Signature] = ()) -> SignedBundle:
    data = signed_bytes(meta)
    sigs = {s.keyid: s for s in existing}
    for k in keys:
        s = signing.sign_bytes(k, data)
        sigs[s.keyid] = s
    return SignedBundle(signed=meta, signatures=tuple(sigs.values()))


def bundle_message(signed: SignedBundle, files: dict[str, bytes],
                   roots: Iterable[SignedRoot] = ()) -> BundleMessage:
    return BundleMessage(roots=tuple(roots), bundle=signed,
                         files={k: base64.b64encode(v).decode() for k, v in files.items()})


def publish(conn: object, msg: BundleMessage) -> None:
    """Retained chunks of every chunked file first, then the retained bundle without those files."""
    meta = msg.bundle.signed
    chunked = {name for name, spec in meta.files.items() if spec.chunk_size is not None}
    for name in sorted(chunked & set(msg.files)):
        spec = meta.files[name]
        for piece in chunks.chunk_messages(base64.b64decode(msg.files[name]), int(spec.chunk_size or 0)):
            conn.publish(topics.chunk(meta.cohort, spec.sha256, piece.index), dump(piece),  # type: ignore[attr-defined]
                         qos=1, retain=True, timeout=FANOUT_TIMEOUT_S)
    if chunked:
        msg = msg.model_copy(update={"files": {k: v for k, v in msg.files.items() if k not in chunked}})
    conn.publish(topics.bundles(meta.cohort), dump(msg), qos=1, retain=True,  # type: ignore[attr-defined]
                 timeout=FANOUT_TIMEOUT_S)


def clear(conn: object, cohort: str, msg: BundleMessage | None = None) -> None:
    """Remove the retained bundle: devices that have not taken it yet never see it, and devices still
    downloading its chunks stop (a halt). With the bundle `msg`, its retained chunks go too."""
    conn.publish(topics.bundles(cohort), b"", qos=1, retain=True)  # type: ignore[attr-defined]
    for spec in (msg.bundle.signed.files.values() if msg is not None else ()):
        for index in range(len(spec.chunks)):
            conn.publish(topics.chunk(cohort, spec.sha256, index), b"", qos=1, retain=True)  # type: ignore[attr-defined]


def retained_bundle(conn: Any, cohort: str, wait: float = 2.0) -> BundleMessage | None:
    """The cohort's retained bundle as the broker has it now (None when there is none or it is unreadable)."""
    got: list[bytes] = []
    arrived = threading.Event()
    topic = topics.bundles(cohort)

    def on_message(client: Any, userdata: Any, message: Any) -> None:
        if message.topic == topic:
            got.append(message.payload)
            arrived.set()

    conn.client.message_callback_add(topic, on_message)
    conn.subscribe(topic, 1)
    arrived.wait(wait)
    conn.client.unsubscribe(topic)
    try:
        return parse(BundleMessage, got[0]) if got and got[0] else None
    except PayloadError:
        return None


@dataclass(slots=True)
class FleetStatus:
    version: int
    devices: dict[str, StateMessage]
    on_version: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    @property
    def failure_rate(self) -> float:
        tried = len(self.on_version) + len(self.failed)
        return len(self.failed) / tried if tried else 0.0

    def to_json(self) -> dict[str, object]:
        return {"version": self.version, "devices": len(self.devices), "on_version": len(self.on_version),
                "failed": sorted(self.failed), "failure_rate": round(self.failure_rate, 3),
                "by_device": {d: {"bundle_version": s.bundle_version, "status": s.bundle_status,
                                  "error": s.bundle_error, "online": s.online}
                              for d, s in sorted(self.devices.items())}}


def fleet_status(states: dict[str, StateMessage], version: int) -> FleetStatus:
    st = FleetStatus(version, dict(states))
    for device, s in states.items():
        if s.bundle_version >= version:
            st.on_version.append(device)
        elif s.bundle_failed_version == version:
            st.failed.append(device)
        else:
            st.other.append(device)
    return st


def should_halt(status: FleetStatus, threshold: float, min_tried: int = 3) -> bool:
    """Halt when the failure rate passes the threshold (after at least `min_tried` devices reported)."""
    tried = len(status.on_version) + len(status.failed)
    return tried >= min_tried and status.failure_rate > threshold


def load_message(path: Path) -> BundleMessage:
    from mqtt_bridge.payloads import parse

    return parse(BundleMessage, Path(path).read_bytes())


def save_message(msg: BundleMessage, path: Path) -> None:
    Path(path).write_text(json.dumps(json.loads(dump(msg)), indent=None))


class StateWatcher:
    """The operator's view: the latest retained state of every device (read-only ACL role)."""

    def __init__(self, cfg: object, client_id: str = "fleet-status") -> None:
        from mqtt_bridge.client import Connection

        self.states: dict[str, StateMessage] = {}
        self._lock = threading.Lock()
        self.conn = Connection(cfg, client_id)  # type: ignore[arg-type]
        self.conn.client.on_message = self._on_message
        self.conn.subscribe(topics.all_devices("state"), 1)

    def start(self) -> StateWatcher:
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    def snapshot(self, cohort_devices: Iterable[str] | None = None) -> dict[str, StateMessage]:
        with self._lock:
            states = dict(self.states)
        if cohort_devices is not None:
            wanted = set(cohort_devices)
            states = {k: v for k, v in states.items() if k in wanted}
        return states

    def _on_message(self, client: object, userdata: object, message: object) -> None:
        parsed = topics.parse(message.topic)  # type: ignore[attr-defined]
        if parsed is None or not message.payload:  # type: ignore[attr-defined]
            return
        try:
            st = parse(StateMessage, message.payload)  # type: ignore[attr-defined]
        except PayloadError:
            return
        if st.device_id == parsed[1]:
            with self._lock:
                self.states[st.device_id] = st


def run_rollout(conn: object, watcher: StateWatcher, steps: list[BundleMessage], devices: Iterable[str],
                halt_at: float, wait_s: float = 60.0, progress: object = print) -> dict[str, object]:
    """Publish each step (the same version at a growing percentage), wait until the devices selected
    so far report, and halt (clear the retained bundle) when the failure rate passes `halt_at`."""
    from mqtt_bridge.updater import selected

    devices = list(devices)
    report: dict[str, object] = {"halted": False, "steps": []}
    for msg in steps:
        meta = msg.bundle.signed
        publish(conn, msg)
        chosen = [d for d in devices if selected(d, meta.rollout_percent)]
        deadline = time.monotonic() + wait_s
        while True:
            status = fleet_status(watcher.snapshot(chosen), meta.version)
            done = len(status.on_version) + len(status.failed)
            if done >= len(chosen) or time.monotonic() > deadline or should_halt(status, halt_at):
                break
            time.sleep(0.1)
        step = {"percent": meta.rollout_percent, "selected": len(chosen), "on_version": len(status.on_version),
                "failed": len(status.failed), "failure_rate": round(status.failure_rate, 3)}
        report["steps"].append(step)  # type: ignore[union-attr]
        progress(f"step {meta.rollout_percent}%: {step['on_version']}/{len(chosen)} updated, "  # type: ignore[operator]
                 f"{step['failed']} failed / 已更新 {step['on_version']}，失败 {step['failed']}")
        if should_halt(status, halt_at, min_tried=1):
            clear(conn, meta.cohort, msg)
            report["halted"] = True
            progress(f"HALTED: failure rate {status.failure_rate:.0%} > {halt_at:.0%}; bundle withdrawn "  # type: ignore[operator]
                     f"/ 失败率过高，已停止发布")
            break
    return report
