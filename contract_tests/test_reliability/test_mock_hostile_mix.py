"""All the hostile peers at once, beside normal clients, for a couple of seconds (the soak in
``make bench`` runs the same mix for longer and measures memory and descriptors)."""

from __future__ import annotations

from contract_tests.test_mock.conftest import LIST
from contract_tests.test_reliability.conftest import CREATE_REQUEST, MockPort
from medux_contract.mock import DEFAULT_TEST_KEY, PREFER_HEADER, prefer_example
from medux_contract.testing.hostile import HostileMix, run_mix
from medux_contract.testing.raw import request_bytes

MIX = HostileMix(
    duration_s=2.0,
    slow_headers=3,
    stalled_bodies=3,
    silent=3,
    header_floods=2,
    upgrades=2,
    resets=2,
    normal=2,
)
# Chosen outcomes keep no state, so the mix could run forever without the mock growing.
CREATE = CREATE_REQUEST.replace(b"\r\n", f"\r\n{PREFER_HEADER}: {prefer_example(0)}\r\n".encode(), 1)
AUTH = {"Authorization": f"Bearer {DEFAULT_TEST_KEY}"}
LISTING = request_bytes("GET", LIST.path + "?limit=5", headers=AUTH)


def test_every_hostile_peer_gets_its_documented_answer_while_normal_clients_are_served(
    mock_port: MockPort,
) -> None:
    with mock_port(max_header_bytes=4096) as port:
        result = run_mix(port, [CREATE, LISTING], MIX)
    got: dict[str, set[str]] = {}
    for answer in result.answers:
        kind, outcome = answer.split()
        got.setdefault(kind, set()).add(outcome)
    assert got == {
        "slow_headers": {"408"},
        "stalled_body": {"408"},
        "silent": {"closed"},
        "header_flood": {"431"},
        "upgrade": {"200,200"},
        "reset": {"reset"},
    }
    assert result.normal_failed == 0
    assert result.normal_ok > 0
