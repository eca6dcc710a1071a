"""The test kit: a running mock as a user's own application tests hold it.

:func:`in_process` gives a mock reached through an httpx ASGI transport (no socket, async clients);
:func:`on_loopback` serves one on a free 127.0.0.1 port for any client, sync or async, and stops it
when its ``with`` block ends. Both hand out a :class:`MockHandle`: the base URL, the test keys,
``reset()`` and the outcome selectors, all read from the mock's own settings and spec.
The pytest fixtures of :mod:`medux_contract.pytest_plugin` are built on these.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from starlette.applications import Starlette

from medux_contract.mock.app import create_app
from medux_contract.mock.selection import PREFER_HEADER, CodeLike, magic_cursor, magic_file_id, prefer_example
from medux_contract.mock.server import serving
from medux_contract.mock.service import MockService
from medux_contract.mock.settings import MockSettings, Plan

IN_PROCESS_BASE_URL = "http://medux-mock.test"
"""The base URL of an in-process mock: any host does, since its transport never opens a socket."""


class MockHandle:
    """A running mock. Its keys stay out of ``repr`` (they are test keys, but keys all the same)."""

    __slots__ = ("app", "base_url", "transport")

    def __init__(self, app: Starlette, base_url: str, transport: httpx.ASGITransport | None) -> None:
        self.app = app
        self.base_url = base_url
        self.transport = transport
        """In process: the httpx transport to the app (``httpx_args={"transport": ...}`` of an
        ``AsyncMedux``, or ``httpx.AsyncClient(transport=...)``); ``None`` on loopback."""

    @property
    def service(self) -> MockService:
        service: MockService = self.app.state.mock
        return service

    @property
    def settings(self) -> MockSettings:
        return self.service.settings

    @property
    def api_key(self) -> str:
        """A key on the free plan (``sk_test_medux_mock`` unless the settings replace the keys)."""
        return self._key("free")

    @property
    def paid_api_key(self) -> str:
        """A key on the paid plan (``sk_test_medux_mock_paid`` unless the settings replace the keys)."""
        return self._key("paid")

    def _key(self, plan: Plan) -> str:
        for key, key_plan in self.settings.api_keys.items():
            if key_plan == plan:
                return key
        raise LookupError(f"this mock's settings accept no key on the {plan} plan")

    def reset(self) -> None:
        """Every key back to its starting state: credits, assets, cursors, rate-limit bucket."""
        self.service.reset()

    @staticmethod
    def magic_file_id(code: CodeLike) -> str:
        """The ``file_id`` that makes Create Avatar by Image answer ``code`` (``file_mock_code_1401``)."""
        return magic_file_id(code)

    @staticmethod
    def magic_cursor(code: CodeLike) -> str:
        """The ``cursor`` that makes List Avatars answer ``code`` (``mock_code_99``)."""
        return magic_cursor(code)

    @staticmethod
    def prefer(code: CodeLike, *, applied: bool = False) -> dict[str, str]:
        """The ``Prefer`` header that makes any operation answer ``code`` with its named example;
        ``applied=True``: after the success's effect took place (an outcome that may have billed)."""
        return {PREFER_HEADER: prefer_example(code, applied=applied)}

    def __repr__(self) -> str:
        mode = "in-process" if self.transport is not None else "loopback"
        return f"MockHandle({mode}, base_url={self.base_url!r})"


def in_process(settings: MockSettings | None = None, *, app: Starlette | None = None) -> MockHandle:
    """A mock reached without a socket (async clients only: httpx's ASGI transport is async)."""
    app = app if app is not None else create_app(settings or MockSettings())
    return MockHandle(app, IN_PROCESS_BASE_URL, httpx.ASGITransport(app=app))


@contextmanager
def on_loopback(
    settings: MockSettings | None = None, *, app: Starlette | None = None
) -> Iterator[MockHandle]:
    """A mock served on a free 127.0.0.1 port, with its hardened HTTP protocol, until the block ends."""
    app = app if app is not None else create_app(settings or MockSettings())
    with serving(app) as base_url:
        yield MockHandle(app, base_url, None)
