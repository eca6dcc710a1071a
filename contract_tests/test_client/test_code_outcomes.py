"""Every code of the spec's table, sync and async, at HTTP 200 and at its mapped status."""

from __future__ import annotations

import httpx
import medux_avatar_client
import pytest
import respx
from medux_avatar_client import exceptions
from medux_avatar_client.models import ResponseCode

from contract_tests.test_client.support import (
    MODES,
    FakeClock,
    Mode,
    create,
    create_detailed,
    envelope,
    make_client,
)
from medux_contract.generation.client_extras import group_class_name
from medux_contract.spec import OPERATION_PATH, CodeEntry, code_table

CASES = [
    pytest.param(entry, status, id=f"{entry.code}-{entry.name}-http{status}")
    for entry in code_table()
    for status in sorted({200, entry.mock_http_status})
]
FAILURES = [entry for entry in code_table() if not entry.is_success]


def _group_base(entry: CodeEntry) -> type[exceptions.MeduxError]:
    base: type[exceptions.MeduxError] = getattr(exceptions, group_class_name(entry.group))
    assert entry.group == base.GROUP
    return base


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("entry", "status"), CASES)
async def test_each_code_returns_the_envelope_or_raises_its_table_exception(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry, status: int
) -> None:
    sent = envelope(entry)
    route = api.post(OPERATION_PATH).mock(return_value=httpx.Response(status, json=sent))
    client = make_client(clock, max_retries=0)

    if entry.is_success:
        result = await create(mode, client)
        assert result.code == entry.code
        assert result.to_dict() == sent
        return

    with pytest.raises(exceptions.MeduxError) as caught:
        await create(mode, client)
    error = caught.value
    assert type(error).__name__ == entry.exception
    assert type(error) is exceptions.ERRORS_BY_CODE[entry.code]
    assert (error.code, error.message, error.http_status) == (entry.code, entry.message, status)
    assert error.envelope == sent
    assert isinstance(error, _group_base(entry))
    assert isinstance(error, exceptions.TransientError) is entry.retryable
    assert (
        entry.code,
        entry.name,
        entry.retryable,
        entry.billable,
    ) == (error.CODE, error.NAME, error.RETRYABLE, error.BILLABLE)
    assert entry.meaning in str(error)
    assert route.call_count == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("entry", "status"), CASES)
async def test_detailed_call_returns_every_code_parsed_with_its_status(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry, status: int
) -> None:
    api.post(OPERATION_PATH).mock(return_value=httpx.Response(status, json=envelope(entry)))

    response = await create_detailed(mode, make_client(clock, max_retries=0))

    assert response.status_code == status
    assert response.parsed is not None
    assert isinstance(response.parsed.code, ResponseCode)
    assert response.parsed.code == entry.code
    assert response.parsed.code.is_known
    assert response.parsed.message == entry.message


@pytest.mark.parametrize("entry", FAILURES, ids=lambda entry: entry.name)
def test_every_error_class_is_exported_from_the_package(entry: CodeEntry) -> None:
    exported = getattr(medux_avatar_client, str(entry.exception))
    assert exported is exceptions.ERRORS_BY_CODE[entry.code]
    assert issubclass(exported, medux_avatar_client.MeduxError)


def test_retryable_codes_are_exactly_the_table_rows_flagged_retryable() -> None:
    assert {entry.code for entry in code_table() if entry.retryable} == exceptions.RETRYABLE_CODES
    transient = {
        code for code, cls in exceptions.ERRORS_BY_CODE.items() if issubclass(cls, exceptions.TransientError)
    }
    assert transient == exceptions.RETRYABLE_CODES


def test_group_bases_do_not_reuse_a_per_code_class_name() -> None:
    per_code = {entry.exception for entry in FAILURES}
    groups = {_group_base(entry).__name__ for entry in FAILURES}
    assert groups.isdisjoint(per_code)
    assert all(name.endswith("Errors") for name in groups)
