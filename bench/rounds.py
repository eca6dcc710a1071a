"""The order in which contenders take their turn in a round of a comparison.

Every bench that compares sides on this shared machine (servers under wrk, client calls, list
sizes) runs them in rounds and rotates who goes first, so a busy spell does not always land on
the same side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def rotation(keys: Sequence[T], round_index: int) -> list[T]:
    """The contenders' order in one round: rotated by one each round, so none always goes first."""
    shift = round_index % len(keys) if keys else 0
    return [*keys[shift:], *keys[:shift]]
