"""The curl and Python samples are written from the spec, and both really work when run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract_tests.test_docs.conftest import RecordingServer
from medux_contract.docs.code_samples import (
    API_KEY_ENV,
    curl_sample,
    python_sample,
    request_example,
    success_attribute,
)
from medux_contract.spec import (
    OPERATION_PATH,
    CodeEntry,
    SpecError,
    code_table,
    load_spec,
    operation,
)

TEST_KEY = "sk-docs-sample-test"


def sample_env() -> dict[str, str]:
    # A CI proxy must not swallow the loopback call.
    return {**os.environ, API_KEY_ENV: TEST_KEY, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


def assert_sent_the_official_example(server: RecordingServer) -> None:
    [request] = server.requests
    assert request.path == OPERATION_PATH
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == request_example(load_spec())[1]


def test_curl_sample_sends_the_official_example_with_the_bearer_key(
    recording_server: RecordingServer,
) -> None:
    if shutil.which("curl") is None:
        pytest.fail("curl is not installed: apt-get install curl (the curl sample is run for real)")
    source = curl_sample(load_spec(), base_url=recording_server.base_url)
    result = subprocess.run(
        ["bash", "-c", source], env=sample_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert_sent_the_official_example(recording_server)
    assert json.loads(result.stdout) == recording_server.answer


def example_answer(entry: CodeEntry) -> dict[str, Any]:
    media = operation(load_spec())["responses"]["200"]["content"]["application/json"]
    return dict(media["examples"][entry.example_name]["value"])


@pytest.mark.parametrize(
    # A retryable code makes the client wait and retry: the same path with a slower clock.
    "entry",
    [entry for entry in code_table() if not entry.retryable],
    ids=lambda entry: entry.name,
)
def test_python_sample_runs_with_the_generated_client(
    recording_server: RecordingServer, entry: CodeEntry
) -> None:
    recording_server.answer = example_answer(entry)
    source = python_sample(load_spec(), base_url=recording_server.base_url)
    env = sample_env()
    result = subprocess.run(
        [sys.executable, "-c", source], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert_sent_the_official_example(recording_server)
    if entry.is_success:
        attribute = success_attribute(load_spec())
        assert attribute is not None
        value: Any = recording_server.answer
        for name in attribute.split("."):
            value = value[name]
        assert result.stdout.strip() == str(value)
    else:
        assert result.stdout.strip() == f"failed: {entry.code} {entry.message}"


def test_python_sample_is_clean_for_ruff(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(python_sample(load_spec()), encoding="utf-8")
    for command in (["check", "--isolated", "--select", "E,F,W,I,UP,B"], ["format", "--check", "--isolated"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--line-length", "110", str(sample)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_samples_name_the_published_server_not_a_test_one() -> None:
    url = load_spec()["servers"][0]["url"]
    assert f"{url}{OPERATION_PATH}" in curl_sample(load_spec())
    assert f'base_url="{url}"' in python_sample(load_spec())


def test_samples_follow_changes_to_the_spec(spec: dict[str, Any]) -> None:
    spec["servers"][0]["url"] = "https://eu.api.medux.io"
    media = operation(spec)["requestBody"]["content"]["application/json"]
    first = next(iter(media["examples"].values()))
    first["value"] = {"file_id": "file-42", "title": "It's renamed"}
    operation(spec)["operationId"] = "cloneAvatarFromImage"

    curl = curl_sample(spec)
    python = python_sample(spec)
    assert "https://eu.api.medux.io/api/app/v1/clone/avatar/by_image" in curl
    assert json.dumps(first["value"]).replace("'", "'\"'\"'") in curl
    assert 'file_id="file-42",' in python
    assert 'title="It\'s renamed",' in python
    assert "import clone_avatar_from_image" in python
    assert "clone_avatar_from_image.sync(client=client, body=body)" in python


def test_a_spec_without_bearer_auth_cannot_get_samples(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["bearerAuth"] = {"type": "apiKey", "in": "header", "name": "X-Key"}
    with pytest.raises(SpecError, match="bearer"):
        curl_sample(spec)
    with pytest.raises(SpecError, match="bearer"):
        python_sample(spec)


def test_a_request_body_without_examples_cannot_get_samples(spec: dict[str, Any]) -> None:
    del operation(spec)["requestBody"]["content"]["application/json"]["examples"]
    with pytest.raises(SpecError, match="no named example"):
        curl_sample(spec)
