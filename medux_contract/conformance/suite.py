"""The conformance suite as pytest runs it (through :mod:`medux_contract.conformance.runner`).

The file name does not start with ``test_`` on purpose: ``make test`` must not collect it on its
own, since it needs a target; the runner hands pytest this file while a run is active.
"""

from __future__ import annotations

from typing import Any

from schemathesis import Case

from medux_contract.conformance.active_run import active_run

RUN = active_run()


@RUN.schema.parametrize()
def test_server_keeps_the_contract(case: Case[Any]) -> None:
    RUN.sender.send_and_validate(case)
