"""The customer is typing: "typing…" in the conversation's topic (sendChatAction), at most one
signal per conversation every few seconds, never in a whole group."""

from __future__ import annotations

import pytest

from bridge.domain.ids import ConversationId
from bridge.domain.model import ChannelKind
from tests.channels.telegram.helpers import FINANCEIRO, VENDAS, Daemon
from tests.channels.telegram.test_delivery import PLAIN
from tests.waiting import until


def typing_calls(daemon: Daemon, chat: int) -> list[dict[str, object]]:
    return [c.params for c in daemon.emu.calls("sendChatAction") if c.params["chat_id"] == chat]


async def mapped(daemon: Daemon, cid: ConversationId) -> bool:
    """The worker records a conversation's thread once the whole open step is done."""
    return bool(await daemon.core.links.threads_of(ChannelKind.TELEGRAM, cid))


async def test_typing_shows_in_the_topic_once_per_window(daemon: Daemon) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)

    await until(lambda: mapped(daemon, cid))

    for _ in range(3):  # two tabs, or a fast typist: one signal in the window
        await customer.tab.send({"t": "typing"})
    await customer.say("oi")  # frames are handled in order: the typing ones are done
    await daemon.emu.wait_for_call("sendChatAction")

    # another conversation's signal, queued after anything the first one could have queued
    other = daemon.customer()
    other_cid, other_number = await other.queue("vendas", name="Joana", email="joana@x.com")
    other_topic = await daemon.topic(VENDAS, other_number)
    await until(lambda: mapped(daemon, other_cid))
    await other.tab.send({"t": "typing"})
    await daemon.emu.wait_for_call(
        "sendChatAction", lambda c: c.params["message_thread_id"] == other_topic.thread
    )

    assert typing_calls(daemon, VENDAS) == [
        {"chat_id": VENDAS, "action": "typing", "message_thread_id": topic.thread},
        {"chat_id": VENDAS, "action": "typing", "message_thread_id": other_topic.thread},
    ]
    assert [c.status for c in daemon.emu.calls("sendChatAction")] == [200, 200]


async def test_typing_before_the_queue_reaches_nobody(daemon: Daemon) -> None:
    customer = daemon.customer()
    await customer.tab.connect()
    await customer.tab.send({"t": "typing"})  # no conversation yet
    await customer.tab.start()
    await customer.tab.send({"t": "typing"})  # the automatic stage: no topic yet
    await customer.tab.send({"t": "ping"})
    await customer.tab.wait_for(lambda f: f["t"] == "pong")

    assert daemon.emu.calls("sendChatAction") == []
    assert [f for f in customer.tab.frames if f["t"] == "error"] == []


@pytest.mark.parametrize("changes", [PLAIN])
async def test_a_group_without_topics_is_not_told(daemon: Daemon) -> None:
    daemon.emu.add_group(-1002, "Vendas (sem tópicos)", is_forum=False)
    customer = daemon.customer()
    cid = (await customer.queue("vendas"))[0]
    await daemon.emu.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == -1002)
    barrier = daemon.customer()  # a conversation in a forum, typing after the first
    barrier_cid, number = await barrier.queue("financeiro")
    await daemon.topic(FINANCEIRO, number)
    await until(lambda: mapped(daemon, cid))
    await until(lambda: mapped(daemon, barrier_cid))

    await customer.tab.send({"t": "typing"})
    await customer.say("oi")
    await barrier.tab.send({"t": "typing"})
    await daemon.emu.wait_for_call("sendChatAction")

    assert typing_calls(daemon, -1002) == []  # it would show for the whole group
    assert len(typing_calls(daemon, FINANCEIRO)) == 1
