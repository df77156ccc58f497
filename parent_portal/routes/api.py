"""The device-facing JSON API (no cookies, so no CSRF): pairing start and poll."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from parent_portal import bridge_link, pairing, ratelimit
from parent_portal.deps import get_db

router = APIRouter(prefix="/api", responses={400: {"description": "the body is not JSON"}})


class PairStartIn(BaseModel):
    device_id: bridge_link.DeviceId


class PairStartOut(BaseModel):
    user_code: str
    device_code: str
    url: str
    qr_svg: str
    expires_in: int
    interval: int = 3


class PairPollIn(BaseModel):
    device_code: str = Field(min_length=10, max_length=100)


class MqttCredentials(BaseModel):
    host: str
    port: int
    username: str
    password: str


class PairPollOut(BaseModel):
    """Once, after the parent claimed the code: the device's broker login, topics and the portal's key."""

    status: str
    device_id: str
    mqtt: MqttCredentials
    policy_topic: str
    state_topic: str
    portal_public_key: str


class Pending(BaseModel):
    status: str = "pending"


class ApiError(BaseModel):
    detail: str


def _errors(codes: dict[int, str]) -> dict[int | str, dict]:
    return {code: {"model": ApiError, "description": text} for code, text in codes.items()}


@router.post("/pair/start", response_model=PairStartOut, responses=_errors({
    409: "the device is already paired (already_paired) or its id is not valid", 429: "too many starts"}))
def pair_start(body: PairStartIn, request: Request, db: Session = Depends(get_db)) -> PairStartOut:
    settings = request.app.state.settings
    key = [f"pairstart:{request.client.host if request.client else 'unknown'}"]
    if ratelimit.blocked(db, key, settings.pairing_starts_per_address, 600):
        raise HTTPException(status_code=429, detail="too many pairing attempts")
    ratelimit.record_failure(db, key, 600)  # every start counts: a device needs one every few minutes
    try:
        started = pairing.start(db, body.device_id, settings.public_url, settings.pairing_ttl_s)
    except pairing.PairingError as exc:
        raise HTTPException(status_code=409, detail=exc.code) from exc
    return PairStartOut(user_code=started.user_code, device_code=started.device_code, url=started.url,
                        qr_svg=started.qr_svg, expires_in=started.expires_in)


@router.post("/pair/poll", response_model=PairPollOut, responses={
    202: {"model": Pending, "description": "the parent has not entered the code yet"},
    **_errors({404: "no such code, or it expired or was used (unknown_code)"})})
def pair_poll(body: PairPollIn, request: Request, db: Session = Depends(get_db)) -> JSONResponse:
    settings = request.app.state.settings
    try:
        key = bridge_link.load_or_create_key(settings.signing_key_file())
        answer = pairing.poll(db, body.device_code, settings.device_broker_host or settings.mqtt_host,
                              settings.device_broker_port or settings.mqtt_port, bridge_link.public_key_hex(key))
    except pairing.PairingError as exc:
        raise HTTPException(status_code=404, detail=exc.code) from exc
    if answer is None:
        return JSONResponse({"status": "pending"}, status_code=202)
    return JSONResponse(answer)
