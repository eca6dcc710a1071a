"""Render the client from openapi.yaml into a directory: the one recipe behind generate and the drift gate.

The generator always writes into a fresh directory outside the repository: its ``--overwrite``
leaves stale files behind, and ruff (run by the generator's post-hooks) must see the generated
project's own ``[tool.ruff]`` section rather than ours, or output would depend on where it lands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from medux_contract.generation.client_extras import render_extras
from medux_contract.spec import REPO_ROOT

SPEC = REPO_ROOT / "openapi.yaml"
CONFIG = REPO_ROOT / "openapi-python-client.yaml"
TEMPLATES = REPO_ROOT / "templates"
GENERATED = REPO_ROOT / "generated"
# Tool caches the post-hooks leave behind; never part of the output.
SCRATCH = (".ruff_cache", "__pycache__", ".mypy_cache", ".pytest_cache")


class GenerationError(RuntimeError):
    """The generator rejected the spec or failed; the message carries its own output."""


def _tool_env() -> dict[str, str]:
    # The post-hooks call `ruff` by name: make it the locked one next to this interpreter.
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def render_client(destination: Path, spec: Path = SPEC) -> None:
    """Write the complete generated client for ``spec`` into ``destination`` (which must not exist)."""
    if destination.exists():
        raise GenerationError(f"{destination} already exists; render_client writes a fresh directory")
    with tempfile.TemporaryDirectory(prefix="medux-gen-") as scratch:
        out = Path(scratch) / "client"
        command = [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(CONFIG),
            "--meta",
            "uv",
            "--output-path",
            str(out),
            "--fail-on-warning",
        ]
        if any(TEMPLATES.glob("*.jinja")):
            command += ["--custom-template-path", str(TEMPLATES)]
        result = subprocess.run(command, capture_output=True, text=True, env=_tool_env(), check=False)
        if result.returncode != 0 or not out.is_dir():
            output = (result.stdout + result.stderr).strip()
            raise GenerationError(f"openapi-python-client failed on {spec}:\n{output}")
        render_extras(out, spec)
        for name in SCRATCH:
            for path in out.rglob(name):
                shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(out, destination)
