"""An ASGI layer that records every exchange a test server sees: what arrived, what it answered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Exchange:
    method: str
    authorization: str | None
    body: bytes
    code: int | None


class Recording:
    def __init__(self, app: ASGIApp, events: list[Any] | None = None) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []
        self.events = events if events is not None else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received: list[bytes] = []
        answered: list[bytes] = []

        async def recording_receive() -> Message:
            message = await receive()
            received.append(message.get("body", b""))
            return message

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                answered.append(message.get("body", b""))
            await send(message)

        await self.app(scope, recording_receive, recording_send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        exchange = Exchange(
            scope["method"], headers.get("authorization"), b"".join(received), _code(b"".join(answered))
        )
        self.exchanges.append(exchange)
        self.events.append(exchange)


def _code(body: bytes) -> int | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return document.get("code") if isinstance(document, dict) else None
