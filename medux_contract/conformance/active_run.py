"""The run the suite module is collected for.

pytest 9 breaks schemathesis's fixture-based lazy schema (``from_fixture``), so the suite builds
its parametrized test at import time from the run the runner activated here. The runner imports
the suite afresh for every run, so one process can run the suite against several targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from schemathesis.schemas import BaseSchema

from medux_contract.conformance.sender import Sender


@dataclass(frozen=True)
class ActiveRun:
    schema: BaseSchema
    sender: Sender


_active: list[ActiveRun] = []


def active_run() -> ActiveRun:
    if not _active:
        raise RuntimeError(
            "the conformance suite needs a target: run it with `make conformance` "
            "(python -m scripts.conformance)"
        )
    return _active[-1]


@contextmanager
def activated(run: ActiveRun) -> Iterator[ActiveRun]:
    _active.append(run)
    try:
        yield run
    finally:
        _active.remove(run)
