"""One log line per request, and the API key in none of them (nor in reprs or error messages)."""

from __future__ import annotations

import logging

import pytest

from contract_tests.test_mock.conftest import CREATE, MockClient, assert_envelope, post
from medux_contract.mock import (
    LOGGER_NAME,
    PREFER_HEADER,
    REASON_HEADER,
    MockSettings,
    magic_file_id,
    prefer_example,
)
from medux_contract.mock.request_input import REASON_LIMIT

CANARY = "sk_live_CANARY_7f3a9d2e5b1c"


CLIENT_SIDE = ("httpx", "httpcore")  # the test's own client logs its URLs; it is not the mock


def everything_logged(records: list[logging.LogRecord]) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {vars(record)!r}"
        for record in records
        if not record.name.startswith(CLIENT_SIDE)
    )


async def test_one_line_per_request_with_method_path_code_status_and_duration(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    async with mock_client() as client:
        await post(client, {"file_id": "FILE_ID"})
        await post(client, {"file_id": "file_voice_audio"}, key=None)
        await client.get("/nowhere")
    lines = [record.getMessage() for record in caplog.records if record.name == LOGGER_NAME]
    assert len(lines) == 3
    assert lines[0].startswith(f"POST {CREATE.path} code=0 status=200 ")
    assert "ms key=#" in lines[0]
    assert " key=- " in lines[1]
    assert lines[2].startswith("GET /nowhere code=12 status=404 ")


async def test_canary_key_appears_in_no_log_record(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = MockSettings(api_keys={CANARY: "paid"})
    async with mock_client(settings) as client:
        for entry in CREATE.outcomes:
            assert_envelope(await post(client, {"file_id": magic_file_id(entry)}, key=CANARY))
            assert_envelope(
                await post(
                    client, {"file_id": "FILE_ID"}, key=CANARY, headers={PREFER_HEADER: prefer_example(entry)}
                )
            )
        # Wrong keys that contain the canary, a malformed header, and the key where it does not belong.
        await post(client, {"file_id": "FILE_ID"}, key=CANARY + "x")
        await client.post(CREATE.path, json={"file_id": "FILE_ID"}, headers={"Authorization": CANARY})
        await post(client, {"file_id": CANARY}, key=CANARY)
        await client.post(
            f"/{CANARY}", json={"file_id": "FILE_ID"}, headers={"Authorization": f"Bearer {CANARY}"}
        )
    assert len([r for r in caplog.records if r.name == LOGGER_NAME]) == 2 * len(CREATE.outcomes) + 4
    assert CANARY not in everything_logged(caplog.records)
    assert CANARY[:12] not in everything_logged(caplog.records)


async def test_different_keys_get_different_log_tags(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    settings = MockSettings(api_keys={CANARY: "free", CANARY + "2": "free"})
    async with mock_client(settings) as client:
        await post(client, {"file_id": "FILE_ID"}, key=CANARY)
        await post(client, {"file_id": "FILE_ID"}, key=CANARY + "2")
    tags = [record.getMessage().split(" key=")[1].split()[0] for record in caplog.records]
    assert len(set(tags)) == 2


def test_settings_repr_hides_the_keys() -> None:
    assert CANARY not in repr(MockSettings(api_keys={CANARY: "free"}))


@pytest.mark.parametrize(
    "keys", [{CANARY + " x": "free"}, {CANARY: "gold"}], ids=["key-with-space", "unknown-plan"]
)
def test_invalid_settings_name_the_key_by_position_only(keys: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"api_keys\[0\]") as raised:
        MockSettings(api_keys=keys)  # type: ignore[arg-type]
    assert CANARY not in str(raised.value)


CUT = REASON_LIMIT - len("...")  # where shorten() cuts a path or a reason
FRAGMENT = 6  # no run of this many characters of the key may survive


def key_fragments(text: str) -> list[str]:
    fragments = (CANARY[i : i + FRAGMENT] for i in range(len(CANARY) - FRAGMENT + 1))
    return [fragment for fragment in fragments if fragment in text]


AROUND_THE_CUT = range(CUT - len(CANARY) - 2, CUT + 3)


async def test_a_key_at_any_offset_around_the_cut_of_the_path_leaves_no_fragment(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    async with mock_client(MockSettings(api_keys={CANARY: "free"})) as client:
        for start in AROUND_THE_CUT:
            await client.get("/" + "p" * (start - 1) + CANARY + "q" * 40)
    lines = [record.getMessage() for record in caplog.records if record.name == LOGGER_NAME]
    assert len(lines) == len(AROUND_THE_CUT)
    assert key_fragments("\n".join(lines)) == []


async def test_a_key_at_any_offset_around_the_cut_of_a_reason_leaves_no_fragment(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    quoted = len("unknown file_id '")  # the reason quotes the refused file_id
    reasons = []
    async with mock_client(MockSettings(api_keys={CANARY: "free"}, rate_limit_burst=None)) as client:
        for start in AROUND_THE_CUT:
            file_id = "f" * (start - quoted) + CANARY + "g" * 40
            response = await post(client, {"file_id": file_id}, key=CANARY)
            reasons.append(response.headers[REASON_HEADER])
    assert all(reason.startswith("unknown file_id 'fff") for reason in reasons)
    assert all(len(reason) == REASON_LIMIT for reason in reasons)  # each was cut
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == LOGGER_NAME)
    assert key_fragments("\n".join(reasons)) == []
    assert key_fragments(logged) == []
