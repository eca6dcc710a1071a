"""Fixtures of the client tests: a fake clock and respx standing in for api.medux.io."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from contract_tests.test_client.support import BASE_URL, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """respx in place of the Medux API: every request the test does not route fails loudly."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router
