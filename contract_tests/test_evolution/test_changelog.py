"""`python -m scripts.changelog`: the entry for info.version, grouped by section, written once."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract_tests.test_evolution.pairs import load_pair, pair_paths, with_version
from medux_contract.evolution.changelog import HEADING, main
from medux_contract.spec import CODE_TABLE_KEY, OUTCOMES_KEY, REPO_ROOT, load_contract, load_spec

BREAKING_PAIR = "request-property-removed"


def write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def entries(text: str) -> list[str]:
    return [match.group("version") for match in HEADING.finditer(text)]


def run_changelog(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> tuple[int, Path]:
    changelog = tmp_path / "CHANGELOG.md"
    status = main(
        [
            "--old",
            str(write(tmp_path / "old.yaml", old)),
            "--new",
            str(write(tmp_path / "new.yaml", new)),
            "--changelog",
            str(changelog),
        ]
    )
    return status, changelog


def test_breaking_change_is_listed_under_breaking_with_its_pointer(tmp_path: Path) -> None:
    old, new = load_pair(BREAKING_PAIR)

    status, changelog = run_changelog(tmp_path, old, with_version(new, "2.0.0"))

    text = changelog.read_text(encoding="utf-8")
    assert status == 0
    assert entries(text) == ["2.0.0"]
    breaking = text.split("### Breaking", 1)[1]
    assert "`/components/schemas/ThingRequest/properties/size`" in breaking.splitlines()[2]


def test_running_twice_writes_the_entry_once_and_the_same(tmp_path: Path) -> None:
    old, new = load_pair(BREAKING_PAIR)
    run_changelog(tmp_path, old, with_version(new, "2.0.0"))
    first = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")

    status, changelog = run_changelog(tmp_path, old, with_version(new, "2.0.0"))

    assert status == 0
    assert changelog.read_text(encoding="utf-8") == first
    assert entries(first) == ["2.0.0"]


def test_sections_follow_the_rules_in_the_order_breaking_added_changed_fixed(tmp_path: Path) -> None:
    old, new = copy.deepcopy(load_spec()), copy.deepcopy(load_spec())
    create = load_contract().operation("createAvatarByImage")
    node = new["paths"][create.path][create.method]
    node[OUTCOMES_KEY][0]["billable"] = not create.success.billable  # Changed
    new[CODE_TABLE_KEY][0]["meaning"] += " (reworded)"  # Fixed
    request = node["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    new["components"]["schemas"][request.rsplit("/", 1)[-1]]["properties"]["extra"] = {
        "type": "string"
    }  # Added
    version = str(new["info"]["version"]).split(".")
    new["info"]["version"] = f"{version[0]}.{int(version[1]) + 1}.0"

    status, changelog = run_changelog(tmp_path, old, new)

    text = changelog.read_text(encoding="utf-8")
    assert status == 0
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### Added", "### Changed", "### Fixed"]
    changed = text.split("### Changed", 1)[1].split("###", 1)[0]
    assert f"{create.pointer}/{OUTCOMES_KEY}/0/billable" in changed
    assert f"/{CODE_TABLE_KEY}/0/meaning" in text.split("### Fixed", 1)[1]


def test_a_new_version_goes_on_top_and_older_entries_stay(tmp_path: Path) -> None:
    old, new = load_pair("request-property-added-optional")
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\nPreamble.\n\n## [1.0.0] - 2020-01-01\n\n### Added\n\n- Initial.\n")

    status, _ = run_changelog(tmp_path, old, with_version(new, "1.1.0"))

    text = changelog.read_text(encoding="utf-8")
    assert status == 0
    assert entries(text) == ["1.1.0", "1.0.0"]
    assert text.startswith("# Changelog\n\nPreamble.\n\n## [1.1.0]")
    assert text.endswith("## [1.0.0] - 2020-01-01\n\n### Added\n\n- Initial.\n")


def test_rewriting_an_entry_keeps_its_date_and_replaces_its_list(tmp_path: Path) -> None:
    old, new = load_pair("request-property-added-optional")
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## [1.1.0] - 2020-02-02\n\n### Added\n\n- stale line\n\n## [1.0.0] - 2020-01-01\n"
    )

    status, _ = run_changelog(tmp_path, old, with_version(new, "1.1.0"))

    text = changelog.read_text(encoding="utf-8")
    assert status == 0
    assert "## [1.1.0] - 2020-02-02" in text
    assert "stale line" not in text
    assert "/components/schemas/ThingRequest/properties/tag" in text
    assert entries(text) == ["1.1.0", "1.0.0"]


def test_an_unbumped_change_is_refused_and_the_file_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = load_pair(BREAKING_PAIR)

    status, changelog = run_changelog(tmp_path, old, with_version(new, "1.1.0"))

    assert status == 1
    assert not changelog.exists()
    assert "2.0.0" in capsys.readouterr().err


def test_no_change_since_base_leaves_the_file_alone(tmp_path: Path) -> None:
    old, _ = load_pair(BREAKING_PAIR)

    status, changelog = run_changelog(tmp_path, old, old)

    assert status == 0
    assert not changelog.exists()


def test_without_a_base_spec_the_entry_describes_the_initial_contract_once(tmp_path: Path) -> None:
    spec = load_spec()
    changelog = tmp_path / "CHANGELOG.md"
    args = ["--repo", str(tmp_path), "--new", str(REPO_ROOT / "openapi.yaml"), "--changelog", str(changelog)]

    assert main(args) == 0
    first = changelog.read_text(encoding="utf-8")
    assert main(args) == 0

    assert changelog.read_text(encoding="utf-8") == first
    assert entries(first) == [spec["info"]["version"]]
    for entry in load_contract().codes:
        assert f"{entry.code} {entry.message}" in first


def test_the_1_1_0_entry_names_list_avatars_and_the_new_shape_of_the_code_facts(tmp_path: Path) -> None:
    release_1_0_0 = Path(__file__).resolve().parent / "releases" / "openapi-1.0.0.yaml"
    changelog = tmp_path / "CHANGELOG.md"

    release_1_1_0 = release_1_0_0.with_name("openapi-1.1.0.yaml")  # 2.0.0 renamed three exceptions since
    status = main(["--old", str(release_1_0_0), "--new", str(release_1_1_0), "--changelog", str(changelog)])

    text = changelog.read_text(encoding="utf-8")
    assert status == 0
    added = text.split("### Added", 1)[1].split("###", 1)[0]
    assert "GET listAvatars: List Avatars, codes 0, 12, 13, 99" in added
    changed = text.split("### Changed", 1)[1].split("###", 1)[0]
    for fact in ("`retry`", "x-medux-outcomes", "x-medux-mock", "same meaning"):
        assert fact in changed
    assert "### Breaking" not in text


def test_malformed_spec_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("info: [", encoding="utf-8")

    status = main(
        ["--old", str(pair_paths(BREAKING_PAIR)[0]), "--new", str(bad), "--changelog", str(tmp_path / "c.md")]
    )

    err = capsys.readouterr().err
    assert status == 2
    assert "not valid YAML" in err
    assert "Traceback" not in err


def test_committed_changelog_has_an_entry_for_the_current_info_version() -> None:
    text = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert str(load_spec()["info"]["version"]) in entries(text), "run `make changelog` after a bump"
