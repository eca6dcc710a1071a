"""The curl and Python samples are written from the spec per operation, follow its method, and run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, FIXTURE_PATH, with_fixture_operation
from contract_tests.test_docs.conftest import RecordingServer
from medux_contract.docs.code_samples import (
    API_KEY_ENV,
    curl_sample,
    pagination_sample,
    python_sample,
    request_example,
    sample_arguments,
    success_view,
)
from medux_contract.docs.paging import paging
from medux_contract.envelope import build_envelope
from medux_contract.spec import Operation, Outcome, SpecError, contract_of, load_contract, load_spec
from medux_contract.spec.refs import lookup

TEST_KEY = "sk-docs-sample-test"
CONTRACT = load_contract()
OPERATIONS = CONTRACT.operations


def op_id(operation: Operation) -> str:
    return operation.operation_id


def sample_env() -> dict[str, str]:
    # A CI proxy must not swallow the loopback call.
    return {**os.environ, API_KEY_ENV: TEST_KEY, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


def expected_query(operation: Operation) -> list[tuple[str, str]]:
    return [
        (parameter.name, value if isinstance(value, str) else json.dumps(value))
        for parameter, value in sample_arguments(CONTRACT, operation)
    ]


def assert_sent_the_operations_request(server: RecordingServer, operation: Operation) -> None:
    [request] = server.requests
    assert (request.method, request.path) == (operation.method.upper(), operation.path)
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.query == expected_query(operation)
    if operation.has_body:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.body) == request_example(operation)[1]
    else:
        assert request.body == b""


def run_python(source: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", source],
        env=sample_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_curl(source: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("curl") is None:
        pytest.fail("curl is not installed: apt-get install curl (the curl sample is run for real)")
    return subprocess.run(
        ["bash", "-c", source], env=sample_env(), capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("operation", OPERATIONS, ids=op_id)
def test_curl_sample_sends_the_operations_request_with_the_bearer_key(
    recording_server: RecordingServer, operation: Operation
) -> None:
    result = run_curl(curl_sample(CONTRACT, operation, base_url=recording_server.base_url))
    assert result.returncode == 0, result.stderr
    assert_sent_the_operations_request(recording_server, operation)
    assert json.loads(result.stdout) == build_envelope(operation, 0)


def test_get_samples_send_query_parameters_and_post_samples_a_body() -> None:
    methods = {operation.method for operation in OPERATIONS}
    assert {"get", "post"} <= methods, "the spec should document both kinds of sample"
    for operation in OPERATIONS:
        curl = curl_sample(CONTRACT, operation)
        python = python_sample(CONTRACT, operation)
        if operation.method == "get":
            assert "curl -G " in curl
            assert "-d " not in curl
            assert "--data-urlencode limit=20" in curl
            assert "body=" not in python
            assert "limit=20)" in python
        else:
            assert f"curl -X {operation.method.upper()} " in curl
            assert "  -d '" in curl
            assert "--data-urlencode" not in curl
            assert "body=body" in python


def test_a_paged_operation_shows_how_to_ask_for_the_next_page() -> None:
    paged = [op for op in OPERATIONS if any(p.name == "cursor" for p in op.parameters)]
    assert paged, "List Avatars pages"
    for operation in paged:
        curl = curl_sample(CONTRACT, operation)
        assert '--data-urlencode "cursor=$NEXT_CURSOR"' in curl
        assert "cursor=" not in "".join(line for line in curl.splitlines() if not line.startswith("#"))
        assert "cursor=" not in python_sample(CONTRACT, operation)


def paged_operations() -> list[Operation]:
    paged = [operation for operation in OPERATIONS if paging(CONTRACT, operation) is not None]
    assert paged, "List Avatars pages"
    return paged


def page_of(operation: Operation, ids: list[str], next_cursor: str | None) -> dict[str, Any]:
    envelope = build_envelope(operation, 0)
    data: dict[str, Any] = {"items": [{"avatar_asset_id": asset_id} for asset_id in ids]}
    if next_cursor is not None:
        data["next_cursor"] = next_cursor
    return {**envelope, "data": data}


@pytest.mark.parametrize("operation", paged_operations(), ids=op_id)
def test_pagination_sample_follows_next_cursor_to_the_last_page(
    recording_server: RecordingServer, operation: Operation
) -> None:
    recording_server.queued = [
        page_of(operation, ["avatar_1", "avatar_2"], "opaque-1"),
        page_of(operation, ["avatar_3"], "opaque-2"),
        page_of(operation, [], None),
    ]
    source = pagination_sample(CONTRACT, operation, base_url=recording_server.base_url)
    assert source is not None
    result = run_python(source)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["avatar_1", "avatar_2", "avatar_3"]
    first_page = expected_query(operation)
    assert [request.query for request in recording_server.requests] == [
        first_page,
        [("cursor", "opaque-1"), *first_page],
        [("cursor", "opaque-2"), *first_page],
    ]


def test_only_paged_operations_get_a_pagination_sample() -> None:
    for operation in OPERATIONS:
        assert (pagination_sample(CONTRACT, operation) is None) == (paging(CONTRACT, operation) is None)


def outcomes_run_without_retry() -> list[tuple[Operation, Outcome]]:
    # A retry-safe code makes the client wait and retry: the same path with a slower clock.
    return [(op, outcome) for op in OPERATIONS for outcome in op.outcomes if not outcome.retry_safe]


@pytest.mark.parametrize(
    ("operation", "outcome"),
    outcomes_run_without_retry(),
    ids=lambda value: value.operation_id if isinstance(value, Operation) else value.code.name,
)
def test_python_sample_runs_with_the_generated_client(
    recording_server: RecordingServer, operation: Operation, outcome: Outcome
) -> None:
    recording_server.answer = build_envelope(operation, outcome.value)
    source = python_sample(CONTRACT, operation, base_url=recording_server.base_url)
    result = run_python(source)
    assert result.returncode == 0, result.stderr
    assert_sent_the_operations_request(recording_server, operation)
    if outcome.is_success:
        view = success_view(CONTRACT, operation)
        assert view is not None
        printed = view.printed(recording_server.answer)
        assert printed, "the success example should give the sample something to print"
        assert result.stdout.splitlines() == printed
    else:
        assert result.stdout.strip() == f"failed: {outcome.value} {outcome.code.message}"


def python_sources() -> list[tuple[str, str]]:
    sources = [(op.operation_id, python_sample(CONTRACT, op)) for op in OPERATIONS]
    for operation in OPERATIONS:
        every_page = pagination_sample(CONTRACT, operation)
        if every_page is not None:
            sources.append((f"{operation.operation_id}-every-page", every_page))
    return sources


@pytest.mark.parametrize(("name", "source"), python_sources(), ids=[name for name, _ in python_sources()])
def test_python_samples_are_clean_for_ruff(tmp_path: Path, name: str, source: str) -> None:
    sample = tmp_path / f"{name}.py"
    sample.write_text(source, encoding="utf-8")
    for command in (["check", "--isolated", "--select", "E,F,W,I,UP,B"], ["format", "--check", "--isolated"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--line-length", "110", str(sample)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("operation", OPERATIONS, ids=op_id)
def test_samples_name_the_published_server_not_a_test_one(operation: Operation) -> None:
    url = load_spec()["servers"][0]["url"]
    assert f"{url}{operation.path}" in curl_sample(CONTRACT, operation)
    assert f'base_url="{url}"' in python_sample(CONTRACT, operation)


def _operation_node(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    node = lookup(spec, load_contract().operation(operation_id).pointer, operation_id)
    assert isinstance(node, dict)
    return node


def _post(spec: dict[str, Any]) -> dict[str, Any]:
    [post] = [op for op in OPERATIONS if op.method == "post"]
    return _operation_node(spec, post.operation_id)


def test_samples_follow_changes_to_the_spec(spec: dict[str, Any]) -> None:
    spec["servers"][0]["url"] = "https://eu.api.medux.io"
    post = _post(spec)
    first = next(iter(post["requestBody"]["content"]["application/json"]["examples"].values()))
    first["value"] = {"file_id": "file-42", "title": "It's renamed"}
    post["operationId"] = "cloneAvatarFromImage"
    [get] = [_operation_node(spec, op.operation_id) for op in OPERATIONS if op.method == "get"]
    limit = next(p for p in get["parameters"] if p["name"] == "limit")
    limit["example"] = 7
    contract = contract_of(spec)

    renamed = contract.operation("cloneAvatarFromImage")
    curl = curl_sample(contract, renamed)
    python = python_sample(contract, renamed)
    assert "https://eu.api.medux.io/api/app/v1/clone/avatar/by_image" in curl
    assert json.dumps(first["value"]).replace("'", "'\"'\"'") in curl
    assert 'file_id="file-42",' in python
    assert 'title="It\'s renamed",' in python
    assert "import clone_avatar_from_image" in python
    assert "clone_avatar_from_image.sync(client=client, body=body)" in python
    [listing] = [op for op in contract.operations if op.method == "get"]
    assert "--data-urlencode limit=7" in curl_sample(contract, listing)
    assert "limit=7)" in python_sample(contract, listing)


def test_the_fixture_operation_gets_query_samples_with_no_code_change(
    recording_server: RecordingServer,
) -> None:
    contract = contract_of(with_fixture_operation(load_spec()))
    fixture = contract.operation(FIXTURE_OPERATION_ID)
    recording_server.answer = build_envelope(fixture, 0)
    result = run_curl(curl_sample(contract, fixture, base_url=recording_server.base_url))
    assert result.returncode == 0, result.stderr
    [request] = recording_server.requests
    assert (request.method, request.path) == ("GET", FIXTURE_PATH)
    assert request.query == [("widget_id", "widget_1"), ("verbose", "true")]
    python = python_sample(contract, fixture)
    assert "from medux_avatar_client.api.clone import get_widget_status" in python
    assert 'get_widget_status.sync(client=client, widget_id="widget_1", verbose=True)' in python
    assert "print(envelope.data.widget.state)" in python


def test_a_spec_without_bearer_auth_cannot_get_samples(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["bearerAuth"] = {"type": "apiKey", "in": "header", "name": "X-Key"}
    contract = contract_of(spec)
    for operation in contract.operations:
        with pytest.raises(SpecError, match="bearer"):
            curl_sample(contract, operation)
        with pytest.raises(SpecError, match="bearer"):
            python_sample(contract, operation)


def test_a_request_body_without_examples_cannot_get_samples(spec: dict[str, Any]) -> None:
    del _post(spec)["requestBody"]["content"]["application/json"]["examples"]
    contract = contract_of(spec)
    [post] = [op for op in contract.operations if op.method == "post"]
    with pytest.raises(SpecError, match="no named example"):
        curl_sample(contract, post)


def test_a_required_parameter_without_an_example_cannot_get_samples(spec: dict[str, Any]) -> None:
    fixture_spec = with_fixture_operation(spec)
    widget_id = fixture_spec["paths"][FIXTURE_PATH]["get"]["parameters"][0]
    del widget_id["example"]
    contract = contract_of(fixture_spec)
    with pytest.raises(SpecError, match="widget_id of getWidgetStatus needs an example"):
        curl_sample(contract, contract.operation(FIXTURE_OPERATION_ID))
