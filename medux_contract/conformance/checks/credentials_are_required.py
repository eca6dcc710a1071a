"""Rule: a request to a secured operation without credentials, or with wrong ones, gets that
operation's authentication code (13), never success; a refusal it may make before reading the
request (rate limit) is also accepted.

Generated negative cases already drop or garble ``Authorization``. To be sure both kinds are
sent to every secured operation whatever the generator draws, the first request the run sends to
each operation with its valid key (and the first one that succeeds) is re-sent once without
credentials and once with a wrong key. The probes' verdicts are remembered, so a replayed or
shrunk example fails the same way.
"""

from __future__ import annotations

import hashlib
from typing import Any

import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import AUTHENTICATION_GROUP, codes_in, describe, refusing_credentials
from medux_contract.conformance.credentials import AUTHORIZATION, BEARER, Credentials, classify, valid_key
from medux_contract.conformance.judged import judged_answer

TRANSPORT_KEYS_WITHOUT_CREDENTIALS = ("auth", "headers")


def wrong_key(key: str) -> str:
    """A well-formed key that is certainly not the run's key (and does not contain it)."""
    return "sk_conformance_wrong_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


NOT_JUDGED = "not judged"
"""A refusal verdict for an answer with no envelope of the operation (envelope_has_known_code's)."""


def refusal_problem(case: Case[Any], response: Response, sent: Credentials) -> str | None:
    """Why this answer to a request with ``sent`` credentials breaks the rule; None when it keeps
    it; :data:`NOT_JUDGED` when it is no envelope of the operation."""
    answer = judged_answer(case, response)
    code = None if answer is None else answer.verdict.code
    if answer is None or code is None:
        return NOT_JUDGED
    operation = answer.operation
    if code in refusing_credentials(operation):
        return None
    outcome = operation.outcome(code)
    verdict = "accepted" if outcome.is_success else "answered"
    expected = describe(operation, codes_in(operation, AUTHENTICATION_GROUP))
    return (
        f"the server {verdict} a request to {operation.operation_id} with {sent.value} with code "
        f"{code} {outcome.code.message!r}; expected {expected}"
    )


# The class name is the check's name in reports and in `[checks.<name>]`: it follows the rule names.
@schemathesis.check
class credentials_are_required:
    def __init__(self) -> None:
        self._probe_verdicts: dict[tuple[str, bool], str | None] = {}

    def after_response(self, ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        request = response.request
        answer = judged_answer(case, response)
        if answer is None or not answer.operation.secured:
            return True
        key = valid_key(case)
        sent = classify(request.headers, key)
        if sent in (Credentials.MISSING, Credentials.WRONG):
            return _verdict(refusal_problem(case, response, sent))
        if sent is not Credentials.VALID or key is None:
            return True
        code = answer.verdict.code
        succeeded = code is not None and answer.operation.outcome(code).is_success
        marker = (answer.operation.operation_id, succeeded)
        if marker not in self._probe_verdicts:
            self._probe_verdicts[marker] = self._probe(ctx, case, key, succeeded)
        return _verdict(self._probe_verdicts[marker])

    def _probe(self, ctx: CheckContext, case: Case[Any], key: str, succeeded: bool) -> str | None:
        """The first probe's problem; :data:`NOT_JUDGED` when no probe got an envelope."""
        twin = "a request that succeeded with the key" if succeeded else "a request sent with the key"
        headers = {
            name: value for name, value in case.headers.items() if name.lower() != AUTHORIZATION.lower()
        }
        variants = (
            (Credentials.MISSING, headers),
            (Credentials.WRONG, {**headers, AUTHORIZATION: f"{BEARER} {wrong_key(key)}"}),
        )
        judged = False
        for sent, probe_headers in variants:
            probe = case.derive(headers=CaseInsensitiveDict(probe_headers))
            response = probe.call(**_transport_kwargs(ctx))
            problem = refusal_problem(probe, response, sent)
            if problem == NOT_JUDGED:
                continue
            judged = True
            if problem:
                return f"{problem} (probe: {twin}, re-sent with {sent.value})"
        return None if judged else NOT_JUDGED


def _verdict(problem: str | None) -> bool | None:
    if problem == NOT_JUDGED:
        return True
    if problem:
        raise AssertionError(problem)
    return None


def _transport_kwargs(ctx: CheckContext) -> dict[str, Any]:
    # Keep how the run reaches the server (app, base URL, the guarded session) but none of its
    # credentials. `internals` is schemathesis's own channel for checks that re-send requests.
    kwargs = dict(ctx.internals.transport_kwargs or {})
    for name in TRANSPORT_KEYS_WITHOUT_CREDENTIALS:
        kwargs.pop(name, None)
    return kwargs
