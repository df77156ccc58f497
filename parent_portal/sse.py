"""Server-sent events for the live parts of the pages ("more time" requests, a device's status): poll
the database every STREAM_POLL_S in a worker thread, send what is new, end after STREAM_LIFETIME_S (the
browser's EventSource reconnects by itself) or when the browser has gone."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

STREAM_POLL_S = 1.0
STREAM_LIFETIME_S = 300.0
SSE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "server-sent events", "content": {"text/event-stream": {}}}}

# What a poll returns: (event id or "", event name, JSON-able data) per message to send.
Poll = Callable[[], list[tuple[str, str, Any]]]


def event_stream(request: Request, poll: Poll) -> StreamingResponse:
    async def events() -> AsyncIterator[bytes]:
        waited = 0.0
        yield b"retry: 3000\n\n"
        while waited < STREAM_LIFETIME_S and not await request.is_disconnected():
            for event_id, name, data in await run_in_threadpool(poll):
                head = f"id: {event_id}\n" if event_id else ""
                yield f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
            await asyncio.sleep(STREAM_POLL_S)
            waited += STREAM_POLL_S

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
