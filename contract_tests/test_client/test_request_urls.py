"""The client joins each operation's path to its base URL once, exactly as httpx would on every call."""

from __future__ import annotations

import httpx
import pytest
from medux_avatar_client import AuthenticatedClient, urls
from medux_avatar_client.api.clone import list_avatars

from contract_tests.test_client.support import LIST, LIST_ENDPOINT

BASES = (
    "https://api.medux.io",
    "https://api.medux.io/",
    "https://gateway.example/medux",
    "https://gateway.example/medux/",
    "http://127.0.0.1:4010",
    "http://user@[::1]:8080/a%20b/",
    "https://gateway.example/v?tenant=7",
)
PATHS = (LIST.path, LIST.path.lstrip("/"), "/odd path/ü?x=1", "//twice", "https://elsewhere.example/abs")


def _seen_by_transport(base_url: str, send: object) -> list[httpx.URL]:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=LIST_ENDPOINT.answer(0, 200).json())

    transport = httpx.MockTransport(answer)
    with httpx.Client(base_url=base_url, transport=transport) as http:
        assert callable(send)
        send(http)
    return seen


@pytest.mark.parametrize("base_url", BASES)
@pytest.mark.parametrize("path", PATHS)
def test_joined_url_is_the_one_httpx_builds(base_url: str, path: str) -> None:
    base = httpx.URL(base_url)
    with httpx.Client(base_url=base_url) as http:
        httpx_built = http.build_request("GET", path).url
        assert urls.join(http.base_url, path) == httpx_built
        assert urls.absolute_url(http.base_url, path) == httpx_built
        assert urls.absolute_url(http.base_url, path) is urls.absolute_url(http.base_url, path)
    assert base  # the raw string parses


@pytest.mark.parametrize("base_url", BASES)
def test_operation_call_requests_the_url_httpx_would(base_url: str) -> None:
    def typed(http: httpx.Client) -> None:
        client = AuthenticatedClient(base_url=base_url, token="k")
        client.set_httpx_client(http)
        list_avatars.sync(client=client, limit=5, cursor="c 1/ü")

    def raw(http: httpx.Client) -> None:
        http.request(LIST.method, LIST.path, params={"cursor": "c 1/ü", "limit": 5})

    assert _seen_by_transport(base_url, typed) == _seen_by_transport(base_url, raw)


def test_client_with_another_base_url_is_not_served_from_the_first_ones_cache() -> None:
    first = _seen_by_transport("https://one.example/p/", lambda http: _list(http, "https://one.example/p/"))
    second = _seen_by_transport("https://two.example/q", lambda http: _list(http, "https://two.example/q"))
    assert str(first[0]).startswith("https://one.example/p/api/")
    assert str(second[0]).startswith("https://two.example/q/api/")


def _list(http: httpx.Client, base_url: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token="k")
    client.set_httpx_client(http)
    list_avatars.sync(client=client)


def test_cache_stays_bounded_whatever_paths_and_bases_it_sees() -> None:
    base = httpx.URL("https://api.medux.io/")
    for index in range(urls.MAX_PATHS * 3):
        assert str(urls.absolute_url(base, f"/items/{index}")) == f"https://api.medux.io/items/{index}"
    bases = [httpx.URL(f"https://h{index}.example/") for index in range(urls.MAX_BASES * 3)]
    for other in bases:
        urls.absolute_url(other, "/x")
    held = urls._joined  # the cache itself: its size is the behaviour under test
    assert len(held) <= urls.MAX_BASES
    assert all(len(paths) <= urls.MAX_PATHS for _, paths in held.values())
