"""Every operation of the spec is served from its own data, with no mock code naming one.

The made-up ``getWidgetStatus`` of ``contract_tests/fixture_operation.py`` (a GET with a required
string and an optional boolean query parameter, codes 0/12/13) gets a route, validation,
credentials and its codes on demand, from the spec path or the Contract alone.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.fixture_operation import (
    FIXTURE_CODES,
    FIXTURE_METHOD,
    FIXTURE_OPERATION_ID,
    FIXTURE_PATH,
    with_fixture_operation,
    write_fixture_spec,
)
from contract_tests.test_mock.conftest import CONTRACT, MockClient, assert_envelope, auth, call, code_of
from medux_contract.mock import (
    PREFER_HEADER,
    REASON_HEADER,
    MockSettings,
    StatusMode,
    create_app,
    prefer_example,
)
from medux_contract.mock.selection import MAGIC_MARK
from medux_contract.spec import (
    MOCK_KEY,
    SPEC_PATH,
    Contract,
    SpecError,
    contract_of,
    load_contract,
    read_spec,
)

FIXTURE_CONTRACT = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))
WIDGET = FIXTURE_CONTRACT.operation(FIXTURE_OPERATION_ID)
WIDGET_CODES = [pytest.param(outcome, id=outcome.example_name) for outcome in WIDGET.outcomes]


def fixture_check(response: httpx.Response) -> dict[str, Any]:
    return assert_envelope(response, FIXTURE_CONTRACT)


async def widget(client: httpx.AsyncClient, params: Any = None, **options: Any) -> httpx.Response:
    return await call(client, WIDGET, params, **options)


def test_the_fixture_is_what_the_tests_think_it_is() -> None:
    assert (WIDGET.method, WIDGET.path, WIDGET.codes) == (FIXTURE_METHOD, FIXTURE_PATH, FIXTURE_CODES)
    assert CONTRACT.find(FIXTURE_METHOD, FIXTURE_PATH) is None


async def test_the_fixture_spec_file_is_served_with_its_made_up_operation(
    mock_client: MockClient, tmp_path: Path
) -> None:
    spec = write_fixture_spec(tmp_path)
    async with mock_client(spec=spec) as client:
        served = await widget(client, {"widget_id": "widget_1"})
    body = assert_envelope(served, load_contract(spec))
    assert body == WIDGET.success.example


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        pytest.param({}, "widget_id is required", id="missing-widget_id"),
        pytest.param({"widget_id": "w", "verbose": "maybe"}, "not a boolean", id="verbose-maybe"),
        pytest.param({"widget_id": "w", "verbose": "True"}, "not a boolean", id="verbose-capitalised"),
        pytest.param({"widget_id": ""}, "widget_id", id="empty-widget_id"),
        pytest.param({"widget_id": "w" * 41}, "widget_id", id="widget_id-over-maxLength"),
        pytest.param([("widget_id", "a"), ("widget_id", "b")], "given 2 times", id="repeated"),
    ],
)
async def test_the_made_up_get_validates_its_own_query_parameters(
    mock_client: MockClient, params: Any, reason: str
) -> None:
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        response = await widget(client, params)
    assert fixture_check(response)["code"] == code_of("INVALID_INPUT")
    assert reason in response.headers[REASON_HEADER]


@pytest.mark.parametrize("verbose", ["true", "false"])
async def test_the_made_up_get_accepts_its_typed_parameters_and_ignores_extras(
    mock_client: MockClient, verbose: str
) -> None:
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        response = await widget(client, {"widget_id": "w", "verbose": verbose, "colour": "blue"})
    assert fixture_check(response)["code"] == code_of("OK")


async def test_the_made_up_get_needs_credentials(mock_client: MockClient) -> None:
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        response = await widget(client, {"widget_id": "w"}, key=None)
    assert fixture_check(response)["code"] == code_of("UNAUTHENTICATED")


@pytest.mark.parametrize("mode", ["all-200", "mapped"])
@pytest.mark.parametrize("outcome", WIDGET_CODES)
async def test_each_code_of_the_made_up_get_is_reachable_by_prefer_and_by_magic(
    mock_client: MockClient, outcome: Any, mode: StatusMode
) -> None:
    async with mock_client(spec=FIXTURE_CONTRACT, status_mode=mode) as client:
        preferred = await widget(client, {"widget_id": "w"}, headers={PREFER_HEADER: prefer_example(outcome)})
        magic = await widget(client, {"widget_id": f"{MAGIC_MARK}{outcome.value}"})
    assert fixture_check(preferred) == outcome.example
    assert fixture_check(magic)["code"] == outcome.value
    statuses = {preferred.status_code, magic.status_code}
    assert statuses == {FIXTURE_CONTRACT.mock_http_status[outcome.value] if mode == "mapped" else 200}


async def test_a_code_the_made_up_get_cannot_answer_is_neither_magic_nor_an_example(
    mock_client: MockClient,
) -> None:
    other = code_of("INSUFFICIENT_CREDITS")
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        magic = await widget(client, {"widget_id": f"{MAGIC_MARK}{other}"})
        preferred = await widget(client, {"widget_id": "w"}, headers={PREFER_HEADER: prefer_example(other)})
    assert fixture_check(magic)["code"] == code_of("OK")  # an ordinary widget id
    assert fixture_check(preferred)["code"] == code_of("INVALID_INPUT")


async def test_the_made_up_path_with_another_method_yields_405(mock_client: MockClient) -> None:
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        response = await client.post(WIDGET.path, json={})
    assert fixture_check(response)["code"] == code_of("INVALID_INPUT")
    assert (response.status_code, response.headers["Allow"]) == (405, "GET")


async def test_every_operation_of_a_contract_has_a_route(mock_client: MockClient) -> None:
    # Without credentials each one answers 13, never the 404 of a path the mock does not serve.
    async with mock_client(spec=FIXTURE_CONTRACT) as client:
        for operation in FIXTURE_CONTRACT.operations:
            response = await client.request(operation.method.upper(), operation.path)
            assert fixture_check(response)["code"] == code_of("UNAUTHENTICATED"), operation.label
            assert response.status_code == 200


def without_code(document: dict[str, Any], operation_id: str, code: int) -> dict[str, Any]:
    """``document`` with ``code`` taken out of one operation's outcomes and examples."""
    spec = copy.deepcopy(document)
    operation = contract_of(spec).operation(operation_id)
    raw = spec["paths"][operation.path][operation.method]
    raw["x-medux-outcomes"] = [row for row in raw["x-medux-outcomes"] if row["code"] != code]
    examples = raw["responses"]["200"]["content"]["application/json"]["examples"]
    examples.pop(CONTRACT.codes[code].example_name, None)
    return spec


def test_an_operation_with_inputs_that_cannot_answer_12_stops_the_mock_at_start_up() -> None:
    spec = without_code(dict(FIXTURE_CONTRACT.document), FIXTURE_OPERATION_ID, code_of("INVALID_INPUT"))
    with pytest.raises(SpecError, match=f"{FIXTURE_OPERATION_ID}.*INVALID_INPUT"):
        create_app(MockSettings(spec=contract_of(spec)))


async def test_a_step_is_left_out_where_the_operation_cannot_answer_its_code(mock_client: MockClient) -> None:
    # Without 1402 in its outcomes, the POST no longer checks the file's category.
    spec = without_code(dict(CONTRACT.document), "createAvatarByImage", code_of("ASSET_CATEGORY_MISMATCH"))
    async with mock_client(spec=contract_of(spec)) as client:
        response = await client.post(
            CONTRACT.operation("createAvatarByImage").path,
            json={"file_id": "file_voice_audio"},
            headers=auth(),
        )
    assert assert_envelope(response, contract_of(spec))["code"] == code_of("OK")


async def test_a_code_without_a_mapped_status_is_sent_with_200_in_mapped_mode(
    mock_client: MockClient,
) -> None:
    spec = copy.deepcopy(dict(FIXTURE_CONTRACT.document))
    rows = spec[MOCK_KEY]["mapped_http_status"]
    spec[MOCK_KEY]["mapped_http_status"] = [row for row in rows if row["code"] != code_of("UNAUTHENTICATED")]
    unmapped: Contract = contract_of(spec)
    async with mock_client(spec=unmapped, status_mode="mapped") as client:
        response = await widget(client, {"widget_id": "w"}, key=None)
        invalid = await widget(client, {})
    assert (response.status_code, invalid.status_code) == (200, 400)
