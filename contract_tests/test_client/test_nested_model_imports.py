"""Models import the models they nest once, below their class: a cycle between schemas must still work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from medux_contract.generation.client_generation import render_client
from medux_contract.spec import SPEC_PATH, read_spec

# Asset and Task nest each other, and Asset nests itself: the shapes that need lazy imports.
NESTED = {
    "code": 0,
    "message": "ok",
    "data": {
        "asset": {
            "avatar_asset_id": "a1",
            "parent": {"avatar_asset_id": "a0"},
            "task": {"asset": {"avatar_asset_id": "a2"}},
        }
    },
}

# Runs in a fresh interpreter, importing the cyclic models first (before the package has loaded them).
PROBE = textwrap.dedent(
    """
    import json, sys
    import medux_avatar_client.models.task as task_module
    from medux_avatar_client.models import CreateAvatarByImageResponse

    sent = json.loads(sys.argv[1])
    parsed = CreateAvatarByImageResponse.from_dict(sent)
    print(json.dumps({
        "round_trip": parsed.to_dict() == sent,
        "task_asset": type(parsed.data.asset.task.asset).__name__,
        "parent": type(parsed.data.asset.parent).__name__,
        "task_module_asset": task_module.Asset.__name__,
    }))
    """
)


def _spec_with_cyclic_models(path: Path) -> Path:
    spec = read_spec(SPEC_PATH)
    models = spec["components"]["schemas"]
    models["Asset"].setdefault("properties", {}).update(
        {"task": {"$ref": "#/components/schemas/Task"}, "parent": {"$ref": "#/components/schemas/Asset"}}
    )
    models["Task"].setdefault("properties", {})["asset"] = {"$ref": "#/components/schemas/Asset"}
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_models_that_nest_each_other_import_and_round_trip(tmp_path: Path) -> None:
    render_client(tmp_path / "client", _spec_with_cyclic_models(tmp_path / "openapi.yaml"))

    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(NESTED)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "client")},
        cwd=tmp_path,
    )

    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {
        "round_trip": True,
        "task_asset": "Asset",
        "parent": "Asset",
        "task_module_asset": "Asset",
    }
