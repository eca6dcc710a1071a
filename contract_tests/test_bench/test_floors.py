"""The load comparison's floors: the bare-ASGI app and nginx answer every operation's success
envelope (the made-up fixture operation's too) as the envelope rule accepts it, from the spec alone;
nginx's configuration sends those bytes unchanged; and the load rounds take turns."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx
import pytest

from bench import floor, mock_load, nginx_floor, rounds
from bench.envelope_check import envelope_problems, response_validator
from bench.servers import serve
from bench.workload import success_expectation, workload_for
from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.envelope import judge_document
from medux_contract.spec import REPO_ROOT, SPEC_PATH, Contract, contract_of, load_contract, read_spec

CONTRACT = load_contract()
FIXTURE = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))
NGINX = nginx_floor.find_nginx()


@pytest.mark.parametrize("contract", [CONTRACT, FIXTURE], ids=["openapi.yaml", "with fixture operation"])
def test_every_operation_gets_its_success_envelope_as_canned_bytes(contract: Contract) -> None:
    answers = floor.canned_answers(contract)
    assert set(answers) == {(op.method.upper(), op.path) for op in contract.operations}
    for op in contract.operations:
        envelope = json.loads(answers[(op.method.upper(), op.path)])
        assert judge_document(op, envelope).problems() == [], op.operation_id
        assert envelope["code"] == op.success.value
        assert set(envelope.get("data", {})) >= set(op.success.carries)
    assert FIXTURE_OPERATION_ID in {op.operation_id for op in FIXTURE.operations}


@pytest.mark.parametrize("contract", [CONTRACT, FIXTURE], ids=["openapi.yaml", "with fixture operation"])
async def test_the_floor_app_answers_each_load_request_as_the_contract_says(
    contract: Contract,
) -> None:
    app = floor.FloorApp(floor.canned_answers(contract))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://floor.test") as client:
        for op in contract.operations:
            load = workload_for(op, contract, "http://floor.test", key="sk_test_anything")
            response = await client.request(
                load.method, load.target, content=load.body, headers=load.headers()
            )
            problems = envelope_problems(
                op,
                response.status_code,
                response.headers,
                response.content,
                expect=success_expectation(op, contract),
                validator=response_validator(contract, op),
            )
            assert problems == [], op.operation_id
        assert (await client.get("/no/such/path")).status_code == 404


def test_the_floor_is_served_on_the_mocks_server_stack_and_stopped() -> None:
    with serve("floor", floor.command, cwd=REPO_ROOT) as server:
        op = CONTRACT.operations[0]
        load = workload_for(op, CONTRACT, server.base_url, key=None)
        response = httpx.request(load.method, load.url, content=load.body, headers=load.headers(), timeout=10)
        # The mock's bounded protocol class: a header section over its limit gets 431 and the code-12
        # envelope (stock uvicorn would answer the canned success).
        oversized = httpx.request(
            load.method, load.url, content=load.body, headers={"X-Big": "a" * 20_000}, timeout=10
        )
    assert json.loads(response.content)["code"] == op.success.value
    assert oversized.status_code == 431
    assert json.loads(oversized.content)["code"] == CONTRACT.codes.by_name("INVALID_INPUT").code


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('{"a":"b"}', '\'{"a":"b"}\''),
        ("it's", "'it\\'s'"),
        ("back\\slash", "'back\\\\slash'"),
        ("cost $5", "'cost ${medux_dollar}5'"),
    ],
)
def test_nginx_strings_keep_quotes_backslashes_and_dollars_literal(text: str, quoted: str) -> None:
    assert nginx_floor.nginx_string(text) == quoted


def test_the_nginx_configuration_is_one_quiet_loopback_worker_answering_each_operation(
    tmp_path: Path,
) -> None:
    answers = floor.canned_answers(FIXTURE)
    conf = nginx_floor.nginx_conf(answers, 4321, tmp_path)
    assert "worker_processes 1;" in conf
    assert "access_log off;" in conf
    assert "listen 127.0.0.1:4321;" in conf
    assert f"pid {tmp_path / 'nginx.pid'};" in conf
    assert f"error_log {tmp_path / 'error.log'}" in conf
    assert "user " not in conf  # run as whoever runs the bench
    for (method, path), body in answers.items():
        assert f"location = {path} {{" in conf
        assert (
            f"if ($request_method = {method}) {{ return 200 {nginx_floor.nginx_string(body.decode())}; }}"
            in conf
        )


def test_a_missing_nginx_is_reported_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bench.nginx_floor.shutil.which", lambda name: None)
    monkeypatch.setattr(nginx_floor, "SBIN_NGINX", Path("/nonexistent/nginx"))
    assert nginx_floor.find_nginx() is None
    assert nginx_floor.version(None) == "not installed"
    names = [c.key for c in mock_load.contenders(None, Path("/tmp"), CONTRACT)]
    assert names == [mock_load.MOCK, mock_load.MOCK_LOGGING, mock_load.PRISM_KEY, mock_load.FLOOR]


@pytest.mark.skipif(NGINX is None, reason=f"nginx is not installed ({nginx_floor.INSTALL_HINT})")
def test_nginx_serves_each_operations_bytes_unchanged_and_is_stopped() -> None:
    assert NGINX is not None
    answers = floor.canned_answers(FIXTURE)
    with tempfile.TemporaryDirectory() as workdir:
        with serve("nginx", nginx_floor.command(NGINX, Path(workdir), answers), cwd=REPO_ROOT) as server:
            for (method, path), body in answers.items():
                response = httpx.request(method, server.base_url + path, timeout=10)
                assert (response.status_code, response.content) == (200, body)
                assert response.headers["content-type"] == "application/json"
            other = "DELETE" if ("DELETE", next(iter(answers))[1]) not in answers else "PATCH"
            assert (
                httpx.request(other, server.base_url + next(iter(answers))[1], timeout=10).status_code == 405
            )
            assert httpx.get(server.base_url + "/no/such/path", timeout=10).status_code == 404
        assert not (Path(workdir) / "nginx.pid").exists()


def test_every_contender_goes_first_once_in_as_many_rounds() -> None:
    keys = ["mock", "mock_logging", "prism", "floor", "nginx"]
    orders = [rounds.rotation(keys, index) for index in range(len(keys))]
    assert all(sorted(order) == sorted(keys) for order in orders)
    assert [order[0] for order in orders] == keys
