"""How the mock is served over HTTP: uvicorn with the bounded protocol, for the CLI and for tests.

``uvicorn_options(app)`` gives the keyword arguments of ``uvicorn.run``/``uvicorn.Config`` that
serve a mock app with its settings' bounds; ``serving(app)`` runs it on a free 127.0.0.1 port in
a thread, for tests that need real sockets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette

from medux_contract.loopback import served
from medux_contract.mock.http_protocol import BACKLOG, mock_protocol
from medux_contract.mock.service import MockService


def uvicorn_options(app: Starlette) -> dict[str, Any]:
    service: MockService = app.state.mock
    return server_options(service)


def server_options(service: MockService) -> dict[str, Any]:
    """The uvicorn options of ``service``'s bounds, whatever app they serve (the bench serves its
    bare ASGI floor with them, so the floor runs on exactly the mock's server stack)."""
    return {
        "http": mock_protocol(service),
        "backlog": BACKLOG,
        "ws": "none",  # HTTP/1.1 only: an Upgrade request is served as a plain request
        "timeout_keep_alive": service.settings.keep_alive_timeout,
        "access_log": False,  # the mock logs its own line per request, with the key redacted
        "lifespan": "off",
        # The mock logs no client address and trusts no proxy: uvicorn's X-Forwarded-* layer
        # would only add a step to every request.
        "proxy_headers": False,
    }


@contextmanager
def serving(app: Starlette, *, log_level: str = "warning") -> Iterator[str]:
    """Serve the mock ``app`` on 127.0.0.1 (a free port) in a thread; yields its base URL, and
    stops it when the block ends."""
    with served(app, log_level=log_level, **uvicorn_options(app)) as base_url:
        yield base_url
