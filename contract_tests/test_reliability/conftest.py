"""The real mock on a loopback port, with bounds short enough to reach in a test, and the proxy.

Bounds are a fraction of a second so that a test sees them act; every wait on them is a generous
deadline (:data:`DEADLINE`), never a timing threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from contract_tests.test_mock.conftest import CONTRACT, CREATE, code_of
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.mock.server import serving
from medux_contract.testing.faults import NO_FAULT, Fault, FaultProxy
from medux_contract.testing.raw import RawResponse, request_bytes

SHORT = 0.5  # seconds: every time bound of the mock under test
DEADLINE = 10.0  # seconds a test waits for the mock to act on a bound; far above SHORT
BOUNDS: dict[str, Any] = {"header_timeout": SHORT, "body_timeout": SHORT, "keep_alive_timeout": SHORT}
INVALID_INPUT = code_of("INVALID_INPUT")
BODY = b'{"file_id": "FILE_ID"}'
CREATE_REQUEST = request_bytes(
    "POST",
    CREATE.path,
    headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}", "Content-Type": "application/json"},
    body=BODY,
)

MockPort = Callable[..., AbstractContextManager[int]]
Proxied = Callable[..., AbstractContextManager[FaultProxy]]


@contextmanager
def _served_mock(**overrides: Any) -> Iterator[int]:
    app = create_app(MockSettings(**{"rate_limit_burst": None, **BOUNDS, **overrides}))
    with serving(app) as base_url:
        yield int(base_url.rsplit(":", 1)[1])


@pytest.fixture
def mock_port() -> MockPort:
    """``with mock_port(**settings) as port``: a fresh mock with short bounds on 127.0.0.1."""
    return _served_mock


@pytest.fixture
def proxied() -> Proxied:
    """``with proxied(port, to_server=Fault(...)) as proxy``: the fault proxy in front of ``port``."""

    def start(port: int, *, to_server: Fault = NO_FAULT, to_client: Fault = NO_FAULT) -> FaultProxy:
        return FaultProxy(port, to_server=to_server, to_client=to_client)

    return start


def assert_refusal(response: RawResponse, status: int) -> None:
    """An HTTP-level refusal: ``status``, the code-12 envelope, and the connection closed."""
    assert response.status == status, response
    assert response.headers["content-type"] == "application/json"
    assert response.headers["connection"] == "close"
    assert response.json() == {"code": INVALID_INPUT, "message": CONTRACT.codes[INVALID_INPUT].message}
