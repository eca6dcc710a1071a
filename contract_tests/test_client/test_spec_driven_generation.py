"""A code added to openapi.yaml yields its error class and retry behaviour with no other edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from medux_contract.generation.client_generation import render_client
from medux_contract.generation.drift import tree_diff
from medux_contract.spec import CODE_TABLE_KEY, OUTCOMES_KEY, SPEC_PATH, load_contract, read_spec

CREATE = load_contract().operation("createAvatarByImage")
NEW_CODE = max(code.code for code in load_contract().codes) + 1
NEW_ROW: dict[str, Any] = {
    "code": NEW_CODE,
    "name": "UNDER_MAINTENANCE",
    "message": "under maintenance",
    "exception": "UnderMaintenanceError",
    "group": "maintenance",
    "meaning": "The service is briefly down for maintenance.",
    "meaning_source": "inferred",
    "retry": "always",
}
NEW_STATUS = 503

# Runs in a fresh interpreter that imports the client rendered from the edited spec, never generated/.
PROBE = textwrap.dedent(
    """
    import json, sys
    import httpx, respx
    import medux_avatar_client as client_package
    from medux_avatar_client import AuthenticatedClient, RetryPolicy, TransientError, exceptions
    from medux_avatar_client.api.clone import create_avatar_by_image
    from medux_avatar_client.models import CreateAvatarByImageRequest, ResponseCode

    row = json.loads(sys.argv[1])
    new_class = getattr(client_package, row["exception"])
    sleeps = []
    client = AuthenticatedClient(
        base_url="https://api.medux.io", token="k",
        retry_policy=RetryPolicy(sleep=sleeps.append, random=lambda: 0.0),
    )
    with respx.mock(base_url="https://api.medux.io") as api:
        refusal = {"code": row["code"], "message": row["message"]}
        route = api.post(sys.argv[2]).mock(return_value=httpx.Response(503, json=refusal))
        try:
            create_avatar_by_image.sync(client=client, body=CreateAvatarByImageRequest(file_id="F"))
            raised = None
        except exceptions.MeduxError as error:
            raised = type(error).__name__
    print(json.dumps({
        "raised": raised,
        "bases": [base.__name__ for base in new_class.__mro__],
        "is_transient": issubclass(new_class, TransientError),
        "registered": exceptions.ERRORS_BY_CODE[row["code"]] is new_class,
        "member": ResponseCode(row["code"]).name,
        "calls": route.call_count,
        "sleeps": sleeps,
    }))
    """
)


def _spec_with_new_code(path: Path) -> Path:
    """openapi.yaml plus a new code in the table that Create Avatar by Image can answer."""
    spec = read_spec(SPEC_PATH)
    spec[CODE_TABLE_KEY].append(dict(NEW_ROW))
    schemas = spec["components"]["schemas"]
    for schema_name, value in (("ResponseCode", NEW_ROW["code"]), ("ResponseMessage", NEW_ROW["message"])):
        schemas[schema_name]["enum"].append(value)
        schemas[schema_name]["x-enum-varnames"].append(NEW_ROW["name"])
    raw = spec["paths"][CREATE.path][CREATE.method]
    raw[OUTCOMES_KEY].append({"code": NEW_CODE, "carries": [], "billable": False})
    examples = raw["responses"]["200"]["content"]["application/json"]["examples"]
    examples[NEW_ROW["name"].lower()] = {
        "summary": f"{NEW_ROW['code']} {NEW_ROW['message']}",
        "value": {"code": NEW_ROW["code"], "message": NEW_ROW["message"]},
    }
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_new_code_in_the_spec_gets_its_exception_group_and_retries(tmp_path: Path) -> None:
    spec = _spec_with_new_code(tmp_path / "openapi.yaml")
    render_client(tmp_path / "client", spec)

    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(NEW_ROW), CREATE.path],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "client")},
        cwd=tmp_path,
    )

    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout)
    assert result["raised"] == NEW_ROW["exception"]
    assert result["bases"][:3] == [NEW_ROW["exception"], "MaintenanceFailure", "TransientError"]
    assert result["is_transient"] is True
    assert result["registered"] is True
    assert result["member"] == NEW_ROW["name"]
    assert result["calls"] == 3  # the default two retries: the row says `retry: always`
    assert result["sleeps"] == [0.5, 1.0]


def test_rendering_twice_gives_byte_identical_trees(tmp_path: Path) -> None:
    render_client(tmp_path / "first")
    render_client(tmp_path / "second")
    assert tree_diff(tmp_path / "first", tmp_path / "second") == []


@pytest.mark.parametrize(
    ("column", "value", "complaint"),
    [
        ("exception", "BillingFailure", "clashes with the base of group 'billing'"),
        # One letter from the 1404 class: a caller reaching for one would catch the other.
        ("exception", "ProviderReturnedErrors", "differ by one letter"),
        ("exception", "MeduxError", "clashes with a fixed class"),
        ("group", "Not Snake", "not lower_snake_case"),
    ],
)
def test_code_row_whose_names_cannot_become_classes_fails_generation_clearly(
    tmp_path: Path, column: str, value: str, complaint: str
) -> None:
    from medux_contract.generation.client_generation import GenerationError  # noqa: PLC0415

    spec = read_spec(_spec_with_new_code(tmp_path / "openapi.yaml"))
    spec[CODE_TABLE_KEY][-1][column] = value
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    with pytest.raises(GenerationError, match=complaint):
        render_client(tmp_path / "client", broken)
