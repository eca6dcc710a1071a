"""The README's listing sample and its recovery recipe run as written, against the embedded mock.

The recipe (check your avatars after an unknown outcome before creating again) is taken from the
README's "After an unknown outcome" block and run with a client whose transport reaches the real mock
over a loopback socket; a wrapping transport plays the network or provider failure for one attempt.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from medux_avatar_client import AuthenticatedClient, Medux, RetryPolicy
from medux_avatar_client.models import Asset
from medux_avatar_client.pagination import iter_list_avatars

from medux_contract.envelope import build_envelope
from medux_contract.generation.readme_errors_table import README
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app, magic_file_id
from medux_contract.spec import load_contract

CREATE = load_contract().operation("createAvatarByImage")
KNOWN_IMAGE = "FILE_ID"  # an image file of the mock's catalog
Recipe = Callable[..., Asset]


def _python_block_after(heading: str) -> str:
    section = README.read_text(encoding="utf-8").split(heading, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"README.md has no python block after {heading!r}"
    return match.group(1)


def _recipe() -> Recipe:
    namespace: dict[str, Any] = {}
    exec(compile(_python_block_after("#### After an unknown outcome"), "README.md", "exec"), namespace)
    recipe: Recipe = namespace["create_avatar_once"]
    return recipe


class FailOneCreate(httpx.BaseTransport):
    """Answers the ``attempt``-th create with ``code`` (504-style), after or instead of the mock's work."""

    def __init__(self, inner: httpx.BaseTransport, *, attempt: int, code: int, processed: bool) -> None:
        self.inner, self.attempt, self.code, self.processed = inner, attempt, code, processed
        self.creates = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != CREATE.method.upper() or request.url.path != CREATE.path:
            return self.inner.handle_request(request)
        self.creates += 1
        if self.creates != self.attempt:
            return self.inner.handle_request(request)
        if self.processed:  # the mock created (and billed) the avatar; its answer is lost
            self.inner.handle_request(request).read()
        return httpx.Response(504, json=build_envelope(CREATE, self.code))

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def mock_url() -> Iterator[str]:
    with served(create_app(MockSettings(rate_limit_burst=None))) as url:
        yield url


def _client(url: str, transport: httpx.BaseTransport | None = None) -> Medux:
    options: dict[str, Any] = {} if transport is None else {"httpx_args": {"transport": transport}}
    policy = RetryPolicy(sleep=lambda _: None)
    return Medux(DEFAULT_TEST_KEY, base_url=url, retry_policy=policy, **options)


def _titles(url: str) -> list[str | None]:
    lower_layer = AuthenticatedClient(base_url=url, token=DEFAULT_TEST_KEY)
    return [item.additional_properties.get("title") for item in iter_list_avatars(client=lower_layer)]


@pytest.mark.parametrize("code", [1405, 99], ids=["provider-timeout", "server-error"])
def test_recipe_finds_the_avatar_created_despite_the_unknown_outcome_and_does_not_create_it_again(
    mock_url: str, code: int
) -> None:
    transport = FailOneCreate(httpx.HTTPTransport(), attempt=1, code=code, processed=True)

    avatar = _recipe()(_client(mock_url, transport), KNOWN_IMAGE, "Portrait 2026-01-05 #1")

    assert transport.creates == 1
    assert avatar.additional_properties.get("title") == "Portrait 2026-01-05 #1"
    assert _titles(mock_url) == ["Portrait 2026-01-05 #1"]


@pytest.mark.parametrize("code", [1405, 99], ids=["provider-timeout", "server-error"])
def test_recipe_creates_the_avatar_again_when_the_failed_attempt_created_nothing(
    mock_url: str, code: int
) -> None:
    transport = FailOneCreate(httpx.HTTPTransport(), attempt=1, code=code, processed=False)

    avatar = _recipe()(_client(mock_url, transport), KNOWN_IMAGE, "Portrait #2")

    assert transport.creates == 2
    assert str(avatar.avatar_asset_id)
    assert _titles(mock_url) == ["Portrait #2"]


def test_recipe_gives_up_after_its_attempts_when_every_outcome_is_unknown(mock_url: str) -> None:
    always_timing_out = magic_file_id(1405)  # the mock answers 1405 and creates nothing

    with pytest.raises(RuntimeError, match="was not created after 3 attempts"):
        _recipe()(_client(mock_url), always_timing_out, "Portrait #3")

    assert _titles(mock_url) == []


def test_readme_listing_sample_runs_against_the_mock(mock_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUX_API_KEY", DEFAULT_TEST_KEY)
    monkeypatch.setenv("MEDUX_BASE_URL", mock_url)
    client = _client(mock_url)
    titles = [f"Listed {n}" for n in range(3)]
    for title in titles:
        _recipe()(client, KNOWN_IMAGE, title)
    out = io.StringIO()

    with contextlib.redirect_stdout(out):
        exec(compile(_python_block_after("### Listing avatars"), "README.md", "exec"), {})

    printed = out.getvalue().split()
    assert len(printed) == len(set(printed)) == len(titles)
