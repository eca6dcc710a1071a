"""The fast request-schema verdict (jsonschema-rs) always agrees with the reference (jsonschema)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_tests.test_mock.conftest import CREATE
from medux_contract.mock import create_app
from medux_contract.mock.request_input import InputRejected
from medux_contract.mock.request_schema import RequestSchema

SCHEMA: RequestSchema = create_app().state.mock.handlers["POST", CREATE.path].body

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
)
# Bodies near the schema's edges: its own members with any value, plus unknown ones.
field_names = st.sampled_from(["file_id", "title", "model_id", "extra", ""])
field_values = st.sampled_from(["", "FILE_ID", "avatar-image-clone-standard"]) | json_values
bodies = st.dictionaries(field_names, field_values, max_size=4) | json_values


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_fast_and_reference_validators_give_the_same_verdict(body: Any) -> None:
    assert SCHEMA.accepts(body) == SCHEMA.reference.is_valid(body)


@settings(max_examples=200, deadline=None, database=None)
@given(bodies)
def test_the_mock_accepts_exactly_what_the_reference_accepts_and_says_why_not(body: Any) -> None:
    if isinstance(body, dict) and SCHEMA.reference.is_valid(body):
        assert SCHEMA.validated(body) is body
    else:
        with pytest.raises(InputRejected, match=r"\S"):
            SCHEMA.validated(body)
