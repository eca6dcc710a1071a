"""The version gate: a breaking change needs a major bump, an addition a minor one, prose a patch."""

from __future__ import annotations

import pytest

from contract_tests.test_evolution.pairs import load_pair, with_version
from medux_contract.evolution.diff_rules import Bump
from medux_contract.evolution.spec_diff import diff_specs
from medux_contract.evolution.version_gate import judge
from medux_contract.spec import SpecError

BREAKING_PAIR = "request-property-removed"
ADDITION_PAIR = "request-property-added-optional"
NOTICE_PAIR = "code-added"
DOCUMENTATION_PAIR = "documentation-changed"


def verdict_for(pair: str, old_version: str, new_version: str) -> tuple[bool, str]:
    old, new = load_pair(pair)
    old, new = with_version(old, old_version), with_version(new, new_version)
    verdict = judge(old, new, diff_specs(old, new))
    return verdict.ok, verdict.message


@pytest.mark.parametrize(
    ("pair", "new_version", "passes"),
    [
        (BREAKING_PAIR, "2.0.0", True),
        (BREAKING_PAIR, "1.1.0", False),
        (BREAKING_PAIR, "1.0.1", False),
        (BREAKING_PAIR, "1.0.0", False),
        (ADDITION_PAIR, "1.1.0", True),
        (ADDITION_PAIR, "2.0.0", True),
        (ADDITION_PAIR, "1.0.1", False),
        (ADDITION_PAIR, "1.0.0", False),
        (NOTICE_PAIR, "1.1.0", True),
        (NOTICE_PAIR, "1.0.1", False),
        (DOCUMENTATION_PAIR, "1.0.1", True),
        (DOCUMENTATION_PAIR, "1.1.0", True),
        (DOCUMENTATION_PAIR, "1.0.0", False),
    ],
)
def test_bump_must_be_at_least_what_the_changes_need(pair: str, new_version: str, passes: bool) -> None:
    ok, _ = verdict_for(pair, "1.0.0", new_version)
    assert ok is passes


def test_failed_gate_names_the_version_to_use() -> None:
    ok, message = verdict_for(BREAKING_PAIR, "1.4.2", "1.5.0")
    assert not ok
    assert "2.0.0" in message


def test_unbumped_change_says_the_version_is_unchanged() -> None:
    ok, message = verdict_for(ADDITION_PAIR, "1.0.0", "1.0.0")
    assert not ok
    assert "still 1.0.0" in message
    assert "1.1.0" in message


def test_no_contract_change_passes_without_a_bump() -> None:
    old, _ = load_pair(BREAKING_PAIR)
    verdict = judge(old, old, diff_specs(old, old))
    assert verdict.ok
    assert verdict.required is Bump.NONE


def test_a_release_bump_without_a_change_passes() -> None:
    old, _ = load_pair(BREAKING_PAIR)
    assert judge(old, with_version(old, "1.1.0"), []).ok


def test_a_lowered_version_fails_even_without_a_change() -> None:
    old, _ = load_pair(BREAKING_PAIR)
    verdict = judge(with_version(old, "1.2.0"), with_version(old, "1.1.9"), [])
    assert not verdict.ok
    assert "backwards" in verdict.message


@pytest.mark.parametrize(
    ("old_version", "new_version"), [("2.0.0-rc.1", "2.0.0-rc.2"), ("2.0.0-rc.2", "2.0.0")]
)
def test_moving_on_from_a_pre_release_allows_any_change(old_version: str, new_version: str) -> None:
    ok, _ = verdict_for(BREAKING_PAIR, old_version, new_version)
    assert ok


def test_a_pre_release_of_the_next_major_satisfies_a_breaking_change() -> None:
    ok, _ = verdict_for(BREAKING_PAIR, "1.3.0", "2.0.0-rc.1")
    assert ok


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0.0", "one", ""])
def test_a_version_that_is_not_semver_is_a_clear_error(version: str) -> None:
    old, new = load_pair(ADDITION_PAIR)
    with pytest.raises(SpecError, match=r"new spec: info.version .* is not a SemVer version"):
        judge(old, with_version(new, version), [])


def test_a_missing_version_is_a_clear_error() -> None:
    old, new = load_pair(ADDITION_PAIR)
    del old["info"]["version"]
    with pytest.raises(SpecError, match=r"old spec: info\.version must be a string"):
        judge(old, new, [])
