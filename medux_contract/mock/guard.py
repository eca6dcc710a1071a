"""The outermost layer of the mock: one log line per request, and code 99 instead of a crash.

The service decides the answer and sends nothing itself, so the guard knows that no byte of a
response has left when the service fails: any exception becomes a code-99 envelope and one ERROR
log line; the traceback goes to DEBUG only, so a client never sees one. The line is formatted only
when its level is enabled (``--log-level warning`` costs a request no formatting at all).
"""

from __future__ import annotations

import logging
import time
import traceback

from starlette.types import Receive, Scope, Send

from medux_contract.mock.auth import redacted
from medux_contract.mock.exchange import Answer, ClientDisconnected
from medux_contract.mock.request_input import shorten
from medux_contract.mock.service import CODE_SCOPE_KEY, REASON_SCOPE_KEY, STATUS_SCOPE_KEY, MockService

LOGGER_NAME = "medux.mock"
logger = logging.getLogger(LOGGER_NAME)


class RequestGuard:
    """Serves one HTTP request through ``service``: its answer, or code 99; then its log line."""

    def __init__(self, service: MockService) -> None:
        self.service = service
        self.redact = service.redact

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        level = logging.INFO
        answer: Answer | None = None
        try:
            answer = await self.service.answer(scope, receive)
        except ClientDisconnected:
            # The HTTP layer may have given up on the request first (a body timeout) and said why.
            scope.setdefault(REASON_SCOPE_KEY, "client disconnected")
        except Exception as exc:
            level = logging.ERROR
            if logger.isEnabledFor(logging.DEBUG):
                # Formatted here so that the key is redacted from the message and the traceback.
                logger.debug("unexpected error\n%s", self.redact(traceback.format_exc()))
            scope[REASON_SCOPE_KEY] = f"unexpected {type(exc).__name__}"
            answer = self.service.crashed(scope, scope[REASON_SCOPE_KEY])
        if answer is not None:
            await answer.send(send)
        if logger.isEnabledFor(level):
            status = answer.status if answer is not None else scope.get(STATUS_SCOPE_KEY)
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
