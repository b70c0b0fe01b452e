"""Logs: one JSON object per line, with the conversation id, and no secret in them."""

import io
import json
import logging

from bridge.core import Core
from bridge.daemon.logs import JsonFormatter
from tests.scenario import Scenario


def capture(secrets: list[str]) -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(secrets))
    return handler, stream


async def test_operations_log_one_json_line_each_with_the_conversation(
    scenario: Scenario, core: Core
) -> None:
    handler, stream = capture([])
    logging.getLogger("ponte").addHandler(handler)
    logging.getLogger("ponte").setLevel(logging.INFO)
    try:
        c = await scenario.in_service("ana")
        await core.conversations.close(c.id, scenario.agent("ana"), "solved")
    finally:
        logging.getLogger("ponte").removeHandler(handler)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    events = {r["event"]: r for r in records}
    assert events["conversation.claimed"]["cid"] == c.id
    assert events["conversation.claimed"]["agent"] == "ana"
    assert events["conversation.closed"]["reason"] == "solved"
    assert all({"ts", "level", "logger", "event"} <= set(r) for r in records)


def test_secrets_and_token_shapes_are_redacted() -> None:
    handler, stream = capture(["sup3r-signing-secret"])
    log = logging.getLogger("ponte.test.redaction")
    log.addHandler(handler)
    try:
        log.warning(
            "slack.call",
            extra={
                "auth": "Bearer xoxb-1234-5678-abcdef",
                "note": "secret sup3r-signing-secret here",
                "tg": "123456789:AAFakeTelegramTokenWithEnoughLength_x",
            },
        )
    finally:
        log.removeHandler(handler)
    line = stream.getvalue()
    assert "xoxb-1234" not in line
    assert "sup3r-signing-secret" not in line
    assert "AAFakeTelegramToken" not in line
    assert line.count("***") == 3
