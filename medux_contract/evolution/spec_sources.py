"""Read the two specs to compare: a file, or openapi.yaml as committed at a git ref.

History that is not there (the first commit's HEAD~1, any ref in a shallow clone) or a base with no
openapi.yaml is not an error: there is simply nothing to compare, which :class:`NothingToCompare`
says. Any other ref that does not resolve is a mistyped BASE, and an error: passing it would skip
the gate without anyone noticing.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medux_contract.spec import SpecError, parse_yaml, read_spec

SPEC_NAME = "openapi.yaml"
# HEAD~1, HEAD^, HEAD~2^: ancestors of HEAD that a short history may simply not have.
_HEAD_ANCESTOR = re.compile(r"HEAD(?:[~^]\d*)+")


class NothingToCompare(Exception):
    """The base has no spec to compare with; the message says why."""


@dataclass(frozen=True)
class SpecSource:
    label: str
    spec: dict[str, Any]


def from_file(path: Path, label: str | None = None) -> SpecSource:
    return SpecSource(label or str(path), read_spec(path))


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise SpecError("git is not installed: pass --old PATH instead of --base") from None
    except NotADirectoryError:
        raise SpecError(f"{repo} is not a directory") from None


def from_git(repo: Path, ref: str, name: str = SPEC_NAME) -> SpecSource:
    """``name`` as committed at ``ref`` in the repository at ``repo``."""
    if ref.startswith("-"):
        raise SpecError(f"--base {ref!r}: a git ref cannot start with '-'")
    if _git(repo, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise NothingToCompare(f"{repo} is not a git repository, so there is no {ref} to compare with")
    if _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        if shallow or _HEAD_ANCESTOR.fullmatch(ref):
            raise NothingToCompare(
                f"{ref} does not exist in this repository "
                "(the first commit, or a shallow clone without history)"
            )
        raise SpecError(f"--base {ref!r} is not a commit, branch or tag of this repository")
    shown = _git(repo, "show", f"{ref}:{name}")
    if shown.returncode != 0:
        raise NothingToCompare(f"{ref} has no {name}")
    return SpecSource(f"{ref}:{name}", parse_yaml(shown.stdout, f"{ref}:{name}"))
