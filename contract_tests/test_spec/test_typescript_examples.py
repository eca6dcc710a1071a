"""`make lint` types every example of the spec with openapi-typescript and checks it with tsc --strict.

The tools are the pinned ones in node_modules/ (openapi-typescript, default settings; TypeScript).
Each run of them costs about two seconds, so the broken examples share one run: one spec carries
every kind of break, and each test reads the verdict on its own example.
"""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, FIXTURE_PATH, with_fixture_operation
from medux_contract.lint import typescript_examples
from medux_contract.lint.typescript_examples import (
    OPENAPI_TYPESCRIPT,
    TypedExample,
    check_examples,
    defaulted_optional_properties,
    type_check,
    typed_examples,
)
from medux_contract.spec import SPEC_PATH, contract_of, load_contract, load_spec

Spec = dict[str, Any]
CREATE_PATH = "/api/app/v1/clone/avatar/by_image"
LIST_PATH = "/api/app/v1/clone/avatars"
CREATE_AT = "/paths/~1api~1app~1v1~1clone~1avatar~1by_image/post"
LIST_AT = "/paths/~1api~1app~1v1~1clone~1avatars/get"
FIXTURE_AT = "/paths/" + FIXTURE_PATH.replace("/", "~1") + "/get"
REQUEST_EXAMPLES = f"{CREATE_AT}/requestBody/content/application~1json/examples"
LIST_EXAMPLES = f"{LIST_AT}/responses/200/content/application~1json/examples"


def write(tmp_path: Path, spec: Spec) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def request_examples(spec: Spec) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][CREATE_PATH]["post"]["requestBody"]["content"]["application/json"]
    return found["examples"]  # type: ignore[no-any-return]


def list_examples(spec: Spec) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][LIST_PATH]["get"]["responses"]["200"]["content"]["application/json"]
    return found["examples"]  # type: ignore[no-any-return]


def broken_spec() -> Spec:
    """The spec plus the fixture operation, with one example of each kind the generated types reject."""
    spec = copy.deepcopy(with_fixture_operation(load_spec()))
    request_examples(spec)["minimal"]["value"] = {"title": "no file_id"}
    request_examples(spec)["official_avatar_image_clone"]["value"]["model_id"] = 7
    spec["paths"][LIST_PATH]["get"]["parameters"][1]["example"] = "twenty"
    list_examples(spec)["ok"]["value"]["data"]["items"] = [{"avatar_asset_id": 1}]
    list_examples(spec)["server_error"]["value"]["code"] = 98
    fixture = spec["paths"][FIXTURE_PATH]["get"]
    fixture["parameters"][0].pop("example")  # its one required parameter now has no example
    return spec


@pytest.fixture(scope="module")
def broken_verdict(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    spec = broken_spec()
    return check_examples(write(tmp_path_factory.mktemp("broken"), spec), contract_of(spec))


def problems_at(pointer: str, problems: list[str]) -> list[str]:
    return [problem for problem in problems if problem.startswith(f"{pointer}: ")]


# The committed spec and the fixture operation ---------------------------------------------------


def test_every_example_of_the_spec_and_the_fixture_operation_type_checks(tmp_path: Path) -> None:
    spec = with_fixture_operation(load_spec())
    assert check_examples(write(tmp_path, spec), contract_of(spec)) == []


def test_examples_of_every_operation_are_gathered_from_the_spec_model() -> None:
    contract = contract_of(with_fixture_operation(load_spec()))
    gathered = {example.pointer for example in typed_examples(contract)}
    for operation in contract.operations:
        for name in operation.response_examples:
            assert f"{operation.pointer}/responses/200/content/application~1json/examples/{name}" in gathered
        for name in operation.request_examples:
            assert f"{operation.pointer}/requestBody/content/application~1json/examples/{name}" in gathered
        for parameter in operation.parameters:
            assert parameter.pointer in gathered
    assert f"{FIXTURE_AT}/parameters (required query parameters)" in gathered
    assert any(op.operation_id == FIXTURE_OPERATION_ID for op in contract.operations)


def test_request_examples_are_typed_as_inputs_with_defaulted_properties_optional() -> None:
    contract = load_contract()
    create = contract.operation("createAvatarByImage")
    assert defaulted_optional_properties(contract, create) == ("model_id",)
    (minimal,) = [e for e in typed_examples(contract) if e.pointer == f"{REQUEST_EXAMPLES}/minimal"]
    assert minimal.type_expression.startswith("AsInput<")
    assert minimal.type_expression.endswith(', "model_id">')


# What the check rejects -------------------------------------------------------------------------


def test_a_request_example_missing_a_required_field_is_rejected(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{REQUEST_EXAMPLES}/minimal", broken_verdict)
    assert "Property 'file_id' is missing" in problem


def test_a_request_example_with_a_wrong_type_is_rejected(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{REQUEST_EXAMPLES}/official_avatar_image_clone", broken_verdict)
    assert "Type 'number' is not assignable to type 'string'" in problem


def test_a_query_parameter_example_with_a_wrong_type_is_rejected(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{LIST_AT}/parameters/1", broken_verdict)
    assert "Type 'string' is not assignable to type 'number'" in problem


def test_a_response_example_with_a_wrong_nested_type_is_rejected(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{LIST_EXAMPLES}/ok", broken_verdict)
    assert "Type 'number' is not assignable to type 'string'" in problem


def test_a_response_example_with_a_code_outside_the_enum_is_rejected(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{LIST_EXAMPLES}/server_error", broken_verdict)
    assert "Type '98' is not assignable" in problem


def test_required_parameters_of_the_fixture_operation_need_examples(broken_verdict: list[str]) -> None:
    (problem,) = problems_at(f"{FIXTURE_AT}/parameters (required query parameters)", broken_verdict)
    assert "Property 'widget_id' is missing" in problem


def test_nothing_but_the_broken_examples_is_reported(broken_verdict: list[str]) -> None:
    assert len(broken_verdict) == 6, broken_verdict


# Why request examples are typed as inputs -------------------------------------------------------


def test_openapi_typescript_defaults_would_reject_the_minimal_request_as_generated(tmp_path: Path) -> None:
    """openapi-typescript (default settings) types `model_id`, which has a `default`, as required.

    Checked against that type unchanged, the spec's own minimal example fails; this is what the
    `AsInput` typing of request examples corrects. If an upgrade of openapi-typescript makes this
    test fail, the correction may no longer be needed.
    """
    generated = tmp_path / "api.ts"
    command = [str(OPENAPI_TYPESCRIPT), str(SPEC_PATH), "--output", str(generated)]
    subprocess.run(command, check=True, capture_output=True)
    request_type = generated.read_text(encoding="utf-8").split("CreateAvatarByImageRequest: {", 1)[1]
    assert re.search(r"^\s*model_id: string;$", request_type.split("};", 1)[0], re.MULTILINE)

    as_generated = (
        'NonNullable<operations["createAvatarByImage"]["requestBody"]>["content"]["application/json"]'
    )
    minimal = TypedExample(f"{REQUEST_EXAMPLES}/minimal", as_generated, {"file_id": "FILE_ID"})
    (problem,) = type_check(SPEC_PATH, [minimal])
    assert problem.startswith(f"{REQUEST_EXAMPLES}/minimal: Property 'model_id' is missing")


# Clear messages, not tracebacks -----------------------------------------------------------------


def test_missing_tools_are_named_with_what_to_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(typescript_examples, "OPENAPI_TYPESCRIPT", tmp_path / "openapi-typescript")
    assert check_examples(SPEC_PATH, load_contract()) == [
        "openapi-typescript is not installed: run `make lint` (it runs `npm ci`) instead."
    ]


def test_a_spec_openapi_typescript_cannot_read_is_reported_in_one_line(tmp_path: Path) -> None:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["Asset"]["properties"]["avatar_asset_id"] = {
        "$ref": "#/components/schemas/Nowhere"
    }
    problems = check_examples(write(tmp_path, spec), contract_of(spec))
    assert problems == [
        "openapi-typescript cannot read the spec: "
        "Can't resolve $ref at #/components/schemas/Asset/properties/avatar_asset_id"
    ]
