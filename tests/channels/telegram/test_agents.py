"""Agents in the topic: claiming with the button (and racing for it), replying to the customer,
internal notes, edits."""

from __future__ import annotations

import asyncio

from bridge.core import Core
from bridge.domain.errors import AlreadyClaimed
from bridge.domain.model import ChannelKind, ConversationState
from bridge.domain.refs import ExternalRef
from tests.channels.telegram.helpers import (
    DIEGO,
    ELISA,
    STRANGER,
    VENDAS,
    Daemon,
    replying_to,
)
from tests.scenario import Scenario


async def test_claim_race_between_a_telegram_and_a_slack_agent(
    daemon: Daemon, core: Core, scenario: Scenario
) -> None:
    """Elisa presses Claim in Telegram while Ana (a Slack agent) claims through the core, as
    the Slack adapter would: exactly one wins, and the toast says who."""
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)

    async def slack_claim() -> str:
        try:
            await core.conversations.claim(cid, scenario.agent("ana"))
        except AlreadyClaimed:
            return "lost"
        return "won"

    press, slack = await asyncio.gather(
        daemon.emu.press_button(ELISA, VENDAS, topic.header, f"c:{cid}"), slack_claim()
    )
    toast = await daemon.answer(press)
    after = await core.conversations.get(cid)
    assert after.state is ConversationState.IN_SERVICE
    if slack == "won":
        assert after.assignee == "ana"
        assert toast["text"] == f"Too late: #{number} was already claimed by Ana."
        assert toast["show_alert"] is True
    else:
        assert after.assignee == "elisa"
        assert toast["text"] == f"You claimed conversation #{number}."
    winner = "Ana" if slack == "won" else "Elisa"
    card = await daemon.edited(VENDAS, topic.header, f"in service — {winner}")
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    data = [b["callback_data"] for row in keyboard for b in row]
    assert data == [f"t:{cid}", f"x:{cid}", f"d:{cid}"]  # the card lost its Claim button
    await daemon.posted(VENDAS, topic.thread, f"{winner} claimed the conversation.")
    await customer.tab.wait_event(lambda e: e["kind"] == "claimed")


async def test_claims_without_the_right_are_refused_with_a_toast(
    daemon: Daemon, core: Core
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)

    press = await daemon.emu.press_button(DIEGO, VENDAS, topic.header, f"c:{cid}")
    diego = await daemon.answer(press)
    assert diego["text"] == "You may not do that: no access to its department."
    assert diego["show_alert"] is True
    stranger = await daemon.answer(
        await daemon.emu.press_button(STRANGER, VENDAS, topic.header, f"c:{cid}")
    )
    assert stranger["text"] == "You are not registered as a Ponte agent."
    assert (await core.conversations.get(cid)).state is ConversationState.QUEUED


async def test_the_holder_replies_and_everyone_else_writes_notes(
    daemon: Daemon, core: Core
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu

    # a reply from an agent with access claims the waiting chat first (auto_claim_on_reply)
    await emu.user_sends(ELISA, VENDAS, "Olá Maria, sou a Elisa", thread_id=topic.thread)
    reply = await customer.sees("Olá Maria, sou a Elisa")
    assert (reply["author"], reply["name"]) == ("agent", "Elisa")
    assert (await core.conversations.get(cid)).assignee == "elisa"

    prefixed = await emu.user_sends(ELISA, VENDAS, "// cliente VIP", thread_id=topic.thread)
    other = await emu.user_sends(DIEGO, VENDAS, "posso ajudar?", thread_id=topic.thread)
    stranger = await emu.user_sends(STRANGER, VENDAS, "quem é?", thread_id=topic.thread)
    for update in (prefixed, other, stranger):
        message_id = update["message"]["message_id"]
        mark = await emu.wait_for_call("sendMessage", replying_to(message_id))
        assert "Internal note: not sent to the customer." in mark.params["text"]
    await customer.say("e agora?")
    await daemon.posted(VENDAS, topic.thread, "e agora?")
    assert not {"cliente VIP", "// cliente VIP", "posso ajudar?", "quem é?"} & set(customer.texts())
    details = await core.queries.details(cid, core.directory.require_agent("elisa"))
    notes = [(i.actor.name, i.text) for i in details.timeline if i.kind.value == "note"]
    assert notes == [("Elisa", "cliente VIP"), ("Diego", "posso ajudar?"), ("Zé", "quem é?")]


async def test_an_edit_of_a_reply_reaches_the_widget(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    sent = await daemon.emu.user_sends(ELISA, VENDAS, "Olá Mraia", thread_id=topic.thread)
    original = await customer.sees("Olá Mraia")
    await daemon.emu.user_edits(ELISA, VENDAS, sent["message"]["message_id"], "Olá Maria")
    edit = await customer.tab.wait_event(lambda e: e["kind"] == "edited")
    assert edit["text"] == "Olá Maria"
    assert edit["data"]["target"] == original["id"]


async def test_replies_from_slack_show_in_the_topic_and_follow_their_edits(
    daemon: Daemon, core: Core, scenario: Scenario
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    ana = scenario.agent("ana")
    await core.conversations.claim(cid, ana)
    # what the Slack adapter does with Ana's thread reply, edit and delete
    src = ExternalRef(ChannelKind.SLACK, "C0VENDAS", "1700000100.000200", "1700000000.000100")
    await core.conversations.thread_message(cid, ana, "Olá da <Ana>", author_name="Ana", source=src)
    copy = await daemon.posted(VENDAS, topic.thread, "Olá da &lt;Ana&gt;")
    assert copy.params["text"] == "<b>Ana</b>: Olá da &lt;Ana&gt;"
    await core.conversations.edit(src, "Olá, aqui é a Ana", "Ana")
    await daemon.edited(VENDAS, copy.result["message_id"], "Olá, aqui é a Ana <i>(edited)</i>")
    await core.conversations.edit(src, None, "Ana")
    await daemon.edited(VENDAS, copy.result["message_id"], "deleted this message")
