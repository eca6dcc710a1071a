"""Every code each operation can answer, sync and async, at HTTP 200 and at its mapped status."""

from __future__ import annotations

import httpx
import medux_avatar_client
import pytest
import respx
from medux_avatar_client import UnknownCodeError, exceptions
from medux_avatar_client.models import ResponseCode

from contract_tests.test_client.support import (
    CONTRACT,
    CREATE_ENDPOINT,
    LIST_ENDPOINT,
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    envelope,
    make_client,
    mock_status,
)
from medux_contract.generation.client_extras import group_class_name
from medux_contract.spec import Code, Outcome, Retry

CASES = [
    pytest.param(endpoint, outcome, status, id=f"{endpoint.id}-{outcome.code.name}-http{status}")
    for endpoint in (CREATE_ENDPOINT, LIST_ENDPOINT)
    for outcome in endpoint.operation.outcomes
    for status in sorted({200, mock_status(outcome.value)})
]
FAILURES = [code for code in CONTRACT.codes if not code.is_success]
# Codes of the table that List Avatars does not list: a server that answers one left the contract.
NOT_LISTED_BY_LIST = [code for code in FAILURES if not LIST_ENDPOINT.operation.answers(code.code)]


def _group_base(code: Code) -> type[exceptions.MeduxError]:
    base: type[exceptions.MeduxError] = getattr(exceptions, group_class_name(code.group))
    assert code.group == base.GROUP
    return base


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome", "status"), CASES)
async def test_each_code_returns_the_envelope_or_raises_its_table_exception(
    *, api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome, status: int
) -> None:
    sent = envelope(endpoint.operation, outcome.value)
    route = endpoint.route(api).mock(return_value=httpx.Response(status, json=sent))
    client = make_client(clock, max_retries=0)

    if outcome.is_success:
        result = await endpoint.call(mode, client)
        assert result.code == outcome.value
        assert result.to_dict() == sent
        return

    with pytest.raises(exceptions.MeduxError) as caught:
        await endpoint.call(mode, client)
    error, code = caught.value, outcome.code
    assert type(error).__name__ == code.exception
    assert type(error) is exceptions.ERRORS_BY_CODE[code.code]
    assert (error.code, error.message, error.http_status) == (code.code, code.message, status)
    assert error.envelope == sent
    assert isinstance(error, _group_base(code))
    assert isinstance(error, exceptions.TransientError) is (code.retry is Retry.ALWAYS)
    assert (code.code, code.name, code.retry.value) == (error.CODE, error.NAME, error.RETRY)
    # What the code means for this operation travels on the instance.
    assert (error.operation, error.billable, error.retry_safe) == (
        endpoint.id,
        outcome.billable,
        outcome.retry_safe,
    )
    assert code.meaning in str(error)
    assert route.call_count == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome", "status"), CASES)
async def test_detailed_call_returns_every_code_parsed_with_its_status(
    *, api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome, status: int
) -> None:
    endpoint.route(api).mock(
        return_value=httpx.Response(status, json=envelope(endpoint.operation, outcome.value))
    )

    response = await endpoint.call_detailed(mode, make_client(clock, max_retries=0))

    assert response.status_code == status
    assert response.parsed is not None
    assert isinstance(response.parsed.code, ResponseCode)
    assert response.parsed.code == outcome.value
    assert response.parsed.code.is_known
    assert response.parsed.message == outcome.code.message


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("code", NOT_LISTED_BY_LIST, ids=lambda code: code.name)
async def test_a_code_the_list_does_not_answer_is_unknown_there_and_never_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, code: Code
) -> None:
    sent = {"code": code.code, "message": code.message}
    route = LIST_ENDPOINT.route(api).mock(return_value=httpx.Response(mock_status(code.code), json=sent))

    with pytest.raises(UnknownCodeError) as caught:
        await LIST_ENDPOINT.call(mode, make_client(clock, max_retries=3))

    error = caught.value
    assert type(error) is UnknownCodeError
    assert error.known_as is exceptions.ERRORS_BY_CODE[code.code]  # what it would be where it is listed
    assert (error.code, error.message, error.operation) == (code.code, code.message, LIST_ENDPOINT.id)
    assert f"not an answer {LIST_ENDPOINT.id} lists" in str(error)
    assert (error.billable, error.retry_safe) == (None, False)
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("code", FAILURES, ids=lambda code: code.name)
def test_every_error_class_is_exported_from_the_package(code: Code) -> None:
    exported = getattr(medux_avatar_client, str(code.exception))
    assert exported is exceptions.ERRORS_BY_CODE[code.code]
    assert issubclass(exported, medux_avatar_client.MeduxError)


def test_transient_errors_are_exactly_the_codes_any_request_may_repeat() -> None:
    transient = {
        code for code, cls in exceptions.ERRORS_BY_CODE.items() if issubclass(cls, exceptions.TransientError)
    }
    assert transient == {code.code for code in CONTRACT.codes if code.retry is Retry.ALWAYS}
    # A code whose repeat could create a second avatar must not invite `except TransientError: retry`.
    assert all(CONTRACT.codes[code].retry is not Retry.IF_IDEMPOTENT for code in transient)


def test_group_bases_do_not_reuse_a_per_code_class_name() -> None:
    per_code = {code.exception for code in FAILURES}
    groups = {_group_base(code).__name__ for code in FAILURES}
    assert groups.isdisjoint(per_code)
    assert all(name.endswith("Failure") for name in groups)
