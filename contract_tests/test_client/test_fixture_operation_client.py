"""A made-up third operation (a GET with its own small code set) gets its client with no code change.

The client is rendered from openapi.yaml plus ``getWidgetStatus`` (contract_tests/fixture_operation.py)
into a temporary directory, and probed in a fresh interpreter, never through generated/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from contract_tests.fixture_operation import (
    FIXTURE_CODES,
    FIXTURE_OPERATION_ID,
    FIXTURE_PATH,
    write_fixture_spec,
)
from medux_contract.generation.client_extras import errors_table
from medux_contract.generation.client_generation import render_client
from medux_contract.spec import contract_of, read_spec

PROBE = textwrap.dedent(
    """
    import asyncio, json, sys
    import httpx, respx
    from medux_avatar_client import AuthenticatedClient, InvalidInputError, InsufficientCreditsError
    from medux_avatar_client import RetryPolicy, UnknownCodeError, pagination
    from medux_avatar_client.api.clone import create_avatar_by_image, get_widget_status, list_avatars
    from medux_avatar_client.operations import OPERATIONS

    path = sys.argv[1]
    sleeps = []
    client = AuthenticatedClient(
        base_url="https://api.medux.io", token="k",
        retry_policy=RetryPolicy(sleep=sleeps.append, random=lambda: 0.0),
    )
    ok = {"code": 0, "message": "ok", "data": {"widget": {"state": "ready"}}}
    report = {}
    with respx.mock(base_url="https://api.medux.io") as api:
        route = api.get(path).mock(side_effect=[httpx.ReadTimeout("lost"), httpx.Response(200, json=ok)])
        result = get_widget_status.sync(client=client, widget_id="w1", verbose=True)
        report["success"] = [result.code, result.data.widget.state]
        report["read_timeout_calls"] = route.call_count
        report["query"] = dict(route.calls.last.request.url.params)
        # The resource-style client got the made-up operation as a method of its tag's resource.
        from medux_avatar_client import Medux
        route = api.get(path).mock(return_value=httpx.Response(200, json=ok))
        medux = Medux("k", base_url="https://api.medux.io")
        facade = medux.clone.get_widget_status(widget_id="w2", verbose=False)
        report["facade"] = [facade.data.widget.state, dict(route.calls.last.request.url.params)]

        def raised(answer):
            route = api.get(path).mock(return_value=answer)
            before = route.call_count  # respx keeps one route per pattern, and its count
            try:
                get_widget_status.sync(client=client, widget_id="w1")
            except Exception as error:
                return {
                    "class": type(error).__name__,
                    "operation": getattr(error, "operation", None),
                    "billable": getattr(error, "billable", None),
                    "known_as": getattr(getattr(error, "known_as", None), "__name__", None),
                    "calls": route.call_count - before,
                }

        report["12"] = raised(httpx.Response(400, json={"code": 12, "message": "invalid input"}))
        report["1401"] = raised(httpx.Response(402, json={"code": 1401, "message": "insufficient credits"}))
        report["99"] = raised(httpx.Response(500, json={"code": 99, "message": "server error"}))

        async def detailed():
            api.get(path).mock(return_value=httpx.Response(200, json=ok))
            return (await get_widget_status.asyncio_detailed(client=client, widget_id="w1")).status_code

        report["async_detailed_status"] = int(asyncio.run(detailed()))
    rules = OPERATIONS["get_widget_status"]
    report["rules"] = {
        "operation_id": rules.operation_id,
        "idempotent": rules.idempotent,
        "codes": sorted(rules.codes),
        "retry_codes": sorted(rules.retry_codes),
    }
    report["paged"] = sorted(name for name in pagination.__all__)
    report["sleeps"] = sleeps
    print(json.dumps(report))
    """
)


@pytest.fixture(scope="module")
def fixture_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("fixture-client")
    render_client(work / "client", write_fixture_spec(work))
    return work / "client"


def _probe(client_root: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, FIXTURE_PATH],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(client_root)},
        cwd=client_root,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_fixture_operation_gets_calls_typed_errors_and_read_retries(fixture_client: Path) -> None:
    report = _probe(fixture_client)

    assert report["success"] == [0, "ready"]
    assert report["query"] == {"widget_id": "w1", "verbose": "true"}
    assert report["facade"] == ["ready", {"widget_id": "w2", "verbose": "false"}]
    assert report["async_detailed_status"] == 200
    # A GET: the read timeout was retried once, then the answer came.
    assert report["read_timeout_calls"] == 2
    assert report["sleeps"] == [0.5]
    assert report["rules"] == {
        "operation_id": FIXTURE_OPERATION_ID,
        "idempotent": True,
        "codes": sorted(FIXTURE_CODES),
        "retry_codes": [],
    }
    assert report["12"] == {
        "class": "InvalidInputError",
        "operation": FIXTURE_OPERATION_ID,
        "billable": False,
        "known_as": None,
        "calls": 1,
    }
    # Codes of the table the fixture does not list: unknown there, whatever they mean elsewhere.
    assert report["1401"]["class"] == "UnknownCodeError"
    assert report["1401"]["known_as"] == "InsufficientCreditsError"
    assert (report["99"]["class"], report["99"]["known_as"], report["99"]["calls"]) == (
        "UnknownCodeError",
        "InternalServerError",
        1,
    )
    # Not paged (no cursor parameter): only the real list has iterators.
    assert report["paged"] == [
        "aiter_list_avatars",
        "aiter_list_avatars_pages",
        "iter_list_avatars",
        "iter_list_avatars_pages",
    ]


USES_THE_TYPED_RESULT = textwrap.dedent(
    """
    from medux_avatar_client import AuthenticatedClient
    from medux_avatar_client.api.clone import get_widget_status


    def widget_state(client: AuthenticatedClient) -> object:
        # Code 0 carries `widget`: no `Unset` to rule out before reading it.
        return get_widget_status.sync(client=client, widget_id="w1").data.widget.state
    """
)


def test_fixture_client_type_checks_strictly(fixture_client: Path) -> None:
    (fixture_client / "uses_the_typed_result.py").write_text(USES_THE_TYPED_RESULT, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "medux_avatar_client",
            "uses_the_typed_result.py",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=fixture_client,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_fixture_operation_has_its_columns_in_the_errors_table(fixture_client: Path) -> None:
    table = (fixture_client / "ERRORS.md").read_text(encoding="utf-8")
    contract = contract_of(read_spec(fixture_client.parent / "openapi.yaml"))
    assert table.strip() == errors_table(contract)
    header, _, *rows = table.strip().splitlines()
    assert f"Retried by `{FIXTURE_OPERATION_ID}`" in header
    unauthenticated = next(row for row in rows if row.startswith("| 13 |"))
    insufficient = next(row for row in rows if row.startswith("| 1401 |"))
    assert unauthenticated.endswith("| no | no |")  # the fixture's columns come last
    assert insufficient.endswith("| (not an answer: `UnknownCodeError`) | unknown |")
