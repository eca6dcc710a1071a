"""The envelope checks judge crafted exchanges precisely: what they accept, what they reject, and
what they leave to another check. Requests go through schemathesis to small fixed-answer apps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.core.failures import FailureGroup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from medux_contract.conformance.checks.code_carries_its_data import code_carries_its_data
from medux_contract.conformance.checks.credentials_are_required import credentials_are_required, wrong_key
from medux_contract.conformance.checks.envelope_has_known_code import envelope_has_known_code
from medux_contract.conformance.checks.invalid_requests_are_rejected import invalid_requests_are_rejected
from medux_contract.conformance.checks.message_matches_code import message_matches_code
from medux_contract.conformance.checks.status_agrees_with_code import status_agrees_with_code
from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.run_config import RunOptions, build_config
from medux_contract.spec import OPERATION_METHOD, OPERATION_PATH, SPEC_PATH

KEY = "sk_test_checks_key"
TABLE = codebook()
(SUCCESS,) = TABLE.success
(UNAUTHENTICATED,) = TABLE.unauthenticated
(RATE_LIMITED,) = TABLE.refused_before_work
INVALID_INPUT = min(TABLE.invalid_request)
VALID_BODY = {"file_id": "file_1"}


def envelope(code: int, **extra: Any) -> dict[str, Any]:
    entry = TABLE.by_code[code]
    body: dict[str, Any] = {"code": code, "message": entry.message, **extra}
    if entry.carries:
        body.setdefault("data", {member: {} for member in entry.carries})
    return body


Answer = Callable[[Request], Response]


def fixed(body: object, status: int = 200, media_type: str = "application/json") -> Answer:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda request: Response(content, status_code=status, media_type=media_type)


def app_answering(answer: Answer) -> Starlette:
    async def endpoint(request: Request) -> Response:
        await request.body()
        return answer(request)

    return Starlette(routes=[Route(OPERATION_PATH, endpoint, methods=["GET", "POST", "PUT", "DELETE"])])


@pytest.fixture(scope="module")
def operation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    reports: Path = tmp_path_factory.mktemp("reports")
    schema = schemathesis.openapi.from_path(
        SPEC_PATH, config=build_config(RunOptions(key=KEY, reports_dir=reports))
    )
    return schema[OPERATION_PATH][OPERATION_METHOD.upper()]


def exchange(
    operation: Any,
    answer: Answer,
    check: Any,
    *,
    body: Any = VALID_BODY,
    authorization: str | None = f"Bearer {KEY}",
    method: str | None = None,
) -> None:
    """Send a crafted case to a fixed-answer app and run one check; raises FailureGroup on a violation."""
    headers = {"Authorization": authorization} if authorization is not None else {}
    case: Case[Any] = operation.Case(body=body, headers=headers, media_type="application/json", method=method)
    app = app_answering(answer)
    response = case.call(app=app)
    checker = check() if isinstance(check, type) else check
    function = checker.after_response if isinstance(check, type) else checker
    case.validate_response(response, checks=[function], transport_kwargs={"app": app})


def violation(operation: Any, answer: Answer, check: Any, **request: Any) -> str:
    with pytest.raises(FailureGroup) as caught:
        exchange(operation, answer, check, **request)
    return str(caught.value)


def test_html_and_text_bodies_are_reported_once_by_the_envelope_check(operation: Any) -> None:
    page = fixed(b"<html>oops</html>", status=502, media_type="text/html")
    assert "Content-Type text/html, not application/json" in violation(
        operation, page, envelope_has_known_code
    )
    for other in (
        message_matches_code,
        invalid_requests_are_rejected,
        code_carries_its_data,
        status_agrees_with_code,
    ):
        exchange(operation, page, other, body={"file_id": ""})


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON list, not an object"),
        (b'{"message": "ok"}', "has no `code`"),
        (b'{"code": true, "message": "ok"}', "`code` True is not in x-medux-codes"),
        (b'{"code": "0", "message": "ok"}', "`code` '0' is not in x-medux-codes"),
    ],
)
def test_envelope_check_says_what_is_wrong(operation: Any, body: bytes, reason: str) -> None:
    assert reason in violation(operation, fixed(body), envelope_has_known_code)


def test_unknown_code_names_the_table(operation: Any) -> None:
    unknown = max(TABLE.codes) + 1
    message = violation(operation, fixed({"code": unknown, "message": "ok"}), envelope_has_known_code)
    assert f"`code` {unknown} is not in x-medux-codes ({', '.join(map(str, TABLE.codes))})" in message


@pytest.mark.parametrize("entry", TABLE.entries, ids=lambda entry: entry.name)
def test_every_code_with_its_own_message_and_data_passes_every_envelope_check(
    operation: Any, entry: Any
) -> None:
    for check in (
        envelope_has_known_code,
        message_matches_code,
        code_carries_its_data,
        status_agrees_with_code,
    ):
        exchange(operation, fixed(envelope(entry.code)), check)


def test_missing_message_is_a_violation(operation: Any) -> None:
    message = violation(operation, fixed({"code": INVALID_INPUT}), message_matches_code)
    assert f"code {INVALID_INPUT} came without `message`" in message


@pytest.mark.parametrize(
    ("data", "problem"),
    [(None, "came with no `data`"), ([], "`data` of type list"), ({"asset": "x"}, "not an object")],
)
def test_success_without_its_payload_is_a_violation(operation: Any, data: Any, problem: str) -> None:
    body = {"code": SUCCESS, "message": TABLE.by_code[SUCCESS].message}
    if data is not None:
        body["data"] = data
    assert problem in violation(operation, fixed(body), code_carries_its_data)


@pytest.mark.parametrize(
    ("code_kind", "status"), [("success", 401), ("success", 302), ("error", 201), ("error", 202)]
)
def test_status_contradicting_the_code_is_a_violation(operation: Any, code_kind: str, status: int) -> None:
    code = SUCCESS if code_kind == "success" else INVALID_INPUT
    assert f"came with HTTP {status}" in violation(
        operation, fixed(envelope(code), status=status), status_agrees_with_code
    )


@pytest.mark.parametrize(
    ("code_kind", "status"), [("success", 201), ("error", 200), ("error", 400), ("error", 503)]
)
def test_status_agreeing_with_the_code_passes(operation: Any, code_kind: str, status: int) -> None:
    code = SUCCESS if code_kind == "success" else INVALID_INPUT
    exchange(operation, fixed(envelope(code), status=status), status_agrees_with_code)


@pytest.mark.parametrize("authorization", [None, "Bearer sk_other_key", "", "Basic dXNlcjpwYXNz"])
def test_missing_or_wrong_credentials_must_not_succeed(operation: Any, authorization: str | None) -> None:
    message = violation(
        operation, fixed(envelope(SUCCESS)), credentials_are_required, authorization=authorization
    )
    assert f"with code {SUCCESS}" in message
    assert f"expected {UNAUTHENTICATED}" in message


@pytest.mark.parametrize("code", sorted(TABLE.unauthenticated | TABLE.refused_before_work))
def test_refusing_missing_credentials_passes(operation: Any, code: int) -> None:
    exchange(operation, fixed(envelope(code)), credentials_are_required, authorization=None)


@pytest.mark.parametrize("authorization", [f"bearer {KEY}", KEY, f"Bearer  {KEY}"])
def test_unusual_forms_of_the_key_are_not_judged(operation: Any, authorization: str) -> None:
    # The vendor speaks of "Bearer token or API key": a server may accept these.
    exchange(operation, fixed(envelope(SUCCESS)), credentials_are_required, authorization=authorization)


def test_valid_key_is_probed_without_and_with_a_wrong_key(operation: Any) -> None:
    seen: list[str | None] = []

    def answer(request: Request) -> Response:
        seen.append(request.headers.get("authorization"))
        return fixed(envelope(SUCCESS))(request)

    message = violation(operation, answer, credentials_are_required)
    assert "re-sent with no credentials" in message
    assert seen[:2] == [f"Bearer {KEY}", None]


def test_probe_sends_a_wrong_key_when_missing_credentials_are_refused(operation: Any) -> None:
    seen: list[str | None] = []

    def answer(request: Request) -> Response:
        sent = request.headers.get("authorization")
        seen.append(sent)
        return fixed(envelope(UNAUTHENTICATED if sent is None else SUCCESS))(request)

    assert "re-sent with wrong credentials" in violation(operation, answer, credentials_are_required)
    assert seen == [f"Bearer {KEY}", None, f"Bearer {wrong_key(KEY)}"]
    assert KEY not in wrong_key(KEY)


@pytest.mark.parametrize(
    "body",
    [{"file_id": ""}, {"file_id": 7}, {"title": "no file"}, ["file_id"], {"file_id": "f", "model_id": ""}],
)
def test_invalid_request_must_not_succeed(operation: Any, body: Any) -> None:
    message = violation(operation, fixed(envelope(SUCCESS)), invalid_requests_are_rejected, body=body)
    assert "accepted an invalid request" in message


@pytest.mark.parametrize("code", sorted(TABLE.invalid_request | TABLE.refused_before_work))
def test_invalid_request_answered_with_an_input_error_passes(operation: Any, code: int) -> None:
    exchange(operation, fixed(envelope(code)), invalid_requests_are_rejected, body={"file_id": ""})


def test_invalid_request_answered_with_another_error_is_a_violation(operation: Any) -> None:
    other = next(
        code
        for code in TABLE.codes
        if code not in TABLE.invalid_request | TABLE.refused_before_work | TABLE.success
    )
    message = violation(
        operation, fixed(envelope(other)), invalid_requests_are_rejected, body={"file_id": ""}
    )
    assert f"answered an invalid request (file_id: '' should be non-empty) with code {other}" in message


def test_valid_requests_and_foreign_methods_are_not_judged_as_invalid(operation: Any) -> None:
    exchange(operation, fixed(envelope(SUCCESS)), invalid_requests_are_rejected, body=VALID_BODY)
    exchange(
        operation, fixed(b"Method Not Allowed", 405, "text/plain"), envelope_has_known_code, method="GET"
    )
