"""How the mock is served over HTTP: uvicorn with the bounded protocol, for the CLI and for tests.

``uvicorn_options(app)`` gives the keyword arguments of ``uvicorn.run``/``uvicorn.Config`` that
serve a mock app with its settings' bounds; ``serving(app)`` runs it on a free 127.0.0.1 port in
a thread, for tests that need real sockets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette

from medux_contract.mock.http_protocol import BACKLOG, mock_protocol
from medux_contract.mock.service import MockService

STARTUP_DEADLINE_SECONDS = 10.0


def uvicorn_options(app: Starlette) -> dict[str, Any]:
    service: MockService = app.state.mock
    return {
        "http": mock_protocol(service),
        "backlog": BACKLOG,
        "ws": "none",  # HTTP/1.1 only: an Upgrade request is served as a plain request
        "timeout_keep_alive": service.settings.keep_alive_timeout,
        "access_log": False,  # the mock logs its own line per request, with the key redacted
        "lifespan": "off",
    }


@contextmanager
def serving(app: Starlette, *, log_level: str = "warning") -> Iterator[str]:
    """Serve the mock ``app`` on 127.0.0.1 (a free port) in a thread; yields its base URL, and
    stops it when the block ends."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level=log_level, **uvicorn_options(app))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="medux-mock-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the mock server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_DEADLINE_SECONDS)
