"""Which operations get pagination iterators follows from the spec's shape, not from a list of names."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.generation.client_extras import render_modules
from medux_contract.generation.paged_operations import PagedOperation, PagingError, paged_operations
from medux_contract.spec import Contract, contract_of, load_contract

LIST = load_contract().operation("listAvatars")


def _document() -> dict[str, Any]:
    return copy.deepcopy(dict(load_contract().document))


def _list_raw(document: dict[str, Any]) -> dict[str, Any]:
    raw: dict[str, Any] = document["paths"][LIST.path][LIST.method]
    return raw


def _paged(document: dict[str, Any]) -> list[PagedOperation]:
    return paged_operations(contract_of(document))


def test_list_avatars_is_paged_with_the_names_the_generator_gives_its_module_and_models() -> None:
    assert paged_operations(load_contract()) == [
        PagedOperation(
            operation_id="listAvatars",
            module="list_avatars",
            tag="clone",
            envelope_class="ListAvatarsResponse",
            result_class="ListAvatarsResult",
            item_class="Asset",
            items_member="items",
            cursor_member="next_cursor",
        )
    ]


def test_an_operation_without_a_cursor_parameter_is_not_paged() -> None:
    document = with_fixture_operation(_document())
    raw = _list_raw(document)
    raw["parameters"] = [p for p in raw["parameters"] if p["name"] != "cursor"]

    contract: Contract = contract_of(document)

    assert paged_operations(contract) == []
    assert FIXTURE_OPERATION_ID in {op.operation_id for op in contract.operations}


def test_a_renamed_array_member_is_what_the_iterators_read() -> None:
    document = _document()
    page = document["components"]["schemas"]["AvatarPage"]["properties"]
    page["avatars"] = page.pop("items")
    for row in _list_raw(document)["x-medux-outcomes"]:
        if row["code"] == 0:
            row["carries"] = ["avatars"]

    (paged,) = _paged(document)
    module = render_modules(contract_of(document))["pagination.py"]

    assert paged.items_member == "avatars"
    assert "data.avatars" in module
    assert "data.items" not in module


def test_items_without_a_component_schema_fail_generation_with_the_node_named() -> None:
    document = _document()
    items = document["components"]["schemas"]["AvatarPage"]["properties"]["items"]
    items["items"] = {"type": "object", "properties": {"avatar_asset_id": {"type": "string"}}}

    with pytest.raises(
        PagingError, match=r"listAvatars: to page it, the items of AvatarPage\.items must be a \$ref"
    ):
        _paged(document)


def test_a_spec_without_paged_operations_renders_a_pagination_module_with_nothing_to_import() -> None:
    document = _document()
    raw = _list_raw(document)
    raw["parameters"] = [p for p in raw["parameters"] if p["name"] != "cursor"]

    module = render_modules(contract_of(document))["pagination.py"]

    assert "import" not in module.split('"""')[-1].replace("from __future__ import annotations", "")
    compile(module, "pagination.py", "exec")
