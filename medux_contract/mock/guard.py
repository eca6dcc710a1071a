"""The outermost layer of the mock: one log line per request, and code 99 instead of a crash.

A pure ASGI middleware (no ``BaseHTTPMiddleware``: it would buffer and slow every request). Any
exception the app lets through becomes a code-99 envelope when no response has started, and one
ERROR log line; the traceback goes to DEBUG only, so a client never sees one.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medux_contract.mock.auth import redacted
from medux_contract.mock.request_input import shorten
from medux_contract.mock.service import CODE_SCOPE_KEY, REASON_SCOPE_KEY, STATUS_SCOPE_KEY, MockService

LOGGER_NAME = "medux.mock"
logger = logging.getLogger(LOGGER_NAME)


class RequestGuard:
    def __init__(self, app: ASGIApp, service: MockService) -> None:
        self.app = app
        self.service = service
        self.redact = service.redact

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent: dict[str, Any] = {"status": None}
        level = logging.INFO

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            # The HTTP layer may have given up on the request first (a body timeout) and said why.
            scope.setdefault(REASON_SCOPE_KEY, "client disconnected")
        except Exception as exc:
            level = logging.ERROR
            if logger.isEnabledFor(logging.DEBUG):
                # Formatted here so that the key is redacted from the message and the traceback.
                logger.debug("unexpected error\n%s", self.redact(traceback.format_exc()))
            scope[REASON_SCOPE_KEY] = f"unexpected {type(exc).__name__}"
            if sent["status"] is None:
                response = self.service.crashed(scope, scope[REASON_SCOPE_KEY])
                await response(scope, receive, tracking_send)
        finally:
            if logger.isEnabledFor(level):
                status = sent["status"] if sent["status"] is not None else scope.get(STATUS_SCOPE_KEY)
                self._log(level, scope, status, time.perf_counter() - started)

    def _log(self, level: int, scope: Scope, status: int | None, seconds: float) -> None:
        reason = scope.get(REASON_SCOPE_KEY)
        authorization = [
            value.decode("latin-1") for name, value in scope["headers"] if name == b"authorization"
        ]
        # A key can only reach the line through the path or a reason quoting the body: each is
        # redacted before it is cut (the service's reasons already are), so no part of it survives.
        line = (
            f"{scope.get('method', '-')} {shorten(self.redact(scope.get('path', '')))} "
            f"code={scope.get(CODE_SCOPE_KEY, '-')} "
            f"status={status if status is not None else '-'} {seconds * 1000:.1f}ms "
            f"key={redacted(authorization)}" + (f" reason={shorten(self.redact(reason))}" if reason else "")
        )
        logger.log(level, "%s", line)
