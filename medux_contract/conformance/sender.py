"""Sending one generated case and judging the answer, within what the live guard allows.

A failed check does not end the run: its verdict is already in the tally (schemathesis's
``after_validate`` hook), so the failure is swallowed here and hypothesis goes on generating. Raised,
it would stop that operation's test at its first failure and hide every later, independent one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import requests
from schemathesis import Case
from schemathesis.checks import CheckFunction
from schemathesis.core.failures import FailureGroup

from medux_contract.conformance.guarded_session import Guard, RunStopped, Withheld


class Sender:
    def __init__(self, transport_kwargs: dict[str, Any], guard: Guard | None = None) -> None:
        self.transport_kwargs = transport_kwargs
        self.guard = guard
        self.stopped: str | None = None
        """Why a safety cap ended the run early."""
        self.unreachable: str | None = None
        """Why the server could not be reached (the run could judge nothing more)."""

    def send_and_validate(self, case: Case[Any], excluded_checks: Sequence[CheckFunction] = ()) -> None:
        if self.stopped or self.unreachable or (self.guard is not None and self.guard.stopped):
            return
        try:
            response = case.call(**self.transport_kwargs)
            # The same transport for the checks' own probes: they pass through the guard too.
            case.validate_response(
                response, transport_kwargs=self.transport_kwargs, excluded_checks=list(excluded_checks)
            )
        except FailureGroup:
            return  # recorded by the tally; keep generating (see the module docstring)
        except Withheld:
            return
        except RunStopped as stop:
            self.stopped = str(stop)
        except (requests.ConnectionError, requests.Timeout) as exc:
            self.unreachable = f"cannot reach the server ({type(exc).__name__}); is it running at that URL?"
