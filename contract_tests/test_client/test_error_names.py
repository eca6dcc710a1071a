"""Error names a caller cannot confuse, and families that catch every code in them."""

from __future__ import annotations

import typing
from typing import Literal

import httpx
import medux_avatar_client
import pytest
import respx
from medux_avatar_client import MeduxError, exceptions

from contract_tests.test_client.support import CONTRACT, CREATE_ENDPOINT, FakeClock, envelope, make_client
from medux_contract.generation.client_extras import group_class_name
from medux_contract.spec import Code

FAILURES = [code for code in CONTRACT.codes if not code.is_success]
GROUPS = sorted({code.group for code in FAILURES})


def _error_names() -> list[str]:
    return [
        name
        for name in medux_avatar_client.__all__
        if isinstance(getattr(medux_avatar_client, name), type)
        and issubclass(getattr(medux_avatar_client, name), MeduxError)
    ]


def _one_letter_apart(left: str, right: str) -> bool:
    a, b = sorted((left.lower(), right.lower()), key=len)
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    return len(b) - len(a) == 1 and any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def test_no_two_error_classes_differ_by_one_letter() -> None:
    names = _error_names()
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _one_letter_apart(a, b)]
    assert pairs == []
    # The pairs the old names made (ProviderError / ProviderErrors, ServerError / ServerErrors) are gone.
    assert not {"ProviderErrors", "ServerErrors", "AuthenticationErrors"} & set(names)


@pytest.mark.parametrize("group", GROUPS)
def test_each_family_base_is_a_superclass_of_every_code_in_the_family(group: str) -> None:
    base = getattr(exceptions, group_class_name(group))
    members = {code.code for code in FAILURES if code.group == group}
    caught = {code.code for code in FAILURES if issubclass(exceptions.ERRORS_BY_CODE[code.code], base)}
    assert caught == members


@pytest.mark.parametrize(
    "code", [c for c in FAILURES if c.group == "provider"], ids=lambda c: c.exception or str(c.code)
)
def test_catching_the_provider_family_catches_provider_error_and_provider_timeout_alike(
    api: respx.MockRouter, clock: FakeClock, code: Code
) -> None:
    CREATE_ENDPOINT.route(api).mock(
        return_value=httpx.Response(502, json=envelope(CREATE_ENDPOINT.operation, code.code))
    )
    caught: exceptions.MeduxError | None = None
    try:
        CREATE_ENDPOINT.module.sync(client=make_client(clock), **CREATE_ENDPOINT.arguments())
    except exceptions.ProviderFailure as error:
        caught = error
    assert caught is not None
    assert caught.code == code.code
    assert type(caught).__name__ == code.exception


@pytest.mark.parametrize("code", FAILURES, ids=lambda c: c.exception or str(c.code))
def test_each_single_code_class_types_its_code_as_a_literal(code: Code) -> None:
    cls = exceptions.ERRORS_BY_CODE[code.code]
    hints = typing.get_type_hints(cls, vars(exceptions))
    assert hints["code"] == Literal[code.code]
    assert hints["CODE"] == typing.ClassVar[Literal[code.code]]
    assert code.code == cls.CODE
