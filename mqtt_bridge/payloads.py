"""Pydantic v2 models of every kidsafe MQTT payload (topics in mqtt_bridge/topics.py).

Every payload carries `schema_version` (1) and a `msg_id`: consumers are idempotent, so a QoS 1
repeat or a resend after a reboot is dropped by id. Messages a device trusts (policy, answers,
trusted time, bundle metadata) carry Ed25519 signatures (mqtt_bridge/signing.py) over their
canonical JSON (`canonical_bytes`). All models refuse unknown keys and wrong types.

    parse(model, raw_bytes) -> model      raises PayloadError (message in English and Chinese)
    dump(model) -> bytes                  compact UTF-8 JSON for publishing
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_serializer,
    model_validator,
)

SCHEMA_VERSION = 1
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024  # the largest bundle message a device reads (files inline)

DeviceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Epoch = Annotated[float, Field(ge=0, allow_inf_nan=False)]
ReportingLevel = Literal["counts", "with_text"]


def new_msg_id() -> str:
    return uuid.uuid4().hex


class PayloadError(ValueError):
    """A payload that is not valid JSON or does not match its model."""

    def __init__(self, en: str, zh: str) -> None:
        self.en, self.zh = en, zh
        super().__init__(f"{en} / {zh}")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Message(Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    msg_id: Annotated[str, StringConstraints(min_length=1, max_length=128)] = Field(default_factory=new_msg_id)


class Signature(Model):
    keyid: KeyId
    sig: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{128}$")]  # Ed25519 signature, hex


class SignedMessage(Message):
    """A message whose fields (all but `signatures`) are signed by the portal's key."""

    signatures: tuple[Signature, ...] = ()

    def signing_bytes(self) -> bytes:
        return canonical_bytes(self.model_dump(mode="json", exclude={"signatures"}))


# -- portal -> device -------------------------------------------------------------------------------
class PolicyMessage(SignedMessage):
    """Retained on devices/{id}/policy. `version` only grows; `policy` is the shared device policy
    document (device/policy.py validates it); `reporting` says what telemetry may carry."""

    device_id: DeviceId
    version: Annotated[int, Field(ge=1)]
    issued_at: Epoch
    policy: dict[str, Any]
    reporting: ReportingLevel = "counts"


class MoreTimeAnswer(SignedMessage):
    """The parent's answer to a "more time" request (devices/{id}/answers)."""

    device_id: DeviceId
    request_id: Annotated[int, Field(ge=1)]
    approved: bool
    minutes: Annotated[int, Field(ge=0, le=600)] = 0
    day: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    answered_at: Epoch


MsgId = Annotated[str, StringConstraints(min_length=1, max_length=128)]
MAX_ACK_IDS = 1000


class TelemetryAck(Message):
    """devices/{id}/acks (portal -> device, QoS 1, not retained): msg ids of telemetry (usage, events,
    requests) the portal has committed. The device keeps each outbox row until its msg id comes back
    here, so a broker that acknowledged a message and then died before saving it loses nothing; a
    repeat is acknowledged again. Only the portal role may publish it (broker ACL)."""

    device_id: DeviceId
    msg_ids: Annotated[tuple[MsgId, ...], Field(min_length=1, max_length=MAX_ACK_IDS)]
    ts: Epoch


class TimeRequest(Message):
    """The device asks for trusted time (devices/{id}/time/request) with a fresh nonce."""

    device_id: DeviceId
    nonce: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


class TrustedTime(SignedMessage):
    """The portal's signed clock (devices/{id}/time); only accepted with the nonce the device sent."""

    device_id: DeviceId
    nonce: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    epoch: Epoch


# -- device -> portal -------------------------------------------------------------------------------
class PackInfo(Model):
    version: str
    sha256: Sha256 | None = None


class StateMessage(Message):
    """Retained on devices/{id}/state; the last will is the same model with online=False."""

    device_id: DeviceId
    online: bool
    ts: Epoch
    policy_version: int = 0            # PolicyMessage.version in force (0 = none from the portal yet)
    policy_error: str | None = None    # why the last policy message was refused
    packs: dict[str, PackInfo] = Field(default_factory=dict)
    model_sha256: Sha256 | None = None
    combos: dict[str, PackInfo] = Field(default_factory=dict)  # co-occurrence rule files in force
    bundle_version: int = 0            # fleet bundle in force (0 = the shipped set)
    bundle_status: Literal["idle", "downloading", "applied", "failed", "rolled_back", "refused"] = "idle"
    bundle_error: str | None = None
    bundle_failed_version: int | None = None
    bundle_progress: Annotated[float, Field(ge=0, le=1)] | None = None  # share of chunks here while downloading
    time_left_s: float | None = None
    usage_state: str | None = None     # ok | night | time_up
    trusted_at: Epoch | None = None
    agent: str = "kidsafe-agent/1"


class UsageMessage(Message):
    """A day's totals (absolute, so a repeat or reordering never double-counts)."""

    device_id: DeviceId
    day: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    used_s: Annotated[float, Field(ge=0)]
    exempt_s: dict[str, float] = Field(default_factory=dict)
    ts: Epoch


class EventMessage(Message):
    """One device event (blocked search, tamper, limit reached, policy change ...)."""

    device_id: DeviceId
    seq: Annotated[int, Field(ge=0)]
    ts: Epoch
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    safety: bool
    data: dict[str, Any] = Field(default_factory=dict)


class MoreTimeRequest(Message):
    """The child's "more time" ask (devices/{id}/requests); the answer comes on devices/{id}/answers."""

    device_id: DeviceId
    request_id: Annotated[int, Field(ge=1)]
    minutes: Annotated[int, Field(ge=1, le=600)]
    day: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    created: Epoch
    note: Annotated[str, StringConstraints(max_length=200)] = ""


# -- operator -> devices: signed fleet metadata (TUF-style roles) -----------------------------------
class PublicKey(Model):
    scheme: Literal["ed25519"] = "ed25519"
    public: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Role(Model):
    keyids: tuple[KeyId, ...]
    threshold: Annotated[int, Field(ge=1)]


class RootSigned(Model):
    type: Literal["root"] = "root"
    version: Annotated[int, Field(ge=1)]
    expires: Epoch
    keys: dict[KeyId, PublicKey]
    roles: dict[Literal["root", "bundle", "portal"], Role]


class FileSpec(Model):
    """A bundle file: its length and SHA-256, and for a file sent in chunks (fleet/{cohort}/chunks/
    {sha256}/{i}) the chunk size and each chunk's SHA-256, all covered by the bundle signatures."""

    kind: Literal["pack", "model", "labels", "asr_ref", "combos"]  # combos: a co-occurrence rule file
    length: Annotated[int, Field(ge=0)]
    sha256: Sha256
    chunk_size: Annotated[int, Field(ge=1024)] | None = None  # set when the file is sent in chunks
    chunks: tuple[Sha256, ...] = ()  # SHA-256 of chunk 0, 1, ... (only with chunk_size)

    @model_validator(mode="after")
    def _chunks_cover_the_file(self) -> FileSpec:
        if self.chunk_size is None and self.chunks:
            raise ValueError("chunks listed without a chunk_size")
        if self.chunk_size is not None and len(self.chunks) != max(1, -(-self.length // self.chunk_size)):
            raise ValueError("the chunk hashes do not cover the file's length")
        return self

    @model_serializer(mode="wrap")
    def _omit_empty_chunks(self, handler: Any) -> dict[str, Any]:
        out = handler(self)
        if not self.chunks:
            out.pop("chunks", None)  # inline files sign exactly the bytes they signed before chunks existed
        return out


class BundleSigned(Model):
    type: Literal["bundle"] = "bundle"
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")] = "filters"
    version: Annotated[int, Field(ge=1)]
    expires: Epoch
    created: Epoch
    cohort: DeviceId
    rollout_percent: Annotated[int, Field(ge=0, le=100)] = 100
    files: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,100}$")], FileSpec]
    categories: tuple[str, ...]              # every category the bundle's packs cover
    drops_categories: tuple[str, ...] = ()   # an explicit, signed decision to stop covering these


class SignedRoot(Model):
    signed: RootSigned
    signatures: tuple[Signature, ...]


class SignedBundle(Model):
    signed: BundleSigned
    signatures: tuple[Signature, ...]


class BundleMessage(Message):
    """Retained on fleet/{cohort}/bundles: root chain (for key rotation), signed metadata, files.

    `files` holds base64 content for files sent inline; a file with `chunk_size` in its FileSpec
    comes in hashed chunks on fleet/{cohort}/chunks/{sha256}/{index} instead.
    """

    roots: tuple[SignedRoot, ...] = ()
    bundle: SignedBundle
    files: dict[str, str] = Field(default_factory=dict)


class ChunkMessage(Message):
    """One piece of a large bundle file; `sha256` is the chunk's own hash, `file_sha256` the file's."""

    file_sha256: Sha256
    index: Annotated[int, Field(ge=0)]
    count: Annotated[int, Field(ge=1)]
    sha256: Sha256
    data: str  # base64


# -- helpers -----------------------------------------------------------------------------------------
def canonical_bytes(obj: Any) -> bytes:
    """The bytes a signature covers: sorted keys, no spaces, UTF-8, no NaN/Infinity."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], raw: bytes | str) -> M:
    """Parse and validate a payload; any problem raises PayloadError, never something else."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise PayloadError(f"{model.__name__}: payload larger than {MAX_PAYLOAD_BYTES} bytes",
                           f"{model.__name__}：消息超过 {MAX_PAYLOAD_BYTES} 字节")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        where = ".".join(str(p) for p in first.get("loc", ())) or "$"
        raise PayloadError(f"{model.__name__}: {where}: {first.get('msg')} ({exc.error_count()} problem(s))",
                           f"{model.__name__}：{where} 无效（共 {exc.error_count()} 处）") from exc
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"{model.__name__}: not valid JSON ({exc})", f"{model.__name__}：不是有效的 JSON") from exc


def dump(model: BaseModel) -> bytes:
    return model.model_dump_json().encode("utf-8")
