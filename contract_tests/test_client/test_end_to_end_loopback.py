"""The sync client over real loopback sockets: the mock under uvicorn, and a port that refuses connections."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from medux_avatar_client import MeduxConnectionError, MeduxError, exceptions

from contract_tests.test_client.support import (
    CANARY_KEY,
    CREATE,
    FakeClock,
    create,
    make_client,
    mock_status,
    request_body,
)
from medux_contract.loopback import free_port, served
from medux_contract.mock import MockSettings, create_app, magic_file_id
from medux_contract.spec import Outcome


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    # Mapped statuses, the canary as the only key, no rate limit: one server for the whole module.
    settings = MockSettings(
        status_mode="mapped", api_keys={CANARY_KEY: "paid"}, rate_limit_burst=None, credits=None
    )
    with served(create_app(settings)) as url:
        yield url


@pytest.mark.parametrize("entry", CREATE.outcomes, ids=lambda entry: entry.code.name)
async def test_sync_client_gets_every_code_over_a_real_socket(
    mock_url: str, clock: FakeClock, entry: Outcome, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with make_client(clock, base_url=mock_url) as client:
        if entry.is_success:
            assert (
                await create("sync", client, request_body(file_id=magic_file_id(entry)))
            ).code == entry.value
        else:
            with pytest.raises(MeduxError) as caught:
                await create("sync", client, request_body(file_id=magic_file_id(entry)))
            assert type(caught.value) is exceptions.ERRORS_BY_CODE[entry.value]
            assert caught.value.http_status == mock_status(entry.value)
            assert CANARY_KEY not in repr(vars(caught.value)) + str(caught.value)
    # httpcore, httpx, uvicorn, the mock and the client all logged at DEBUG: none of them the key.
    assert caplog.records
    assert all(CANARY_KEY not in f"{record.getMessage()} {vars(record)!r}" for record in caplog.records)


async def test_refused_connection_is_retried_then_raised(clock: FakeClock) -> None:
    client = make_client(clock, base_url=f"http://127.0.0.1:{free_port()}")

    with pytest.raises(MeduxConnectionError) as caught:
        await create("sync", client)

    assert caught.value.kind == "ConnectError"
    assert isinstance(caught.value, httpx.ConnectError) is False  # httpx's own stays out of it
    assert isinstance(caught.value, httpx.TransportError)  # code that catches httpx's family still does
    assert clock.sleeps == [0.5, 1.0]
