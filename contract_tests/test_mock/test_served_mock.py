"""The mock as `make mock` serves it: uvicorn on a loopback port, called with the generated client."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from medux_avatar_client import AuthenticatedClient
from medux_avatar_client.api.clone.create_avatar_by_image import sync_detailed
from medux_avatar_client.models import CreateAvatarByImageRequest

from contract_tests.test_mock.conftest import LIST, code_of
from medux_contract.loopback import free_port
from medux_contract.mock import magic_file_id
from medux_contract.spec import REPO_ROOT

CANARY = "sk_test_CANARY_served_41d8cd98"
START_TIMEOUT = 20.0


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "medux_contract.mock", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so the test can send Ctrl-C as a terminal does
    )


def wait_until_serving(process: subprocess.Popen[str], base_url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the mock exited with {process.returncode}: {process.communicate()[1]}")
        try:
            httpx.get(base_url + "/", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail("the mock did not answer in time")


def interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    os.killpg(process.pid, signal.SIGINT)
    return process.communicate(timeout=START_TIMEOUT)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """One served mock for the module's HTTP-level tests (the Ctrl-C test starts its own)."""
    port = free_port()
    process = start("--port", str(port), "--api-key", CANARY)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_serving(process, base_url)
        yield Served(process, base_url)
    finally:
        if process.poll() is None:
            interrupt(process)


def test_served_mock_answers_the_generated_client(served: Served) -> None:
    with AuthenticatedClient(base_url=served.base_url, token=CANARY) as client:
        ok = sync_detailed(client=client, body=CreateAvatarByImageRequest(file_id="FILE_ID", title="Served"))
        provider = sync_detailed(
            client=client, body=CreateAvatarByImageRequest(file_id=magic_file_id(code_of("PROVIDER_ERROR")))
        )
    with AuthenticatedClient(base_url=served.base_url, token="sk_wrong") as stranger:
        refused = sync_detailed(client=stranger, body=CreateAvatarByImageRequest(file_id="FILE_ID"))

    assert ok.status_code == 200
    assert ok.headers["content-type"] == "application/json"
    assert ok.parsed is not None
    assert ok.parsed.code == code_of("OK")
    assert ok.parsed.data.asset.additional_properties["title"] == "Served"  # type: ignore[union-attr]
    assert provider.parsed is not None
    assert provider.parsed.code == code_of("PROVIDER_ERROR")
    assert refused.parsed is not None
    assert refused.parsed.code == code_of("UNAUTHENTICATED")


def test_served_mock_lists_what_it_created_and_asks_for_credentials(served: Served) -> None:
    with AuthenticatedClient(base_url=served.base_url, token=CANARY) as client:
        created = sync_detailed(
            client=client, body=CreateAvatarByImageRequest(file_id="FILE_ID", title="Listed")
        )
    assert created.parsed is not None
    asset_id = created.parsed.data.asset.avatar_asset_id  # type: ignore[union-attr]
    listed, cursor = [], None
    with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {CANARY}"}) as raw:
        while True:
            data = raw.get(LIST.path, params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()[
                "data"
            ]
            listed += data["items"]
            cursor = data.get("next_cursor")
            if cursor is None:
                break
        stranger = raw.get(LIST.path, headers={"Authorization": "Bearer sk_wrong"}).json()
    assert {"avatar_asset_id": asset_id, "title": "Listed"} in listed
    assert stranger["code"] == code_of("UNAUTHENTICATED")


def raw_exchange(base_url: str, request: bytes) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(
            b"POST /api/app/v1/clone/avatar/by_image HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nx",
            id="unreadable-content-length",
        ),
        pytest.param(b"GARBAGE\r\n\r\n", id="garbage-request-line"),
        pytest.param(b"POST / HTTP/1.1\r\nHost x\r\n\r\n", id="header-without-colon"),
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            id="length-and-chunked",
        ),
    ],
)
def test_malformed_http_still_gets_an_envelope(served: Served, request_bytes: bytes) -> None:
    answer = raw_exchange(served.base_url, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer
    assert b"content-type: application/json" in head.lower()
    assert json.loads(body)["code"] == code_of("INVALID_INPUT")


def test_control_characters_in_the_path_still_get_an_envelope(served: Served) -> None:
    # schemathesis's CLI sends such a probe on every run; the reason header must stay sendable.
    answer = raw_exchange(
        served.base_url, b"GET /probe%5C%1B%01%7F HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404 "), answer
    assert json.loads(body)["code"] == code_of("INVALID_INPUT")


def test_served_mock_stops_cleanly_on_ctrl_c_and_logs_no_key() -> None:
    port = free_port()
    process = start("--port", str(port), "--api-key", CANARY)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_serving(process, base_url)
        with AuthenticatedClient(base_url=base_url, token=CANARY) as client:
            answer = sync_detailed(client=client, body=CreateAvatarByImageRequest(file_id="FILE_ID"))
        stdout, stderr = interrupt(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert answer.parsed is not None
    assert answer.parsed.code == code_of("OK")
    assert process.returncode == 0
    assert "Traceback" not in stderr + stdout
    assert len([line for line in stderr.splitlines() if "medux.mock:" in line]) == 2  # probe + call
    assert CANARY not in stderr + stdout
    assert "Shutting down" in stderr


def test_port_in_use_fails_with_a_message_not_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = start("--port", str(taken.getsockname()[1]))
        stdout, stderr = process.communicate(timeout=START_TIMEOUT)
    assert process.returncode != 0
    assert "address already in use" in stderr.lower()
    assert "Traceback" not in stderr + stdout


def test_make_mock_runs_this_entry_point() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert ".venv/bin/medux-mock --port $(MEDUX_MOCK_PORT)" in makefile  # console script of cli.main
    assert re.search(r"^MEDUX_MOCK_PORT \?= 4010$", makefile, re.MULTILINE)
