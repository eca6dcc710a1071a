"""`python -m scripts.breaking`: the report, the exit status, --format json, git bases and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from contract_tests.test_evolution.pairs import load_pair, pair_paths, with_version
from medux_contract.evolution.breaking import main
from medux_contract.spec import REPO_ROOT

BREAKING_PAIR = "request-property-removed"
BREAKING_POINTER = "/components/schemas/ThingRequest/properties/size"


def write(path: Path, spec: object) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_unbumped_breaking_change_fails_and_reports_class_and_pointer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = pair_paths(BREAKING_PAIR)

    status = main(["--old", str(old), "--new", str(new)])

    out = capsys.readouterr().out
    assert status == 1
    line = next(line for line in out.splitlines() if BREAKING_POINTER in line)
    assert line.split()[:2] == ["BREAKING", BREAKING_POINTER]
    assert "[request-property-removed]" in line
    assert "FAILED" in out
    assert "2.0.0" in out


def test_breaking_change_with_a_major_bump_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _old, new = load_pair(BREAKING_PAIR)
    new_path = write(tmp_path / "new.yaml", with_version(new, "2.0.0"))

    status = main(["--old", str(pair_paths(BREAKING_PAIR)[0]), "--new", str(new_path)])

    assert status == 0
    assert "passed" in capsys.readouterr().out


def test_json_format_lists_each_change_with_rule_class_and_pointer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = pair_paths("code-added")

    status = main(["--old", str(old), "--new", str(new), "--format", "json"])

    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["status"] == "failed"
    assert report["version"]["required_bump"] == "minor"
    assert [(c["rule"], c["severity"], c["pointer"]) for c in report["changes"]] == [
        ("code-added", "notice", "/x-medux-codes/2")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("openapi: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        (
            "openapi: 3.1.0\ninfo: {version: 1.0.0}\nx-medux-codes: 5\n",
            "/x-medux-codes: must be a non-empty list",
        ),
        ("openapi: 3.1.0\ninfo: {version: '1.0'}\n", "is not a SemVer version"),
        ("openapi: 3.1.0\ninfo: {version: 1.0.0}\npaths: [1, 2]\n", "/paths must be a mapping"),
    ],
)
def test_malformed_new_spec_is_a_clear_error_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")

    status = main(["--old", str(pair_paths(BREAKING_PAIR)[0]), "--new", str(bad)])

    captured = capsys.readouterr()
    assert status == 2
    assert message in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_malformed_old_spec_is_named_as_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _new = load_pair(BREAKING_PAIR)
    old["x-medux-codes"][0]["retry"] = "sometimes"

    status = main(
        ["--old", str(write(tmp_path / "old.yaml", old)), "--new", str(pair_paths(BREAKING_PAIR)[1])]
    )

    assert status == 2
    assert "old.yaml: /x-medux-codes/0/retry: must be one of always, if_idempotent, never" in (
        capsys.readouterr().err
    )


def test_malformed_outcome_row_is_a_clear_error_naming_its_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = load_pair(BREAKING_PAIR)
    new["paths"]["/things"]["post"]["x-medux-outcomes"][1]["billable"] = "maybe"

    status = main(
        ["--old", str(write(tmp_path / "old.yaml", old)), "--new", str(write(tmp_path / "new.yaml", new))]
    )

    assert status == 2
    assert "new.yaml: /paths/~1things/post/x-medux-outcomes/1/billable: must be a boolean, got 'maybe'" in (
        capsys.readouterr().err
    )


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--old", str(tmp_path / "absent.yaml"), "--new", str(pair_paths(BREAKING_PAIR)[1])])
    assert status == 2
    assert "absent.yaml: cannot be read" in capsys.readouterr().err


# --base against a real git history ---------------------------------------------------------


class Repo:
    """A throwaway git work tree with commits made by the test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        self.git("init", "-q")

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.root, env=self.env, check=True, capture_output=True)

    def commit(self, files: dict[str, object], message: str) -> None:
        for name, content in files.items():
            path = self.root / name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                write(path, content)
            self.git("add", name)
        self.git("commit", "-q", "-m", message)

    def breaking(self, *args: str) -> int:
        return main(["--repo", str(self.root), *args])


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.fail("git is needed to test --base")
    return Repo(tmp_path)


def test_base_is_the_previous_commit_and_an_unbumped_break_fails(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "first")
    repo.commit({"openapi.yaml": new}, "break without a bump")

    status = repo.breaking()

    out = capsys.readouterr().out
    assert status == 1
    assert "HEAD~1:openapi.yaml" in out
    assert BREAKING_POINTER in out


def test_a_commit_with_the_right_bump_passes_against_the_previous_commit(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "first")
    repo.commit({"openapi.yaml": with_version(new, "2.0.0")}, "break with a major bump")

    assert repo.breaking("--base", "HEAD~1") == 0


def test_a_commit_that_leaves_the_spec_alone_passes(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "first")
    repo.commit({"NOTES.md": "unrelated\n"}, "second")

    assert repo.breaking() == 0
    assert "no contract change" in capsys.readouterr().out


def test_uncommitted_edits_are_compared_with_base_head(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "first")
    write(repo.root / "openapi.yaml", new)

    assert repo.breaking("--base", "HEAD") == 1
    assert "openapi.yaml (working tree)" in capsys.readouterr().out


def test_single_commit_history_has_nothing_to_compare_and_passes(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "only commit, as in a shallow clone")

    status = repo.breaking("--base", "HEAD~1")

    out = capsys.readouterr().out
    assert status == 0
    assert "nothing to compare" in out
    assert "HEAD~1 does not exist" in out


def test_mistyped_base_is_an_error_not_a_silent_pass(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = load_pair(BREAKING_PAIR)
    repo.commit({"openapi.yaml": old}, "first")
    repo.commit({"README.md": "history\n"}, "second")

    status = repo.breaking("--base", "mian")

    assert status == 2
    assert "'mian' is not a commit, branch or tag" in capsys.readouterr().err


def test_base_without_a_spec_has_nothing_to_compare_and_passes(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = load_pair(BREAKING_PAIR)
    repo.commit({"README.md": "no spec yet\n"}, "first")
    repo.commit({"openapi.yaml": old}, "add the spec")

    status = repo.breaking("--format", "json")

    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["status"] == "nothing-to-compare"
    assert "HEAD~1 has no openapi.yaml" in report["message"]


def test_a_directory_outside_git_has_nothing_to_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = load_pair(BREAKING_PAIR)
    write(tmp_path / "openapi.yaml", old)

    assert main(["--repo", str(tmp_path)]) == 0
    assert "not a git repository" in capsys.readouterr().out


def test_module_entry_point_runs_and_exits_with_the_gate_status() -> None:
    old, new = pair_paths(BREAKING_PAIR)
    result = subprocess.run(
        [sys.executable, "-m", "scripts.breaking", "--old", str(old), "--new", str(new)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"BREAKING  {BREAKING_POINTER}" in result.stdout
