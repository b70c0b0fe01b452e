"""Webhook mode: the daemon registers its URL and secret with setWebhook on start, and
POST /telegram/webhook takes updates only with the secret token; nothing else changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
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


@pytest.fixture
async def client(
    settings: Settings,
    clock: FakeClock,
    redis_url: str,
    aiohttp_client: AiohttpClient,
    port: int,
) -> TestClient[Any, Any]:
    from bridge.daemon.app import create_app

    app = create_app(
        settings,
        env={"REDIS_URL": redis_url},
        clock=clock,
        adapters=lambda app_core: [TelegramAdapter(app_core)],
    )
    return await aiohttp_client(app, server_kwargs={"port": port})


async def test_the_webhook_takes_updates_only_with_the_secret(
    client: TestClient[Any, Any], core: Core, emu: TelegramEmulator, port: int
) -> None:
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
    reply = await emu.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == ELISA)
    assert "Ponte commands" in reply.params["text"]
    assert [d.status for d in emu.webhook_deliveries] == [200]


async def test_bad_bodies_and_the_bots_own_messages_change_nothing(
    client: TestClient[Any, Any], emu: TelegramEmulator
) -> None:
    await emu.wait_for_call("setWebhook")
    emu.open_private_chat(ELISA)
    ok = {SECRET_HEADER: "test-webhook-secret"}
    assert (await client.post("/telegram/webhook", data="{", headers=ok)).status == 400
    no_id = await client.post("/telegram/webhook", json={"message": {}}, headers=ok)
    assert no_id.status == 400
    own = await client.post("/telegram/webhook", json=help_update(6, emu.bot_user), headers=ok)
    assert own.status == 200  # taken, and then ignored: the bot's own message
    await emu.user_sends(ELISA, ELISA, "/help")  # jobs run in order: this one comes after
    await emu.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == ELISA)
    assert len(emu.calls("sendMessage")) == 1
