"""Query parameters are read as their schemas declare them: typed strictly, bounded, defaulted."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tests.test_mock.conftest import CONTRACT, LIST
from medux_contract.mock.parameters import ParameterReader
from medux_contract.mock.request_input import InputRejected
from medux_contract.spec import Parameter, SpecError

LIMIT = ParameterReader.of(CONTRACT.document, next(p for p in LIST.parameters if p.name == "limit"))
BOUNDS = (LIMIT.parameter.schema["minimum"], LIMIT.parameter.schema["maximum"])

texts = (
    st.text(max_size=6) | st.integers(-1000, 1000).map(str) | st.sampled_from(["007", "-0", "1e2", "0x10"])
)


@settings(max_examples=400, deadline=None, database=None)
@given(texts)
def test_limit_is_accepted_exactly_when_it_is_a_whole_number_within_its_bounds(text: str) -> None:
    # Only ASCII digits with an optional minus: not "+5", " 5", "1e2", "0x10" or other scripts' digits.
    whole = re.fullmatch(r"-?[0-9]+", text) is not None
    if whole and BOUNDS[0] <= int(text) <= BOUNDS[1]:
        assert LIMIT.read([text]) == (True, int(text))
    else:
        with pytest.raises(InputRejected, match="limit"):
            LIMIT.read([text])


def test_a_missing_limit_takes_its_default_and_a_missing_cursor_stays_absent() -> None:
    cursor = ParameterReader.of(CONTRACT.document, next(p for p in LIST.parameters if p.name == "cursor"))
    assert LIMIT.read([]) == (True, LIMIT.parameter.schema["default"])
    assert cursor.read([]) == (False, None)


@pytest.mark.parametrize(
    ("location", "schema"),
    [("path", {"type": "string"}), ("query", {"type": "array", "items": {"type": "string"}})],
    ids=["path-parameter", "array-parameter"],
)
def test_a_parameter_the_mock_cannot_read_stops_it_at_start_up_naming_it(
    location: str, schema: dict[str, object]
) -> None:
    parameter = Parameter("tags", location, False, schema, "", "/paths/~1x/get/parameters/0")
    with pytest.raises(SpecError, match=r"/paths/~1x/get/parameters/0.*'tags'"):
        ParameterReader.of(CONTRACT.document, parameter)
