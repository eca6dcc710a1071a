"""The Starlette application: one route from the spec, and JSON envelopes for everything else."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from medux_contract.mock.guard import RequestGuard
from medux_contract.mock.service import MockService
from medux_contract.mock.settings import MockSettings
from medux_contract.spec import OPERATION_METHOD, OPERATION_PATH, SPEC_PATH, load_spec

_METHOD = OPERATION_METHOD.upper()


class OperationShortcut:
    """Sends ``POST <operation path>`` straight to the service, past Starlette's exception
    middleware and router, which cost more per request than the mock's own work. Every other
    request (unknown paths, wrong methods) still goes through them."""

    def __init__(self, app: ASGIApp, service: MockService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == _METHOD and scope["path"] == OPERATION_PATH:
            response = await self.service.handle(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: MockSettings | None = None) -> Starlette:
    """A fresh mock (own state) as an ASGI app; ``app.state.mock`` is its :class:`MockService`
    (``app.state.mock.reset()`` restores every account)."""
    service = MockService(settings or MockSettings(), load_spec(SPEC_PATH))

    async def create_avatar_by_image(request: Request) -> Response:
        return await service.handle(request)

    async def routing_error(request: Request, exc: Exception) -> Response:
        # Unknown path (404) or method (405): still an envelope; the status says what HTTP knows.
        assert isinstance(exc, HTTPException)
        return service.refuse(
            request.scope,
            "INVALID_INPUT",
            f"no route for {request.method} {request.url.path}",
            status=exc.status_code,
            headers=dict(exc.headers or {}),
        )

    app = Starlette(
        routes=[Route(OPERATION_PATH, create_avatar_by_image, methods=[OPERATION_METHOD.upper()])],
        middleware=[
            Middleware(RequestGuard, service=service),
            Middleware(OperationShortcut, service=service),
        ],
        exception_handlers={HTTPException: routing_error},
    )
    # A trailing-slash redirect would be an empty 307, not an envelope.
    app.router.redirect_slashes = False
    app.state.mock = service
    return app
