"""Messages from the parent's portal: policy, "more time" answers and trusted time.

Each is checked before it changes anything: the payload model, the device id, the portal's signature
(when portal keys are provisioned; otherwise the broker ACL, i.e. the portal's credentials, is the
only writer of these topics), and for a policy a version newer than the one in force. A repeat or an
older (out-of-order) policy changes nothing. The policy goes through the device's own
`apply_policy` (validated, persisted, all or nothing); the applied version is persisted here.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from mqtt_bridge.payloads import MoreTimeAnswer, PayloadError, PolicyMessage, TrustedTime, parse
from mqtt_bridge.signing import verify_message

M = TypeVar("M")

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AgentState:
    policy_version: int = 0
    policy_msg_id: str | None = None
    reporting: str = "counts"
    policy_error: str | None = None
    trusted_at: float | None = None

    @classmethod
    def load(cls, path: Path) -> AgentState:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: doc[k] for k in cls.__slots__ if k in doc})  # type: ignore[attr-defined]
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, TypeError) as exc:
            log.error("agent state %s unreadable (%s): starting from version 0", path, exc)
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


@dataclass(slots=True)
class Outcome:
    changed: bool
    reason: str


class PolicySync:
    def __init__(self, device_id: str, service: Any, state_path: Path, portal_keys: list[str]) -> None:
        self.device_id = device_id
        self.service = service
        self.state_path = state_path
        self.portal_keys = list(portal_keys)
        self.state = AgentState.load(state_path)
        self._lock = threading.Lock()
        self._nonce: str | None = None
        self._answered: str | None = None  # the nonce of the last time request already answered
        self._superseded: deque[str] = deque(maxlen=16)  # unanswered requests asked again with a new nonce

    def _trusted(self, msg: Any) -> str | None:
        """None when the message may be acted on, else why not."""
        if getattr(msg, "device_id", self.device_id) != self.device_id:
            return f"addressed to {msg.device_id}, not this device"
        if self.portal_keys and not verify_message(msg, self.portal_keys):
            return "signature missing or not from the paired portal"
        return None

    def _accept(self, model: type[M], raw: bytes, what: str) -> M | Outcome:
        """Parse, then trust, in that order and in one place: the message when it is well-formed,
        addressed to this device and signed by the paired portal; else the refusal (logged, and
        recorded as a `{what}_refused` event for the parent)."""
        try:
            msg = parse(model, raw)
        except PayloadError as exc:
            return self._refuse(what, exc.en)
        why = self._trusted(msg)
        return self._refuse(what, why) if why else msg

    def _refuse(self, what: str, why: str) -> Outcome:
        log.warning("%s refused: %s", what, why)
        self.service.events.record({"kind": "policy_refused" if what == "policy" else f"{what}_refused",
                                    "reason": why[:300]})
        return Outcome(False, why)

    # -- policy ------------------------------------------------------------------------------------
    def on_policy(self, raw: bytes) -> Outcome:
        if not raw:
            return Outcome(False, "retained policy cleared; keeping the one in force")
        with self._lock:
            msg = self._accept(PolicyMessage, raw, "policy")
            if isinstance(msg, Outcome):
                return self._record_error(msg)
            if msg.version <= self.state.policy_version:
                return Outcome(False, f"version {msg.version} is not newer than {self.state.policy_version}")
            result = self.service.apply_policy(msg.policy)
            if not result.ok:
                errors = "; ".join(str(p) for p in result.errors)[:500]
                return self._record_error(Outcome(False, f"policy {msg.version} invalid: {errors}"))
            self.state.policy_version = msg.version
            self.state.policy_msg_id = msg.msg_id
            doc_level = msg.policy.get("reporting_level")  # the policy's own field, if set, may only narrow
            self.state.reporting = msg.reporting if doc_level in (None, "with_text") else "counts"
            self.state.policy_error = None
            self.state.save(self.state_path)
            log.info("policy version %s applied", msg.version)
            return Outcome(True, f"applied version {msg.version}")

    def _record_error(self, outcome: Outcome) -> Outcome:
        self.state.policy_error = outcome.reason[:500]
        self.state.save(self.state_path)
        return outcome

    # -- "more time" answers ----------------------------------------------------------------------
    def on_answer(self, raw: bytes) -> Outcome:
        msg = self._accept(MoreTimeAnswer, raw, "answer")
        if isinstance(msg, Outcome):
            return msg
        store = self.service.store
        if store.request(msg.request_id) is None:
            return self._refuse("answer", f"no request {msg.request_id} on this device")
        if msg.approved and msg.minutes > 0:
            new = self.service.grant_extra(msg.minutes, ref=f"request:{msg.request_id}", day=msg.day)
            store.set_request_status(msg.request_id, "approved")
            return Outcome(bool(new), "granted" if new else "already granted")
        store.set_request_status(msg.request_id, "denied")
        return Outcome(True, "denied")

    # -- trusted time ---------------------------------------------------------------------------------
    def new_nonce(self) -> str:
        """A fresh nonce per request (a retry too: a late answer must not carry an old time in)."""
        if self._nonce is not None:
            self._superseded.append(self._nonce)
        self._nonce = secrets.token_hex(16)
        return self._nonce

    def on_time(self, raw: bytes) -> Outcome:
        msg = self._accept(TrustedTime, raw, "time")
        if isinstance(msg, Outcome):
            return msg
        if self._nonce is None or not secrets.compare_digest(msg.nonce, self._nonce):
            if self._answered is not None and secrets.compare_digest(msg.nonce, self._answered):
                # a second answer to a request already answered: a QoS 1 repeat or a second time server
                # (the demo runs two). Not applied, and not a refusal worth a warning or a parent's event.
                log.debug("time: duplicate answer to request %s ignored", msg.nonce[:8])
                return Outcome(False, "duplicate answer ignored")
            if any(secrets.compare_digest(msg.nonce, old) for old in self._superseded):
                # a slow answer to a request already asked again: its time may be stale; wait for the new one
                log.info("time: late answer to an earlier request %s ignored", msg.nonce[:8])
                return Outcome(False, "late answer to an earlier request ignored")
            return self._refuse("time", "no outstanding request with that nonce (a replayed time?)")
        self._nonce, self._answered = None, msg.nonce
        info = self.service.set_trusted_time(msg.epoch)
        self.state.trusted_at = msg.epoch
        self.state.save(self.state_path)
        return Outcome(True, f"clock re-anchored by {info.get('delta_s')} s")
