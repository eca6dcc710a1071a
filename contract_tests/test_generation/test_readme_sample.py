"""The README's client sample runs as written, against the spec's own example answers."""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import httpx
import pytest
import respx

from medux_contract.generation.readme_errors_table import README
from medux_contract.spec import Outcome, load_contract

CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
SERVER = CONTRACT.document["servers"][0]["url"]


def readme_client_sample() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README.md's 'Using the client' section has no python block"
    return match.group(1)


def example_envelope(outcome: Outcome) -> dict[str, Any]:
    assert outcome.example is not None
    return dict(outcome.example)


def run_sample(envelope: dict[str, Any]) -> str:
    out = io.StringIO()
    with respx.mock(assert_all_called=True) as router, contextlib.redirect_stdout(out):
        router.post(f"{SERVER}{CREATE.path}").mock(return_value=httpx.Response(200, json=envelope))
        exec(compile(readme_client_sample(), "README.md", "exec"), {"api_key": "sk_readme"})
    return out.getvalue()


def test_readme_sample_prints_the_created_asset_id() -> None:
    envelope = example_envelope(CREATE.success)
    assert run_sample(envelope).split() == [envelope["data"]["asset"]["avatar_asset_id"]]


@pytest.mark.parametrize(
    "outcome",
    [o for o in CREATE.outcomes if not o.is_success and not o.retry_safe],
    ids=lambda o: o.code.name,
)
def test_readme_sample_handles_every_error_code(outcome: Outcome) -> None:
    printed = run_sample(example_envelope(outcome))
    code = outcome.code
    # The sample catches InsufficientCreditsError silently and prints every other MeduxError.
    expected = "" if code.exception == "InsufficientCreditsError" else f"{code.code} {code.message} 200\n"
    assert printed == expected
