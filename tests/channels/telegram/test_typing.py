"""The customer is typing: "typing…" in the conversation's topic (sendChatAction), at most one
signal per conversation every few seconds, never in a whole group."""

from __future__ import annotations

import pytest

from bridge.domain.model import ChannelKind
from tests.channels.telegram.helpers import VENDAS, Daemon
from tests.channels.telegram.test_delivery import PLAIN
from tests.waiting import until


def typing_calls(daemon: Daemon, chat: int) -> list[dict[str, object]]:
    return [c.params for c in daemon.emu.calls("sendChatAction") if c.params["chat_id"] == chat]


async def test_typing_shows_in_the_topic_once_per_window(daemon: Daemon) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)

    async def mapped() -> bool:  # the worker records the thread once the whole open step is done
        return bool(await daemon.core.links.threads_of(ChannelKind.TELEGRAM, cid))

    await until(mapped)

    for _ in range(3):  # two tabs, or a fast typist: one signal in the window
        await customer.tab.send({"t": "typing"})
    await customer.say("oi")  # frames are handled in order: the typing ones are done

    calls = typing_calls(daemon, VENDAS)
    assert calls == [{"chat_id": VENDAS, "action": "typing", "message_thread_id": topic.thread}]
    assert [c.status for c in daemon.emu.calls("sendChatAction")] == [200]


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
    await customer.queue("vendas")
    await daemon.emu.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == -1002)

    await customer.tab.send({"t": "typing"})
    await customer.say("oi")

    assert daemon.emu.calls("sendChatAction") == []  # it would show for the whole group
