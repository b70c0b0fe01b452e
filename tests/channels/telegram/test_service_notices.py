"""Issue 7 from Telegram, what Ponte tells agents: the waiting alert (group and supervisors),
the last agent's reservation (privately, on the card and in the queue) with the refused
claim's toast, and a conversation reopened within the window reopening its topic. Timers run
on the fake clock: clock.advance, then core.timers.run_due()."""

from __future__ import annotations

import pytest

from bridge.core import Core
from bridge.domain.model import ConversationState, Presence
from tests.channels.telegram.helpers import (
    DIEGO,
    ELISA,
    FINANCEIRO,
    RULES,
    VENDAS,
    Daemon,
    buttons,
)
from tests.fakes import FakeClock

pytestmark = pytest.mark.parametrize("changes", [RULES])


async def test_the_waiting_alert_reaches_the_group_and_the_supervisor(
    daemon: Daemon, core: Core, clock: FakeClock
) -> None:
    emu = daemon.emu
    emu.open_private_chat(ELISA)
    customer = daemon.customer()
    _, number = await customer.queue("vendas", name="Maria <Cliente>")
    await daemon.topic(VENDAS, number)
    clock.advance(4 * 60)
    await core.timers.run_due()
    clock.advance(2 * 60)
    await core.timers.run_due()

    words = "⏰ 1 waiting in Vendas; the oldest for 6 min."
    group = await daemon.posted(VENDAS, None, words)
    assert "message_thread_id" not in group.params  # General, where the whole team reads it
    assert buttons(group) == [("Queue", "q")]
    private = await daemon.posted(ELISA, None, words)
    assert buttons(private) == [("Queue", "q")]
    alerts = [c for c in emu.calls("sendMessage") if "waiting in" in c.params["text"]]
    assert len(alerts) == 2  # one each, however many processes fired timers

    await daemon.answer(await emu.press_button(ELISA, VENDAS, group.result["message_id"], "q"))
    queue = await daemon.posted(VENDAS, None, "Queue — 1 waiting")
    assert "Maria &lt;Cliente&gt;" in queue.params["text"]


async def test_a_returning_customer_is_reserved_for_the_last_agent(
    daemon: Daemon, core: Core, clock: FakeClock
) -> None:
    emu = daemon.emu
    emu.open_private_chat(DIEGO)
    emu.open_private_chat(ELISA)
    customer = daemon.customer()
    first, number = await customer.queue("financeiro")
    topic = await daemon.topic(FINANCEIRO, number)
    await daemon.answer(await emu.press_button(DIEGO, FINANCEIRO, topic.header, f"c:{first}"))
    await core.conversations.close(first, core.directory.require_agent("diego"), "resolvido")
    await emu.wait_for_call("closeForumTopic")

    clock.advance(60)
    ack = await customer.say("voltei")  # Financeiro never reopens: a new conversation, reserved
    new = await core.conversations.get(ack["conversation"])
    assert new.id != first
    assert new.reserved_for == "diego"
    until = "12:11"  # the fake clock's 15:01 UTC is 12:01 in São Paulo; ten minutes more

    notice = await daemon.posted(DIEGO, None, f"🔖 #{new.number} (Financeiro)")
    assert "reserved for you for 10 min" in notice.params["text"]
    assert buttons(notice) == [("Claim", f"c:{new.id}"), ("Peek", f"pk:{new.id}")]
    topic2 = await daemon.topic(FINANCEIRO, new.number, after=topic.thread)
    (card,) = [m for m in emu.messages(FINANCEIRO) if m["message_id"] == topic2.header]
    assert f"Reserved for Diego until {until}" in card["text"]
    assert not [c for c in emu.calls("sendMessage") if "reserved for you" in c.params["text"]][1:]
    await daemon.posted(FINANCEIRO, topic2.thread, "🔖 Reserved for Diego for 10 min: they")

    toast = await daemon.answer(
        await emu.press_button(ELISA, FINANCEIRO, topic2.header, f"c:{new.id}")
    )
    assert toast["text"] == (
        f"#{new.number} is reserved for Diego until {until}: they served this customer before."
    )
    assert toast["show_alert"] is True
    assert (await core.conversations.get(new.id)).state is ConversationState.QUEUED
    await emu.user_sends(ELISA, ELISA, "/queue")
    queue = await daemon.posted(ELISA, None, "Queue — 1 waiting")
    assert "Reserved for Diego" in queue.params["text"]

    mine = await daemon.answer(
        await emu.press_button(DIEGO, DIEGO, notice.result["message_id"], f"c:{new.id}")
    )
    assert mine["text"] == f"You claimed conversation #{new.number}."
    header = await daemon.edited(FINANCEIRO, topic2.header, "in service — Diego")
    assert "Reserved" not in header.params["text"]


async def test_a_conversation_reopened_in_the_window_reopens_its_topic(
    daemon: Daemon, core: Core, clock: FakeClock
) -> None:
    emu = daemon.emu
    elisa = core.directory.require_agent("elisa")
    await core.agents.set_presence(elisa, Presence.ONLINE)
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    await emu.user_sends(ELISA, VENDAS, "Oi Maria!", thread_id=topic.thread)
    await customer.sees("Oi Maria!")
    await core.conversations.close(cid, elisa, "resolvido")
    await emu.wait_for_call("closeForumTopic")
    assert emu.topics(VENDAS)[topic.thread]["closed"] is True

    clock.advance(20 * 60)  # within Vendas' 30 minutes
    await customer.say("esqueci uma coisa")
    await daemon.posted(VENDAS, topic.thread, "esqueci uma coisa")
    assert emu.topics(VENDAS)[topic.thread]["closed"] is False
    reopened = [
        c for c in emu.calls("reopenForumTopic") if c.params["message_thread_id"] == topic.thread
    ]
    assert [c.status for c in reopened] == [200]
    assert all(c.status == 200 for c in emu.calls("sendMessage"))  # reopened before posting
    cards = [c for c in emu.calls("editMessageText") if c.params["message_id"] == topic.header]
    assert "in service — Elisa" in cards[-1].params["text"]  # edited after the close's card
    assert "Close reason" in cards[-2].params["text"]
    after = await core.conversations.get(cid)
    assert (after.state, after.assignee, after.reopened) == (
        ConversationState.IN_SERVICE,
        "elisa",
        1,
    )
    assert len(emu.topics(VENDAS)) == 1  # the same topic, no new one

    line = await daemon.posted(VENDAS, topic.thread, "The customer came back: reopened with Elisa.")
    said = await daemon.posted(VENDAS, topic.thread, "esqueci uma coisa")
    assert line.result["message_id"] < said.result["message_id"]
