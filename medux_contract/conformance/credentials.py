"""Which credentials a request carried, judged against the key the run was given.

The run's valid key is whatever schemathesis itself sends as the operation's credentials: the
bearer token configured for the spec's security scheme (``[auth.openapi.<scheme>]`` in
``schemathesis.toml``, fed from ``MEDUX_API_KEY``) or an ``Authorization`` header configured for
every request. Checks therefore agree with the CLI and with pytest on what "valid" means.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from schemathesis import Case
from schemathesis.config import HttpBearerAuthConfig

AUTHORIZATION = "Authorization"
BEARER = "Bearer"


class Credentials(enum.Enum):
    MISSING = "no credentials"
    WRONG = "wrong credentials"
    VALID = "the run's key"
    UNCLEAR = "the run's key in an unusual form"


def valid_key(case: Case[Any]) -> str | None:
    """The key this run authenticates with, or None when it was given none."""
    config = case.operation.schema.config
    for scheme in config.auth.openapi.schemes.values():
        if isinstance(scheme, HttpBearerAuthConfig) and scheme.bearer:
            return str(scheme.bearer)
    for name, value in config.headers_for(operation=case.operation).items():
        if name.lower() == AUTHORIZATION.lower():
            scheme_name, _, token = str(value).partition(" ")
            if scheme_name.lower() == BEARER.lower() and token.strip():
                return token.strip()
    return None


def header_text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def classify(headers: Mapping[str, str | bytes], key: str | None) -> Credentials:
    """Judge the ``Authorization`` header as sent.

    Only ``Bearer <key>`` exactly is VALID. A header that contains the key in any other form
    (``bearer <key>``, the bare key, extra spaces) is UNCLEAR: the vendor speaks of "Bearer token
    or API key", so a server may accept it, and no check may demand a refusal for it.
    """
    values = [header_text(value) for name, value in headers.items() if name.lower() == AUTHORIZATION.lower()]
    if not values:
        return Credentials.MISSING
    if key is None:
        return Credentials.UNCLEAR
    if values == [f"{BEARER} {key}"]:
        return Credentials.VALID
    if any(key in value for value in values):
        return Credentials.UNCLEAR
    return Credentials.WRONG
