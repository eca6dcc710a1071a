"""The mock as `make mock` serves it: uvicorn on a loopback port, called with the generated client."""

from __future__ import annotations

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

from contract_tests.mock_server import magic_file_id
from contract_tests.spec import REPO_ROOT
from contract_tests.test_mock.conftest import code_of

CANARY = "sk_test_CANARY_served_41d8cd98"
START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "contract_tests.mock_server", *args],
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


@pytest.fixture
def served() -> Iterator[Served]:
    port = free_port()
    process = start("--port", str(port), "--api-key", CANARY)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_serving(process, base_url)
        yield Served(process, base_url)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_served_mock_answers_the_generated_client_and_stops_cleanly_on_ctrl_c(served: Served) -> None:
    with AuthenticatedClient(base_url=served.base_url, token=CANARY) as client:
        ok = sync_detailed(client=client, body=CreateAvatarByImageRequest(file_id="FILE_ID", title="Served"))
        provider = sync_detailed(
            client=client, body=CreateAvatarByImageRequest(file_id=magic_file_id(code_of("PROVIDER_ERROR")))
        )
    with AuthenticatedClient(base_url=served.base_url, token="sk_wrong") as stranger:
        refused = sync_detailed(client=stranger, body=CreateAvatarByImageRequest(file_id="FILE_ID"))

    stdout, stderr = interrupt(served.process)

    assert ok.status_code == 200
    assert ok.parsed is not None
    assert ok.parsed.code == code_of("OK")
    assert ok.parsed.data.asset.additional_properties["title"] == "Served"  # type: ignore[union-attr]
    assert ok.headers["content-type"] == "application/json"
    assert provider.parsed is not None
    assert provider.parsed.code == code_of("PROVIDER_ERROR")
    assert refused.parsed is not None
    assert refused.parsed.code == code_of("UNAUTHENTICATED")

    assert served.process.returncode == 0
    assert "Traceback" not in stderr + stdout
    request_lines = [line for line in stderr.splitlines() if "medux.mock:" in line]
    assert len(request_lines) == 4  # the readiness probe and three calls
    assert CANARY not in stderr + stdout
    assert re.search(r"Shutting down", stderr)


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
    assert "-m contract_tests.mock_server --port $(MEDUX_MOCK_PORT)" in makefile
    assert re.search(r"^MEDUX_MOCK_PORT \?= 4010$", makefile, re.MULTILINE)
