"""The delivery contract against the real Bot API wire (the emulator): Telegram's errors become
the port's (RetryLater, DeliveryFailed), a repeated key does not post twice, the shared token
buckets pace sends, a group without topics falls back to reply chains."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.core import Core
from bridge.domain.ids import AgentId
from bridge.ports import DeliveryFailed, RetryLater
from channels.telegram.adapter import TelegramAdapter
from channels.telegram.html import text
from channels.telegram.sender import Place
from tests.channels.telegram.helpers import DIEGO, ELISA, VENDAS, Daemon
from tests.emulators.telegram import TelegramEmulator
from tests.fakes import FakeClock


async def test_notify_agent_is_idempotent_and_maps_errors(daemon: Daemon) -> None:
    adapter, emu = daemon.adapter, daemon.emu
    with pytest.raises(DeliveryFailed, match="can't initiate conversation"):
        await adapter.notify_agent("k0", AgentId("diego"), "Ana: oi")  # never started the bot
    emu.open_private_chat(ELISA)
    emu.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryLater) as limited:
        await adapter.notify_agent("k1", AgentId("elisa"), "Ana: oi")
    assert limited.value.seconds == 7.0
    await adapter.notify_agent("k1", AgentId("elisa"), "Ana: oi")
    await adapter.notify_agent("k1", AgentId("elisa"), "Ana: oi")  # a retry after a crash
    sent = [c for c in emu.calls("sendMessage") if c.params["chat_id"] == ELISA]
    assert [c.status for c in sent] == [429, 200]
    assert DIEGO not in [c.params["chat_id"] for c in emu.calls("sendMessage") if c.status == 200]


async def test_a_removed_bot_is_reported_to_the_conversation(daemon: Daemon, core: Core) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    await daemon.topic(VENDAS, number)
    daemon.emu.set_bot_status(VENDAS, "kicked")
    await customer.say("alguém?")
    notice = await customer.tab.wait_event(lambda e: bool(e["data"].get("delivery_failed")))
    item = await core.conversations.get(cid)
    timeline = await core.queries.details(item.id, core.directory.require_agent("elisa"))
    (failure,) = [i for i in timeline.timeline if i.id == notice["id"]]
    assert failure.data["channel"] == "telegram"
    assert "bot was kicked" in failure.data["reason"]


PACED: dict[str, Any] = {
    "telegram": {"group_messages_per_minute": 60, "group_messages_burst": 1},
}


@pytest.mark.parametrize("changes", [PACED])
async def test_sends_to_a_group_are_paced_by_the_shared_bucket(
    core: Core, clock: FakeClock, emu: TelegramEmulator
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # time passes only when the sender waits
        waits.append(seconds)
        clock.advance(seconds)

    adapter = TelegramAdapter(core, sleep=sleep)
    async with adapter.application:
        for word in ("um", "dois", "três"):
            await adapter.sender.send(Place(VENDAS), text(word))
        assert waits == [1.0, 1.0]  # one message a second after the burst of one
        other = TelegramAdapter(core, sleep=sleep)  # another process: the same bucket
        async with other.application:
            await other.sender.send(Place(VENDAS), text("quatro"))
        assert waits == [1.0, 1.0, 1.0]
    assert [c.status for c in emu.calls("sendMessage")] == [200] * 4


@pytest.mark.parametrize(
    "changes", [{"telegram": {"group_messages_per_minute": 1, "group_messages_burst": 1}}]
)
async def test_a_long_wait_for_a_token_goes_back_to_the_worker(core: Core) -> None:
    adapter = TelegramAdapter(core)
    async with adapter.application:
        await adapter.sender.send(Place(VENDAS), text("um"))
        with pytest.raises(RetryLater) as later:
            await adapter.sender.send(Place(VENDAS), text("dois"))
    assert later.value.seconds == 60.0


PLAIN: dict[str, Any] = {
    "departments": [
        {"id": "vendas", "name": "Vendas", "telegram_chat": -1002},
        {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE"},
        {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
    ]
}


@pytest.mark.parametrize("changes", [PLAIN])
async def test_a_group_without_topics_gets_a_root_message_and_replies(daemon: Daemon) -> None:
    emu = daemon.emu
    emu.add_group(-1002, "Vendas (sem tópicos)", is_forum=False)
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    header = await emu.wait_for_call(
        "sendMessage", lambda c: c.params["chat_id"] == -1002 and "reply_markup" in c.params
    )
    root = header.result["message_id"]
    assert header.params.get("message_thread_id") is None
    await customer.say("oi")
    reply = await daemon.posted(-1002, None, "oi")
    assert reply.params["reply_parameters"]["message_id"] == root
    assert (await daemon.thread_ref(cid)).encode() == f"-1002/{root}/{root}"

    await emu.user_sends(ELISA, -1002, "Olá!", thread_id=root, reply_to=root)
    await customer.sees("Olá!")
    await emu.press_button(ELISA, -1002, root, f"x:{cid}")
    await daemon.edited(-1002, root, "closed")
    assert emu.calls("closeForumTopic") == []
    assert number
