"""The envelope checks judge crafted exchanges precisely, each operation against its own codes and
inputs. Every test names one of a check's three verdicts: it failed, it judged the answer and
passed, or the answer was not its business (not applicable). Requests go through schemathesis to
small fixed-answer apps."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
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
from medux_contract.conformance.codebook import codes_in, refusing_credentials, rejecting_input
from medux_contract.conformance.run_config import RunOptions, build_config
from medux_contract.envelope import build_envelope
from medux_contract.spec import SPEC_PATH, Operation, load_contract

KEY = "sk_test_checks_key"
CONTRACT = load_contract()
CODES = CONTRACT.codes
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")
SUCCESS = CODES.success.code
(UNAUTHENTICATED,) = codes_in(CREATE, "authentication")
(RATE_LIMITED,) = codes_in(CREATE, "rate_limit")
INVALID_INPUT = CODES.by_name("INVALID_INPUT").code
VALID_BODY = {"file_id": "file_1"}
RESPONSE_CHECKS = (
    envelope_has_known_code,
    message_matches_code,
    credentials_are_required,
    invalid_requests_are_rejected,
    code_carries_its_data,
    status_agrees_with_code,
)

FAILED, PASSED, NOT_APPLICABLE = "failed", "passed", "not applicable"


@dataclass(frozen=True)
class Judged:
    verdict: str
    message: str = ""


def envelope(operation: Operation, code: int, **extra: Any) -> dict[str, Any]:
    return {**build_envelope(operation, code), **extra}


Answer = Callable[[Request], Response]


def fixed(body: object, status: int = 200, media_type: str = "application/json") -> Answer:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda request: Response(content, status_code=status, media_type=media_type)


def app_answering(answer: Answer) -> Starlette:
    async def endpoint(request: Request) -> Response:
        await request.body()
        return answer(request)

    methods = ["GET", "POST", "PUT", "DELETE"]
    return Starlette(routes=[Route(path, endpoint, methods=methods) for path in CONTRACT.paths])


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    reports: Path = tmp_path_factory.mktemp("reports")
    return schemathesis.openapi.from_path(
        SPEC_PATH, config=build_config(RunOptions(key=KEY, reports_dir=reports))
    )


@pytest.fixture(scope="module")
def create(schema: Any) -> Any:
    return schema[CREATE.path][CREATE.method.upper()]


@pytest.fixture(scope="module")
def listing(schema: Any) -> Any:
    return schema[LIST.path][LIST.method.upper()]


def judge(
    operation: Any,
    answer: Answer,
    check: Any,
    *,
    body: Any = None,
    query: dict[str, Any] | None = None,
    authorization: str | None = f"Bearer {KEY}",
    method: str | None = None,
) -> Judged:
    """Send a crafted case to a fixed-answer app and run one check: its verdict."""
    headers = {"Authorization": authorization} if authorization is not None else {}
    if operation.method.upper() == "POST":
        case: Case[Any] = operation.Case(
            body=VALID_BODY if body is None else body,
            headers=headers,
            media_type="application/json",
            method=method,
        )
    else:
        case = operation.Case(query=query or {}, headers=headers, method=method)
    app = app_answering(answer)
    response = case.call(app=app)
    checker = check() if isinstance(check, type) else check
    function = checker.after_response if isinstance(check, type) else checker
    returned: list[Any] = []

    def recording(ctx: Any, response: Any, case: Any) -> Any:
        returned.append(function(ctx, response, case))
        return returned[-1]

    recording.__name__ = function.__name__
    try:
        case.validate_response(response, checks=[recording], transport_kwargs={"app": app})
    except FailureGroup as exc:
        return Judged(FAILED, str(exc))
    assert len(returned) == 1
    return Judged(NOT_APPLICABLE if returned[0] is True else PASSED)


def failure(operation: Any, answer: Answer, check: Any, **request: Any) -> str:
    judged = judge(operation, answer, check, **request)
    assert judged.verdict == FAILED, judged
    return judged.message


def test_html_and_text_bodies_are_reported_once_by_the_envelope_check(create: Any) -> None:
    page = fixed(b"<html>oops</html>", status=502, media_type="text/html")
    assert "Content-Type text/html, not application/json" in failure(create, page, envelope_has_known_code)
    for other in RESPONSE_CHECKS[1:]:
        assert judge(create, page, other, body={"file_id": ""}).verdict == NOT_APPLICABLE, other


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON list, not an object"),
        (b'{"message": "ok"}', "has no `code`"),
        (b'{"code": true, "message": "ok"}', "`code` True is not one createAvatarByImage can answer"),
        (b'{"code": "0", "message": "ok"}', "`code` '0' is not one createAvatarByImage can answer"),
    ],
)
def test_envelope_check_says_what_is_wrong(create: Any, body: bytes, reason: str) -> None:
    assert reason in failure(create, fixed(body), envelope_has_known_code)


def test_unknown_code_names_the_operations_codes(create: Any) -> None:
    unknown = max(row.code for row in CODES) + 1
    message = failure(create, fixed({"code": unknown, "message": "ok"}), envelope_has_known_code)
    assert (
        f"`code` {unknown} is not one createAvatarByImage can answer ({', '.join(map(str, CREATE.codes))})"
        in (message)
    )


def test_a_code_of_the_table_that_the_list_cannot_answer_is_a_violation_there_only(
    create: Any, listing: Any
) -> None:
    foreign = next(code for code in CREATE.codes if not LIST.answers(code))
    row = CODES[foreign]
    answer = fixed({"code": foreign, "message": row.message})
    message = failure(listing, answer, envelope_has_known_code)
    assert f"`code` {foreign} is not one listAvatars can answer (0, 12, 13, 99)" in message
    assert judge(create, answer, envelope_has_known_code).verdict == PASSED


@pytest.mark.parametrize(
    ("operation_id", "code"),
    [(op.operation_id, code) for op in CONTRACT.operations for code in op.codes],
)
def test_every_code_of_each_operation_with_its_own_message_and_data_passes(
    create: Any, listing: Any, operation_id: str, code: int
) -> None:
    operation = CONTRACT.operation(operation_id)
    api = create if operation is CREATE else listing
    answer = fixed(envelope(operation, code))
    for check in (envelope_has_known_code, message_matches_code, status_agrees_with_code):
        assert judge(api, answer, check).verdict == PASSED, check
    expected = PASSED if operation.outcome(code).carries else NOT_APPLICABLE
    assert judge(api, answer, code_carries_its_data).verdict == expected


def test_missing_message_is_a_violation(create: Any) -> None:
    message = failure(create, fixed({"code": INVALID_INPUT}), message_matches_code)
    assert f"code {INVALID_INPUT} came without `message`" in message


def test_wrong_message_on_the_list_is_a_violation(listing: Any) -> None:
    message = failure(listing, fixed({"code": SUCCESS, "message": "server error"}), message_matches_code)
    assert "came with message 'server error'" in message


@pytest.mark.parametrize(
    ("data", "problem"),
    [(None, "came with no `data`"), ([], "`data` of type list"), ({"asset": "x"}, "data.asset (object)")],
)
def test_post_success_without_its_asset_is_a_violation(create: Any, data: Any, problem: str) -> None:
    body: dict[str, Any] = {"code": SUCCESS, "message": CODES[SUCCESS].message}
    if data is not None:
        body["data"] = data
    assert problem in failure(create, fixed(body), code_carries_its_data)


@pytest.mark.parametrize(
    ("data", "problem"),
    [({}, "data.items (array)"), ({"items": {}}, "data.items (array)"), ({"asset": {}}, "data.items")],
)
def test_list_success_without_its_items_array_is_a_violation(listing: Any, data: Any, problem: str) -> None:
    body = {"code": SUCCESS, "message": CODES[SUCCESS].message, "data": data}
    assert problem in failure(listing, fixed(body), code_carries_its_data)


@pytest.mark.parametrize(
    ("code_kind", "status"), [("success", 401), ("success", 302), ("error", 201), ("error", 202)]
)
def test_status_contradicting_the_code_is_a_violation(listing: Any, code_kind: str, status: int) -> None:
    code = SUCCESS if code_kind == "success" else INVALID_INPUT
    message = failure(listing, fixed(envelope(LIST, code), status=status), status_agrees_with_code)
    assert f"came with HTTP {status}" in message


@pytest.mark.parametrize(
    ("code_kind", "status"), [("success", 201), ("error", 200), ("error", 400), ("error", 503)]
)
def test_status_agreeing_with_the_code_passes(create: Any, code_kind: str, status: int) -> None:
    code = SUCCESS if code_kind == "success" else INVALID_INPUT
    answer = fixed(envelope(CREATE, code), status=status)
    assert judge(create, answer, status_agrees_with_code).verdict == PASSED


@pytest.mark.parametrize("authorization", [None, "Bearer sk_other_key", "", "Basic dXNlcjpwYXNz"])
@pytest.mark.parametrize("operation_id", [CREATE.operation_id, LIST.operation_id])
def test_missing_or_wrong_credentials_must_not_succeed_on_any_operation(
    create: Any, listing: Any, operation_id: str, authorization: str | None
) -> None:
    operation = CONTRACT.operation(operation_id)
    api = create if operation is CREATE else listing
    message = failure(
        api, fixed(envelope(operation, SUCCESS)), credentials_are_required, authorization=authorization
    )
    assert f"a request to {operation_id} with" in message
    assert f"with code {SUCCESS}" in message
    assert f"expected {UNAUTHENTICATED} unauthenticated" in message


@pytest.mark.parametrize(
    ("operation_id", "code"),
    [(op.operation_id, code) for op in (CREATE, LIST) for code in sorted(refusing_credentials(op))],
)
def test_refusing_missing_credentials_passes(create: Any, listing: Any, operation_id: str, code: int) -> None:
    operation = CONTRACT.operation(operation_id)
    api = create if operation is CREATE else listing
    answer = fixed(envelope(operation, code))
    assert judge(api, answer, credentials_are_required, authorization=None).verdict == PASSED


def test_a_rate_limit_code_from_the_list_fails_the_envelope_check_not_the_credentials_check(
    listing: Any,
) -> None:
    # The list cannot answer 16: that is one violation, reported once, by the envelope check.
    assert RATE_LIMITED not in refusing_credentials(LIST)
    answer = fixed({"code": RATE_LIMITED, "message": CODES[RATE_LIMITED].message})
    assert judge(listing, answer, credentials_are_required, authorization=None).verdict == NOT_APPLICABLE
    assert judge(listing, answer, envelope_has_known_code).verdict == FAILED


@pytest.mark.parametrize("authorization", [f"bearer {KEY}", KEY, f"Bearer  {KEY}"])
def test_unusual_forms_of_the_key_are_not_judged(create: Any, authorization: str) -> None:
    # The vendor speaks of "Bearer token or API key": a server may accept these.
    answer = fixed(envelope(CREATE, SUCCESS))
    assert (
        judge(create, answer, credentials_are_required, authorization=authorization).verdict == NOT_APPLICABLE
    )


@pytest.mark.parametrize("operation_id", [CREATE.operation_id, LIST.operation_id])
def test_valid_key_is_probed_without_and_with_a_wrong_key(
    create: Any, listing: Any, operation_id: str
) -> None:
    operation = CONTRACT.operation(operation_id)
    api = create if operation is CREATE else listing
    seen: list[str | None] = []

    def answer(request: Request) -> Response:
        seen.append(request.headers.get("authorization"))
        return fixed(envelope(operation, SUCCESS))(request)

    message = failure(api, answer, credentials_are_required)
    assert "re-sent with no credentials" in message
    assert seen[:2] == [f"Bearer {KEY}", None]


def test_valid_key_whose_probes_are_refused_passes(listing: Any) -> None:
    def answer(request: Request) -> Response:
        sent = request.headers.get("authorization")
        return fixed(envelope(LIST, SUCCESS if sent == f"Bearer {KEY}" else UNAUTHENTICATED))(request)

    assert judge(listing, answer, credentials_are_required).verdict == PASSED


def test_probe_sends_a_wrong_key_when_missing_credentials_are_refused(create: Any) -> None:
    seen: list[str | None] = []

    def answer(request: Request) -> Response:
        sent = request.headers.get("authorization")
        seen.append(sent)
        return fixed(envelope(CREATE, UNAUTHENTICATED if sent is None else SUCCESS))(request)

    assert "re-sent with wrong credentials" in failure(create, answer, credentials_are_required)
    assert seen == [f"Bearer {KEY}", None, f"Bearer {wrong_key(KEY)}"]
    assert KEY not in wrong_key(KEY)


@pytest.mark.parametrize(
    "body",
    [{"file_id": ""}, {"file_id": 7}, {"title": "no file"}, ["file_id"], {"file_id": "f", "model_id": ""}],
)
def test_invalid_body_must_not_succeed(create: Any, body: Any) -> None:
    message = failure(create, fixed(envelope(CREATE, SUCCESS)), invalid_requests_are_rejected, body=body)
    assert "accepted an invalid request to createAvatarByImage" in message


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"limit": 0}, "'limit': 0 is less than the minimum of 1"),
        ({"limit": 101}, "'limit': 101 is greater than the maximum of 100"),
        ({"limit": "ten"}, "'limit': 'ten' is not an integer"),
        ({"limit": "1.5"}, "'limit': '1.5' is not an integer"),
        ({"cursor": ""}, "'cursor': '' should be non-empty"),
    ],
)
def test_invalid_query_must_not_succeed(listing: Any, query: dict[str, Any], reason: str) -> None:
    message = failure(listing, fixed(envelope(LIST, SUCCESS)), invalid_requests_are_rejected, query=query)
    assert "accepted an invalid request to listAvatars" in message
    assert reason in message


@pytest.mark.parametrize(
    ("operation_id", "code"),
    [(op.operation_id, code) for op in (CREATE, LIST) for code in sorted(rejecting_input(op))],
)
def test_invalid_request_answered_with_the_operations_own_input_error_passes(
    create: Any, listing: Any, operation_id: str, code: int
) -> None:
    operation = CONTRACT.operation(operation_id)
    answer = fixed(envelope(operation, code))
    if operation is CREATE:
        judged = judge(create, answer, invalid_requests_are_rejected, body={"file_id": ""})
    else:
        judged = judge(listing, answer, invalid_requests_are_rejected, query={"limit": 0})
    assert judged.verdict == PASSED


def test_the_list_rejects_with_its_own_codes_only(listing: Any) -> None:
    assert rejecting_input(LIST) == {INVALID_INPUT}
    message = failure(
        listing, fixed(envelope(LIST, UNAUTHENTICATED)), invalid_requests_are_rejected, query={"limit": 0}
    )
    assert "answered an invalid request to listAvatars (query parameter 'limit': 0 is less" in message
    assert f"with code {UNAUTHENTICATED}" in message
    assert "expected one of: 12 invalid input" in message


def test_invalid_request_answered_with_another_error_is_a_violation(create: Any) -> None:
    other = next(code for code in CREATE.codes if code not in rejecting_input(CREATE) | {SUCCESS})
    message = failure(
        create, fixed(envelope(CREATE, other)), invalid_requests_are_rejected, body={"file_id": ""}
    )
    reason = "(file_id: '' should be non-empty)"
    assert f"answered an invalid request to createAvatarByImage {reason} with code {other}" in message


def test_valid_requests_are_not_judged_as_invalid(create: Any, listing: Any) -> None:
    assert (
        judge(create, fixed(envelope(CREATE, SUCCESS)), invalid_requests_are_rejected).verdict
        == NOT_APPLICABLE
    )
    for query in ({}, {"limit": 100, "cursor": "c"}, {"limit": 1}):
        answer = fixed(envelope(LIST, SUCCESS))
        assert judge(listing, answer, invalid_requests_are_rejected, query=query).verdict == NOT_APPLICABLE


@pytest.mark.parametrize("check", RESPONSE_CHECKS, ids=lambda check: check.__name__)
def test_a_request_to_no_operation_of_the_spec_is_not_applicable(
    create: Any, listing: Any, check: Any
) -> None:
    # The coverage phase also tries methods the spec does not define at a path.
    answer = fixed(b"Method Not Allowed", 405, "text/plain")
    assert judge(create, answer, check, method="GET").verdict == NOT_APPLICABLE
    assert judge(listing, answer, check, method="DELETE").verdict == NOT_APPLICABLE
