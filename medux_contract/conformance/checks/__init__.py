"""The envelope-aware checks, registered with ``@schemathesis.check`` when this package is imported.

``schemathesis.toml`` names this package as its ``hooks`` module, so the schemathesis CLI loads
the same checks as the pytest suite. Each module is named for the rule its check enforces.
"""

from __future__ import annotations

from medux_contract.conformance.checks.code_carries_its_data import code_carries_its_data
from medux_contract.conformance.checks.credentials_are_required import credentials_are_required
from medux_contract.conformance.checks.envelope_has_known_code import envelope_has_known_code
from medux_contract.conformance.checks.invalid_requests_are_rejected import invalid_requests_are_rejected
from medux_contract.conformance.checks.message_matches_code import message_matches_code
from medux_contract.conformance.checks.status_agrees_with_code import status_agrees_with_code

ENVELOPE_CHECKS: tuple[str, ...] = (
    envelope_has_known_code.__name__,
    message_matches_code.__name__,
    credentials_are_required.__name__,
    invalid_requests_are_rejected.__name__,
    code_carries_its_data.__name__,
    status_agrees_with_code.__name__,
)
"""The names of our own checks, in the order the summary lists them."""

__all__ = ["ENVELOPE_CHECKS"]
