"""The ASGI application: the request guard around the mock service, which routes every request."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from medux_contract.mock.guard import RequestGuard
from medux_contract.mock.service import MockService
from medux_contract.mock.settings import MockSettings


class ServiceRoutes:
    """Hands every HTTP request to the service's own (method, path) table: Starlette's router and
    exception middleware would cost more per request than the mock's own work, and every answer,
    a routing error included, must be an envelope."""

    def __init__(self, app: ASGIApp, service: MockService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.service(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: MockSettings | None = None) -> Starlette:
    """A fresh mock (own state) as an ASGI app; ``app.state.mock`` is its :class:`MockService`
    (``app.state.mock.reset()`` restores every account). ``settings.spec`` chooses the contract
    served (``openapi.yaml`` by default): every operation of it gets a route."""
    service = MockService(settings or MockSettings())
    app = Starlette(
        middleware=[
            Middleware(RequestGuard, service=service),
            Middleware(ServiceRoutes, service=service),
        ],
    )
    app.state.mock = service
    return app
