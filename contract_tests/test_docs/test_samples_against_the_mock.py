"""The Python samples, run as a reader would, against the real embedded mock: what one creates, the
list samples show, for the same key only. This is the recovery recipe of the reference at work."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from medux_contract.docs.code_samples import API_KEY_ENV, pagination_sample, python_sample
from medux_contract.loopback import served
from medux_contract.mock.app import create_app
from medux_contract.mock.settings import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings
from medux_contract.spec import Operation, load_contract

CONTRACT = load_contract()


def the(method: str) -> Operation:
    [operation] = [op for op in CONTRACT.operations if op.method == method]
    return operation


@pytest.fixture
def mock_url() -> Iterator[str]:
    with served(create_app(MockSettings(rate_limit_burst=None))) as url:
        yield url


def run(source: str, key: str) -> list[str]:
    env = {**os.environ, API_KEY_ENV: key, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "-c", source], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_an_avatar_the_create_sample_made_is_listed_by_both_list_samples(mock_url: str) -> None:
    create, listing = the("post"), the("get")
    every_page = pagination_sample(CONTRACT, listing, base_url=mock_url)
    assert every_page is not None
    assert run(python_sample(CONTRACT, listing, base_url=mock_url), DEFAULT_TEST_KEY) == []

    created = [run(python_sample(CONTRACT, create, base_url=mock_url), DEFAULT_TEST_KEY) for _ in range(2)]
    assert all(len(lines) == 1 and not lines[0].startswith("failed") for lines in created)
    ids = [lines[0] for lines in created]

    assert run(python_sample(CONTRACT, listing, base_url=mock_url), DEFAULT_TEST_KEY) == ids
    assert run(every_page, DEFAULT_TEST_KEY) == ids
    assert run(every_page, DEFAULT_PAID_TEST_KEY) == []


def test_a_sample_with_an_unknown_key_prints_the_typed_error(mock_url: str) -> None:
    unauthenticated = CONTRACT.codes.by_name("UNAUTHENTICATED")
    for operation in CONTRACT.operations:
        lines = run(python_sample(CONTRACT, operation, base_url=mock_url), "sk-not-a-mock-key")
        assert lines == [f"failed: {unauthenticated.code} {unauthenticated.message}"]
