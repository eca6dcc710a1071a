"""pytest plugin (entry point ``medux_mock``): the contract-true mock as fixtures for your own tests.

Installed with the ``medux-contract`` distribution, so pytest loads it by itself:

* ``medux_mock`` -- in process: ``.transport`` for async httpx clients, ``.base_url``;
* ``medux_mock_server`` -- served on a free 127.0.0.1 port, for any client (``.base_url``);

each with ``.api_key``/``.paid_api_key``, ``.reset()``, ``.magic_file_id(code)``,
``.magic_cursor(code)`` and ``.prefer(code)`` (a ``Prefer`` header). Every test starts from a
reset mock. ``@pytest.mark.medux_mock(credits=3, status_mode="mapped")`` gives that test a mock of
its own built from those ``MockSettings`` fields (or override the ``medux_mock_settings`` fixture).

Pytest loads this module in every run of an environment it is installed in, so it imports nothing
heavy until a test asks for a fixture, and defines nothing but the fixtures and their marker. It
sits outside ``medux_contract.mock`` because importing that package loads the whole mock (starlette,
uvicorn, the spec): about 0.2 s added to every pytest start, fixture used or not.
"""

# Imports inside the fixtures are deliberate: see the last paragraph above.
# ruff: noqa: PLC0415

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from medux_contract.mock.kit import MockHandle
    from medux_contract.mock.settings import MockSettings

MARKER = "medux_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): give this test a Medux mock of its own built from MockSettings(**settings)",
    )


@pytest.fixture
def medux_mock_settings(request: pytest.FixtureRequest) -> MockSettings | None:
    """The settings of this test's own mock (from the ``medux_mock`` marker), or ``None`` to use the
    session's shared mock with the default settings."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return None
    if marker.args:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes MockSettings fields as keywords only")
    from medux_contract.mock.settings import MockSettings

    try:
        return MockSettings(**marker.kwargs)
    except TypeError as exc:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {exc}") from None


@pytest.fixture(scope="session")
def _medux_mock_shared_app() -> Starlette:
    # One app for the session: reading the spec and checking every answer happens once, and
    # each test resets its state instead.
    from medux_contract.mock.app import create_app
    from medux_contract.mock.settings import MockSettings

    return create_app(MockSettings())


@pytest.fixture(scope="session")
def _medux_mock_shared_server(_medux_mock_shared_app: Starlette) -> Iterator[MockHandle]:
    from medux_contract.mock.kit import on_loopback

    with on_loopback(app=_medux_mock_shared_app) as handle:
        yield handle


@pytest.fixture
def medux_mock(medux_mock_settings: MockSettings | None, request: pytest.FixtureRequest) -> MockHandle:
    """The mock in process, reset for this test: pass ``.transport`` to an async client."""
    from medux_contract.mock.kit import in_process

    if medux_mock_settings is not None:
        return in_process(medux_mock_settings)
    handle = in_process(app=request.getfixturevalue("_medux_mock_shared_app"))
    handle.reset()
    return handle


@pytest.fixture
def medux_mock_server(
    medux_mock_settings: MockSettings | None, request: pytest.FixtureRequest
) -> Iterator[MockHandle]:
    """The mock on a free 127.0.0.1 port, reset for this test: point any client at ``.base_url``."""
    from medux_contract.mock.kit import on_loopback

    if medux_mock_settings is not None:
        with on_loopback(medux_mock_settings) as own:
            yield own
        return
    shared: MockHandle = request.getfixturevalue("_medux_mock_shared_server")
    shared.reset()
    yield shared
