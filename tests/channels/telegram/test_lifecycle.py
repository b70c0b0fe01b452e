"""A conversation's life in its topic: transfer to another department (on Slack), close with
the button or /close, the customer's rating after it, a topic deleted by hand."""

from __future__ import annotations

from bridge.core import Core
from bridge.domain.model import ConversationState
from tests.channels.telegram.helpers import DIEGO, ELISA, FINANCEIRO, VENDAS, Daemon
from tests.fakes import FakeClock


async def test_transfer_from_a_telegram_department_to_a_slack_one(
    daemon: Daemon, core: Core
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("financeiro")
    topic = await daemon.topic(FINANCEIRO, number)
    emu = daemon.emu

    menu_press = await emu.press_button(DIEGO, FINANCEIRO, topic.header, f"t:{cid}")
    assert (await daemon.answer(menu_press))["text"] is None
    menu = await daemon.posted(FINANCEIRO, topic.thread, f"Transfer #{number} to which")
    names = [b["text"] for row in menu.params["reply_markup"]["inline_keyboard"] for b in row]
    assert names == ["Vendas", "Suporte", "Financeiro"]
    menu_id = menu.result["message_id"]

    await daemon.answer(await emu.press_button(DIEGO, FINANCEIRO, menu_id, f"td:{cid}:1"))
    targets = await daemon.edited(FINANCEIRO, menu_id, "Suporte: its queue, or an agent?")
    keyboard = targets.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Queue", "Bruno", "Carla", "Elisa"]

    done = await daemon.answer(await emu.press_button(DIEGO, FINANCEIRO, menu_id, f"tq:{cid}:1"))
    assert done["text"] == f"Transferred #{number} to Suporte."
    after = await core.conversations.get(cid)
    assert (after.department_id, after.state) == ("suporte", ConversationState.QUEUED)
    # Telegram side: the old topic's card says where it went and offers no action any more
    card = await daemon.edited(FINANCEIRO, topic.header, "Moved to Suporte")
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == [f"d:{cid}"]
    await daemon.posted(FINANCEIRO, topic.thread, "Diego transferred it to Suporte.")
    # Slack side: the core queued the conversation for Suporte's channel (its outbox)
    assert await daemon.backlog("slack") > 0
    await customer.tab.wait_event(lambda e: e["kind"] == "transferred")


async def test_close_then_rating_reopens_the_topic_for_it(daemon: Daemon, core: Core) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    await emu.user_sends(ELISA, VENDAS, "Olá!", thread_id=topic.thread)
    await customer.sees("Olá!")

    toast = await daemon.answer(await emu.press_button(ELISA, VENDAS, topic.header, f"x:{cid}"))
    assert toast["text"] == f"Closed #{number}."
    closed = await emu.wait_for_call(
        "closeForumTopic", lambda c: c.params["message_thread_id"] == topic.thread
    )
    assert emu.topics(VENDAS)[topic.thread]["closed"] is True
    await daemon.edited(VENDAS, topic.header, "closed")
    assert (await core.conversations.get(cid)).state is ConversationState.CLOSED

    await customer.rate(5, "Ótimo <3")
    rated = await daemon.posted(VENDAS, topic.thread, "★★★★★")
    assert "Ótimo &lt;3" in rated.params["text"]
    reclosed = await emu.wait_for_call("closeForumTopic", lambda c: c is not closed)
    reopened = await emu.wait_for_call("reopenForumTopic")
    order = [id(c) for c in emu.calls()]  # equal calls compare equal: compare identities
    assert order.index(id(reopened)) < order.index(id(rated)) < order.index(id(reclosed))
    assert emu.topics(VENDAS)[topic.thread]["closed"] is True
    await daemon.edited(VENDAS, topic.header, "★★★★★")


async def test_slash_close_in_the_topic(daemon: Daemon, core: Core) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    await daemon.emu.user_sends(ELISA, VENDAS, "/close resolvido", thread_id=topic.thread)
    await daemon.emu.wait_for_call("closeForumTopic")
    closed = await core.conversations.get(cid)
    assert (closed.state, closed.close_reason) == (ConversationState.CLOSED, "resolvido")
    await customer.tab.wait_event(lambda e: e["kind"] == "closed")


async def test_a_topic_deleted_by_hand_is_recreated(
    daemon: Daemon, core: Core, clock: FakeClock
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    first = await daemon.topic(VENDAS, number)
    clock.advance(30)
    await customer.say("primeira")
    await daemon.posted(VENDAS, first.thread, "primeira")
    daemon.emu.delete_topic_by_hand(VENDAS, first.thread)

    await customer.say("ainda aí?")
    second = await daemon.topic(VENDAS, number, after=first.thread)
    assert second.thread != first.thread
    await daemon.posted(VENDAS, second.thread, "ainda aí?")
    transcript = await daemon.posted(VENDAS, second.thread, "primeira")  # the story so far
    assert "Earlier in this conversation" in transcript.params["text"]
    assert (await daemon.thread_ref(cid)).encode() == second.ref

    await daemon.emu.user_sends(ELISA, VENDAS, "Estou aqui!", thread_id=second.thread)
    await customer.sees("Estou aqui!")


async def test_writing_after_the_close_opens_a_new_topic(daemon: Daemon, core: Core) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    first = await daemon.topic(VENDAS, number)
    await daemon.answer(await daemon.emu.press_button(ELISA, VENDAS, first.header, f"x:{cid}"))
    await daemon.emu.wait_for_call("closeForumTopic")
    await customer.tab.wait_event(lambda e: e["kind"] == "closed")

    ack = await customer.say("voltei!")  # a new conversation, linked to the closed one
    second = await daemon.topic(VENDAS, number + 1)
    await daemon.posted(VENDAS, second.thread, "voltei!")
    assert daemon.emu.topics(VENDAS)[first.thread]["closed"] is True
    latest = await core.conversations.get(ack["conversation"])
    assert (latest.number, latest.previous_id) == (number + 1, cid)
