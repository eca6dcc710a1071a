"""The ASGI application: every HTTP request goes straight to the request guard around the service.

``create_app`` still gives a Starlette application (``app.state.mock``, lifespan and the type the
kit and tests hold), but its HTTP requests skip Starlette's middleware stack, router and exception
layers: each costs more per request than the mock's own work, and every answer, a routing error
and a crash included, must be an envelope, which the guard and the service already guarantee.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from medux_contract.mock.guard import RequestGuard
from medux_contract.mock.service import MockService
from medux_contract.mock.settings import MockSettings


class MockApp(Starlette):
    def __init__(self, service: MockService) -> None:
        super().__init__()
        self.state.mock = service
        self._guard = RequestGuard(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._guard(scope, receive, send)
        else:  # lifespan (when a server runs it) and websocket requests: Starlette's own handling
            await super().__call__(scope, receive, send)


def create_app(settings: MockSettings | None = None) -> Starlette:
    """A fresh mock (own state) as an ASGI app; ``app.state.mock`` is its :class:`MockService`
    (``app.state.mock.reset()`` restores every account). ``settings.spec`` chooses the contract
    served (``openapi.yaml`` by default): every operation of it gets a route."""
    return MockApp(MockService(settings or MockSettings()))
