"""Webhook mode: the daemon registers its URL and secret with setWebhook on start, and
POST /telegram/webhook takes updates only with the secret token; nothing else changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

from bridge.core import Core
from bridge.settings import Settings
from channels.telegram.adapter import TelegramAdapter
from channels.telegram.intake import QUEUE, SECRET_HEADER
from tests.channels.telegram.helpers import ELISA
from tests.emulators.telegram import TelegramEmulator
from tests.fakes import FakeClock


@pytest.fixture
def port(unused_tcp_port: int) -> int:
    return unused_tcp_port


@pytest.fixture
def changes(tmp_path: Path, port: int) -> dict[str, Any]:
    return {
        "server": {"public_url": f"http://127.0.0.1:{port}"},
        "telegram": {"mode": "webhook", "webhook_secret": "${TELEGRAM_WEBHOOK_SECRET}"},
    }


def help_update(update_id: int, sender: dict[str, Any]) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": ELISA, "type": "private", "first_name": "Elisa"},
            "from": sender,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_the_webhook_takes_updates_only_with_the_secret(
    settings: Settings,
    core: Core,
    clock: FakeClock,
    redis_url: str,
    emu: TelegramEmulator,
    aiohttp_client: AiohttpClient,
    port: int,
) -> None:
    from bridge.daemon.app import create_app

    app = create_app(
        settings, env={"REDIS_URL": redis_url}, clock=clock, adapters=[TelegramAdapter(core)]
    )
    client = await aiohttp_client(app, server_kwargs={"port": port})
    registered = await emu.wait_for_call("setWebhook")
    assert registered.params["url"] == f"http://127.0.0.1:{port}/telegram/webhook"
    assert registered.params["secret_token"] == "test-webhook-secret"
    assert registered.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
    assert emu.calls("getUpdates") == []

    elisa = {"id": ELISA, "is_bot": False, "first_name": "Elisa"}
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: "test-webhook-secreT"}):
        refused = await client.post(
            "/telegram/webhook", json=help_update(5, elisa), headers=headers
        )
        assert refused.status == 403
    assert await core.jobs.size(QUEUE) == 0
    assert emu.calls("sendMessage") == []

    # pushed by Telegram itself (the emulator sends the secret): acted on
    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/help")
    first = await emu.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == ELISA)
    assert "Ponte commands" in first.params["text"]
    assert [d.status for d in emu.webhook_deliveries] == [200]

    ok = {SECRET_HEADER: "test-webhook-secret"}
    assert (await client.post("/telegram/webhook", data="{", headers=ok)).status == 400
    own = await client.post("/telegram/webhook", json=help_update(6, emu.bot_user), headers=ok)
    assert own.status == 200  # taken, and then ignored: the bot's own message
    await emu.user_sends(ELISA, ELISA, "/help")
    await emu.wait_for_call("sendMessage", lambda c: c is not first)
    assert len(emu.calls("sendMessage")) == 2
