"""The pairing code the device page shows the parent, read from the file the device image's pairing writes.

    read_pairing(path, lang, now=None) -> dict      never raises: a missing, unreadable, special, oversized
                                                    or malformed file is a state with a zh/en message
    -> {"state", "message" (in lang), "messages": {"zh", "en"}, "detail" (why a file was refused, in lang),
        "code", "url", "qr", "expires_at", "expires_in_s", "device_id"?, "paired_at"?}

The file (default /data/kidsafe/pairing/pairing.json, `DeviceSettings.pairing_path`, KIDSAFE_PAIRING_FILE) is
written by firmware_images/rootfs/usr/lib/kidsafe/firstboot.py and pair.py, read-only for the device
service. Its JSON object (other keys are ignored):

    device_id   "ks-<16 hex>"
    status      "unpaired" (first boot), "waiting" (a code is out), "paired"
    user_code   "K7PX-3MQA" while waiting, else null
    url         the portal's pairing page for that code (PUBLIC_URL/pair?code=...) while waiting, else null
    expires_at  Unix seconds when the code stops working (while waiting)
    portal_url  the parent portal, or null when none is provisioned
    created, paired_at   Unix seconds

States the page shows: "waiting" (code, QR of `url`, seconds left), "expired" (the code is not shown;
pair.py asks for a new one), "unpaired", "paired", and "missing" / "unreadable" / "invalid" with the reason.
The QR (segno, a runtime dependency, an SVG data URI) is drawn only for an http(s) URL; should segno be
missing, the code and URL still show.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from device.i18n import LANGS, say
from device.small_file import SmallFileError, read_small_file

log = logging.getLogger(__name__)

MAX_PAIRING_BYTES = 64 * 1024
CODE_PATTERN = r"^[0-9A-Za-z]{2,16}(-[0-9A-Za-z]{2,16}){0,3}$"


class PairingFile(BaseModel):
    """pairing.json as firstboot.py / pair.py write it."""

    model_config = ConfigDict(extra="ignore", strict=False)
    status: Literal["unpaired", "waiting", "paired"]
    device_id: str | None = Field(None, max_length=200)
    user_code: str | None = Field(None, pattern=CODE_PATTERN)
    url: str | None = Field(None, max_length=2000)
    expires_at: float | None = Field(None, ge=0, allow_inf_nan=False)
    portal_url: str | None = Field(None, max_length=2000)
    created: float | None = Field(None, ge=0, allow_inf_nan=False)
    paired_at: float | None = Field(None, ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _waiting_has_a_code(self) -> PairingFile:
        if self.status == "waiting" and (not self.user_code or self.expires_at is None):
            raise ValueError("status 'waiting' needs user_code and expires_at")
        return self


def _web_url(url: str | None) -> str | None:
    """Only an http(s) URL is shown or drawn (never javascript:, file: ...)."""
    if url and url.startswith(("https://", "http://")) and not any(c.isspace() for c in url):
        return url
    return None


@functools.lru_cache(maxsize=8)
def qr_data_uri(url: str) -> str | None:
    """The URL as a QR code (SVG data URI), or None when segno is not installed."""
    try:
        import segno
    except ImportError:
        return None
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#1b1b1b", light="#ffffff")


def _messages(state: str, lang: str) -> dict[str, Any]:
    """The state's message in `lang`, and in both languages (the page switches without asking again)."""
    return {"message": say(f"pairing_{state}", lang), "messages": {k: say(f"pairing_{state}", k) for k in LANGS}}


def _problem(state: str, lang: str, en: str, zh: str) -> dict[str, Any]:
    return {"state": state, **_messages(state, lang), "detail": zh if lang == "zh" else en,
            "code": None, "url": None, "qr": None, "expires_at": None, "expires_in_s": None}


def parse_pairing(raw: bytes) -> PairingFile:
    """Strict enough: JSON object, known status, a sane code. ValueError otherwise."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    try:
        return PairingFile.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"{'.'.join(map(str, first['loc'])) or '$'}: {first['msg']}") from None


def read_pairing(path: Path, lang: str, now: float | None = None) -> dict[str, Any]:
    """What the page shows about pairing, in `lang`; never raises."""
    try:
        raw = read_small_file(Path(path), MAX_PAIRING_BYTES)
    except SmallFileError as exc:
        state = "missing" if exc.kind == "missing" else "unreadable"
        return _problem(state, lang, exc.en, exc.zh)
    try:
        doc = parse_pairing(raw)
    except ValueError as exc:
        log.warning("pairing file %s is invalid: %s", path, exc)
        return _problem("invalid", lang, f"{path}: {exc}", f"{path} 格式不对：{exc}")
    now = time.time() if now is None else now
    out: dict[str, Any] = {"state": doc.status, "device_id": doc.device_id, "code": None, "url": None,
                           "qr": None, "expires_at": None, "expires_in_s": None, "paired_at": doc.paired_at,
                           "portal": doc.portal_url is not None, "detail": None}
    if doc.status == "waiting":
        assert doc.expires_at is not None  # the model's validator
        left = int(doc.expires_at - now)
        if left <= 0:
            out["state"] = "expired"
        else:
            url = _web_url(doc.url)
            out.update(code=doc.user_code, url=url, qr=qr_data_uri(url) if url else None,
                       expires_at=int(doc.expires_at), expires_in_s=left)
    return {**out, **_messages(out["state"], lang)}
