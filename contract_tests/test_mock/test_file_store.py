"""The file store: images clone, other categories are 1402, unknown ids are 12."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract_tests.test_mock.conftest import MockClient, assert_envelope, code_of, post
from medux_contract.mock import DEFAULT_CATALOG_PATH, MockSettings
from medux_contract.mock.catalog import CatalogError, read_catalog

SEEDED = read_catalog(DEFAULT_CATALOG_PATH).files
IMAGES = sorted(file_id for file_id, category in SEEDED.items() if category == "image")
NOT_IMAGES = sorted(file_id for file_id, category in SEEDED.items() if category != "image")


def test_fixture_seeds_images_and_other_categories() -> None:
    assert IMAGES
    assert NOT_IMAGES


@pytest.mark.parametrize("file_id", IMAGES)
async def test_image_file_yields_code_0_with_asset_title_and_task(
    mock_client: MockClient, file_id: str
) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": file_id, "title": "Portrait"})
    body = assert_envelope(response)
    assert body["code"] == code_of("OK")
    assert body["data"]["asset"]["title"] == "Portrait"
    assert body["data"]["asset"]["avatar_asset_id"]
    assert isinstance(body["data"]["task"], dict)


async def test_each_success_creates_a_distinct_asset(mock_client: MockClient) -> None:
    async with mock_client() as client:
        bodies = [assert_envelope(await post(client, {"file_id": IMAGES[0]})) for _ in range(5)]
    ids = {body["data"]["asset"]["avatar_asset_id"] for body in bodies}
    assert len(ids) == len(bodies)


@pytest.mark.parametrize("file_id", NOT_IMAGES)
async def test_file_that_is_not_an_image_yields_code_1402(mock_client: MockClient, file_id: str) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": file_id})
    assert assert_envelope(response)["code"] == code_of("ASSET_CATEGORY_MISMATCH")


@pytest.mark.parametrize(
    "file_id", ["file_never_uploaded", "file_mock_code_77777", "file_mock_code_", " FILE_ID"]
)
async def test_unknown_file_id_yields_code_12(mock_client: MockClient, file_id: str) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": file_id})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


async def test_extra_files_extend_and_override_the_fixture(mock_client: MockClient) -> None:
    settings = MockSettings(extra_files={"file_mine": "image", IMAGES[0]: "audio"})
    async with mock_client(settings) as client:
        added = await post(client, {"file_id": "file_mine"})
        overridden = await post(client, {"file_id": IMAGES[0]})
    assert assert_envelope(added)["code"] == code_of("OK")
    assert assert_envelope(overridden)["code"] == code_of("ASSET_CATEGORY_MISMATCH")


async def test_another_catalog_replaces_the_fixture(mock_client: MockClient, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps({"files": {"file_only": "image"}, "models": {"avatar-image-clone-standard": "free"}})
    )
    async with mock_client(catalog_path=catalog) as client:
        only = await post(client, {"file_id": "file_only"})
        seeded = await post(client, {"file_id": IMAGES[0]})
    assert assert_envelope(only)["code"] == code_of("OK")
    assert assert_envelope(seeded)["code"] == code_of("INVALID_INPUT")


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("{not json", "cannot be read as JSON"),
        ("[]", "top level must be an object"),
        ('{"files": {"f": 1}}', "'files' must map"),
        ('{"files": {}, "models": {"m": "gold"}}', "need a plan"),
    ],
)
def test_broken_catalog_is_refused_with_a_clear_message(tmp_path: Path, content: str, complaint: str) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(content)
    with pytest.raises(CatalogError, match=complaint):
        read_catalog(catalog)


def test_missing_catalog_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"missing\.json"):
        read_catalog(tmp_path / "missing.json")
