"""Socket Mode: no public URL; the daemon opens the link itself (apps.connections.open on the
configured api_url) and gets events, clicks and commands over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.channels.slack.conftest import ANA
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed


@pytest.fixture
def slack_changes() -> dict[str, Any]:
    return {"mode": "socket", "app_token": "${SLACK_APP_TOKEN}"}


async def test_socket_mode_round_trip(
    bed: Bed, customers: Callable[[], Customer], daemon: TestClient[Any, Any]
) -> None:
    await bed.emu.wait_for_socket()
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)

    click = await bed.click(ANA, "claim", cid, channel, ts)
    await bed.answer(ANA, "You claimed")
    _, posted = await bed.emu.user_posts(ANA, channel, "Olá pelo socket", thread_ts=ts)
    await maria.sees_text("Olá pelo socket")
    command = await bed.emu.slash_command(ANA, "/ponte", "help")
    await bed.emu.wait_for_call("response_url", lambda c: "Commands:" in c.params["text"])
    await bed.emu.socket_disconnect()
    await bed.emu.wait_for_socket(connections=2)
    await bed.emu.user_posts(ANA, channel, "depois de reconectar", thread_ts=ts)
    await maria.sees_text("depois de reconectar")

    assert (click.status, posted.status, command.status) == (200, 200, 200)
    opened = bed.emu.calls("apps.connections.open")
    assert opened[0].headers["Authorization"] == "Bearer xapp-test"
    unsigned = await daemon.post("/slack/events", data=b"{}")
    assert unsigned.status == 404  # nothing is accepted over HTTP in Socket Mode
