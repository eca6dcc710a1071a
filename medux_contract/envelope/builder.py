"""Write the envelope an operation answers with one of its codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medux_contract.spec.model import Operation


def build_envelope(operation: Operation, code: int, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``{"code", "message", "data"?}`` for ``code`` as ``operation`` answers it.

    ``data`` defaults to the spec's example data for that code, so a code that carries members
    (``asset`` for 0) is never built without them. :class:`KeyError` for a code the operation cannot
    answer: building one would put a violation on the wire.
    """
    outcome = operation.outcome(code)
    envelope: dict[str, Any] = {"code": outcome.value, "message": outcome.code.message}
    if data is None and outcome.example is not None:
        example_data = outcome.example.get("data")
        data = example_data if isinstance(example_data, Mapping) else None
    if data is not None:
        envelope["data"] = dict(data)
    elif outcome.carries:
        envelope["data"] = {member: {} for member in outcome.carries}
    return envelope
