"""Judge the bump of ``info.version`` against the changes it comes with (Semantic Versioning).

The least bump a change needs follows from its changelog section (see :mod:`.diff_rules`):
Breaking -> major, Added/Changed -> minor, Fixed (descriptions, examples) -> patch. Any change to
the contract needs some bump, because the generated client carries ``info.version`` as its own
version and a changed client must not ship under an old number. No change needs no bump, so a
commit that leaves openapi.yaml alone always passes. A version may be raised without a change
(a release), never lowered. Moving from a pre-release to a later version of the same release
(``2.0.0-rc.1`` -> ``2.0.0-rc.2`` or ``2.0.0``) satisfies any change: a pre-release promises nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import semver

from medux_contract.evolution.diff_rules import Bump, Change
from medux_contract.spec import SpecError


def spec_version(spec: dict[str, Any], label: str) -> semver.Version:
    """The spec's ``info.version``, which must be a SemVer 2.0.0 version such as ``1.2.0``."""
    info = spec.get("info")
    text = info.get("version") if isinstance(info, dict) else None
    if not isinstance(text, str):
        raise SpecError(f"{label}: info.version must be a string such as '1.0.0', got {text!r}")
    try:
        return semver.Version.parse(text)
    except ValueError:
        raise SpecError(
            f"{label}: info.version {text!r} is not a SemVer version (MAJOR.MINOR.PATCH)"
        ) from None


def required_bump(changes: Iterable[Change]) -> Bump:
    return max((c.rule.section.bump for c in changes), default=Bump.NONE)


def actual_bump(old: semver.Version, new: semver.Version) -> Bump | None:
    """The bump from ``old`` to ``new``; None when ``new`` is not later than ``old``."""
    if new.compare(old) <= 0:
        return None
    if new.major != old.major:
        return Bump.MAJOR
    if new.minor != old.minor:
        return Bump.MINOR
    if new.patch != old.patch:
        return Bump.PATCH
    # Same MAJOR.MINOR.PATCH and later: a pre-release moved on (or became the release).
    return Bump.MAJOR if old.prerelease else Bump.PATCH


def suggested(old: semver.Version, bump: Bump) -> str:
    if bump is Bump.MAJOR:
        return str(old.bump_major())
    if bump is Bump.MINOR:
        return str(old.bump_minor())
    return str(old.bump_patch())


@dataclass(frozen=True)
class Verdict:
    ok: bool
    old: str
    new: str
    required: Bump
    actual: Bump | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "old": self.old,
            "new": self.new,
            "required_bump": self.required.name.lower(),
            "actual_bump": "lowered" if self.actual is None else self.actual.name.lower(),
            "message": self.message,
        }


def judge(
    old_spec: dict[str, Any],
    new_spec: dict[str, Any],
    changes: list[Change],
    labels: tuple[str, str] = ("old spec", "new spec"),
) -> Verdict:
    old = spec_version(old_spec, labels[0])
    new = spec_version(new_spec, labels[1])
    required = required_bump(changes)
    actual = actual_bump(old, new) if new != old else Bump.NONE

    def verdict(ok: bool, message: str) -> Verdict:
        return Verdict(ok, str(old), str(new), required, actual, message)

    if actual is None:
        return verdict(False, f"info.version went backwards: {old} -> {new}")
    if actual >= required:
        if required is Bump.NONE:
            return verdict(True, f"no contract change; info.version {old} -> {new}")
        return verdict(
            True, f"{required.name.lower()} change with a {actual.name.lower()} bump: {old} -> {new}"
        )
    wanted = suggested(old, required)
    if actual is Bump.NONE:
        return verdict(False, f"the contract changed but info.version is still {old}: bump it to {wanted}")
    return verdict(
        False,
        f"a {required.name.lower()} change needs a {required.name.lower()} bump, "
        f"got {actual.name.lower()} ({old} -> {new}): use {wanted}",
    )
