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
from bench.envelope_check import answer_problems
from bench.errors import BenchError
from bench.servers import serve
from bench.workload import workload_for
from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.envelope import judge_document
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.mock.server import serving
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
            assert answer_problems(contract, load, response) == [], op.operation_id
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
    names = [c.key for c in mock_load.contenders(None, Path("/tmp"), floor.canned_answers(CONTRACT))]
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


def test_the_floor_sends_an_answers_file_in_place_of_the_spec_examples(tmp_path: Path) -> None:
    op = CONTRACT.operations[-1]
    route = (op.method.upper(), op.path)
    page = b'{"code":0,"message":"ok","data":{"items":[{"avatar_asset_id":"a\xc3\xa9"}]}}'
    answers = {**floor.canned_answers(CONTRACT), route: page}
    assert floor.read_answers(floor.write_answers(tmp_path / "answers.json", answers)) == answers
    with serve("floor", floor.answering({route: page}, tmp_path), cwd=REPO_ROOT) as server:
        sent = httpx.request(route[0], server.base_url + route[1], timeout=10)
        other = CONTRACT.operations[0]
        example = httpx.request(other.method.upper(), server.base_url + other.path, timeout=10)
    assert sent.content == page
    assert example.content == floor.canned_answers(CONTRACT)[(other.method.upper(), other.path)]


@pytest.mark.parametrize("text", ["[]", '{"GET": "x"}', '{"GET /a": 1}', "not json"])
def test_an_answers_file_of_another_shape_is_refused_with_a_message(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        floor.main(["--port", "1", "--answers", str(path)])
    assert exited.value.code == 2
    assert "--answers:" in capsys.readouterr().err


def test_the_floors_are_handed_the_mocks_own_answer_to_the_load_request() -> None:
    settings = MockSettings(credits=None, asset_limit=None, rate_limit_burst=None)
    with serving(create_app(settings)) as base_url:
        create, listing = CONTRACT.operation("createAvatarByImage"), CONTRACT.operation("listAvatars")
        for _ in range(25):
            mock_load.mock_answer(workload_for(create, CONTRACT, base_url, key=DEFAULT_TEST_KEY), CONTRACT)
        load = workload_for(listing, CONTRACT, base_url, key=DEFAULT_TEST_KEY)
        answer = mock_load.mock_answer(load, CONTRACT)
        again = httpx.request(load.method, load.url, headers=load.headers(), timeout=10).content
        with pytest.raises(BenchError, match="not its success"):
            mock_load.mock_answer(load.without_key(), CONTRACT)
    items = json.loads(answer)["data"]["items"]
    assert answer == again  # the page of the assets the creates made, as the load will get it
    assert len(items) == 20
    assert all(item["avatar_asset_id"].startswith("avatar_mock_") for item in items)


def test_every_contender_goes_first_once_in_as_many_rounds() -> None:
    keys = ["mock", "mock_logging", "prism", "floor", "nginx"]
    orders = [rounds.rotation(keys, index) for index in range(len(keys))]
    assert all(sorted(order) == sorted(keys) for order in orders)
    assert [order[0] for order in orders] == keys
