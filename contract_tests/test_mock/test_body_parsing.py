"""The mock reads request bodies with orjson where it can and json where orjson cannot: whatever the
bytes, the verdict (the value, to its types, or the refusal) is the one json alone gives."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medux_contract.mock.request_input import InputRejected, parse_json


def _refuse(name: str) -> Any:
    raise ValueError(name)


_JSON_ONLY = json.JSONDecoder(parse_constant=_refuse)


def json_alone(raw: bytes) -> tuple[str, Any]:
    """What json by itself makes of ``raw``: ("value", its typed shape) or ("refused", None)."""
    try:
        return "value", typed(_JSON_ONLY.decode(raw.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "refused", None


def parsed(raw: bytes) -> tuple[str, Any]:
    try:
        return "value", typed(parse_json(raw))
    except InputRejected:
        return "refused", None


def typed(value: Any) -> Any:
    """``value`` with every scalar's type kept: 1, 1.0 and True differ, and so do 0.0 and -0.0."""
    if isinstance(value, dict):
        return ("object", tuple((key, typed(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(typed(item) for item in value))
    if isinstance(value, float):
        return ("float", math.copysign(1.0, value), repr(value))
    return (type(value).__name__, value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(json_values, st.booleans())
def test_every_json_text_reads_as_json_reads_it(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert parsed(raw) == json_alone(raw)


@settings(max_examples=400, deadline=None)
@given(
    st.binary(max_size=40)
    | st.text(alphabet='{}[]":,0123456789.eE+-tfnrul\\ \t', max_size=30).map(str.encode)
)
def test_any_bytes_get_the_verdict_json_alone_gives(raw: bytes) -> None:
    assert parsed(raw) == json_alone(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"count": 18446744073709551616}',  # one past 64 bits: orjson would make it a float
        b'{"count": -9223372036854775809}',
        b'{"id": "1234567890123456789"}',  # nineteen digits in a string: read by json, same value
        b'{"title": "\\ud800"}',  # a lone surrogate escape: valid JSON orjson refuses
        b"[" * 1100 + b"]" * 1100,  # deeper than orjson goes, within json's reach or refused by it
        b'{"a": 1e400}',
        b'{"a": NaN}',
        b"\xef\xbb\xbf{}",
        b'{"a": "\xff"}',
        b'{"a": 1, "a": 2}',
    ],
)
def test_what_orjson_reads_otherwise_or_refuses_is_left_to_json(raw: bytes) -> None:
    assert parsed(raw) == json_alone(raw)


def test_a_big_integer_stays_an_integer() -> None:
    assert parse_json(b'{"count": 18446744073709551616}') == {"count": 18446744073709551616}
    assert type(parse_json(b'{"count": 18446744073709551616}')["count"]) is int
