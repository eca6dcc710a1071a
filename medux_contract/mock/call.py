"""One request as the decision chain sees it once its inputs are read, and how a step refuses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.types import Scope


class Refused(Exception):
    """The request ends with the code of table row ``name``; ``reason`` goes to the diagnostics."""

    def __init__(self, name: str, reason: str, retry_after: int = 1) -> None:
        super().__init__(reason)
        self.name, self.reason, self.retry_after = name, reason, retry_after


@dataclass(slots=True)
class Call:
    """A request that passed credentials and input validation.

    ``key`` is None for an operation that needs no credentials; ``body`` is ``{}`` for one without
    a request body; ``params`` holds each declared parameter sent (or defaulted), already typed.
    ``on_demand`` marks a success chosen with a magic value: it must touch no state.
    """

    scope: Scope
    key: str | None
    body: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)
    on_demand: bool = False
