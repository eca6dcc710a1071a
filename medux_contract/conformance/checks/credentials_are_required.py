"""Rule: a request without credentials, or with wrong ones, gets the authentication code (13),
never success; a refusal made before reading the request (rate limit) is also accepted.

Generated negative cases already drop or garble ``Authorization``. To be sure both kinds are
sent whatever the generator draws, the first request the run sends with its valid key (and the
first one that succeeds) is re-sent once without credentials and once with a wrong key. The
probes' verdicts are remembered, so a replayed or shrunk example fails the same way.
"""

from __future__ import annotations

import hashlib
from typing import Any

import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.credentials import AUTHORIZATION, BEARER, Credentials, classify, valid_key
from medux_contract.conformance.envelope import envelope_or_none
from medux_contract.conformance.request_facts import targets_operation

TRANSPORT_KEYS_WITHOUT_CREDENTIALS = ("auth", "headers")


def wrong_key(key: str) -> str:
    """A well-formed key that is certainly not the run's key (and does not contain it)."""
    return "sk_conformance_wrong_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def refusal_problem(response: Response, sent: Credentials) -> str | None:
    """Why this answer to a request with ``sent`` credentials breaks the rule, or None."""
    envelope = envelope_or_none(response)
    if envelope is None:
        return None  # reported by envelope_has_known_code
    table = codebook()
    accepted = table.unauthenticated | table.refused_before_work
    if envelope.code in accepted:
        return None
    entry = table.by_code[envelope.code]
    verdict = "accepted" if entry.is_success else "answered"
    return (
        f"the server {verdict} a request with {sent.value} with code {entry.code} {entry.message!r}; "
        f"expected {table.describe(table.unauthenticated)}"
    )


# The class name is the check's name in reports and in `[checks.<name>]`: it follows the rule names.
@schemathesis.check
class credentials_are_required:
    def __init__(self) -> None:
        self._probe_verdicts: dict[tuple[str, bool], str | None] = {}

    def after_response(self, ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        request = response.request
        if not targets_operation(request):
            return True
        key = valid_key(case)
        sent = classify(request.headers, key)
        if sent in (Credentials.MISSING, Credentials.WRONG):
            problem = refusal_problem(response, sent)
            if problem:
                raise AssertionError(problem)
            return None
        if sent is not Credentials.VALID or key is None:
            return True
        envelope = envelope_or_none(response)
        succeeded = envelope is not None and envelope.code in codebook().success
        marker = (case.operation.label, succeeded)
        if marker not in self._probe_verdicts:
            self._probe_verdicts[marker] = self._probe(ctx, case, key, succeeded)
        verdict = self._probe_verdicts[marker]
        if verdict:
            raise AssertionError(verdict)
        return None

    def _probe(self, ctx: CheckContext, case: Case[Any], key: str, succeeded: bool) -> str | None:
        twin = "a request that succeeded with the key" if succeeded else "a request sent with the key"
        headers = {
            name: value for name, value in case.headers.items() if name.lower() != AUTHORIZATION.lower()
        }
        variants = (
            (Credentials.MISSING, headers),
            (Credentials.WRONG, {**headers, AUTHORIZATION: f"{BEARER} {wrong_key(key)}"}),
        )
        for sent, probe_headers in variants:
            probe = case.derive(headers=CaseInsensitiveDict(probe_headers))
            response = probe.call(**_transport_kwargs(ctx))
            problem = refusal_problem(response, sent)
            if problem:
                return f"{problem} (probe: {twin}, re-sent with {sent.value})"
        return None


def _transport_kwargs(ctx: CheckContext) -> dict[str, Any]:
    # Keep how the run reaches the server (app, base URL, the guarded session) but none of its
    # credentials. `internals` is schemathesis's own channel for checks that re-send requests.
    kwargs = dict(ctx.internals.transport_kwargs or {})
    for name in TRANSPORT_KEYS_WITHOUT_CREDENTIALS:
        kwargs.pop(name, None)
    return kwargs
