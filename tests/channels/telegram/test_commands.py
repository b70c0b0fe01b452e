"""Commands and lists in a private chat or the group, paged with inline buttons; the Details
sections and contact editing; the internal chat between agents across Slack and Telegram."""

from __future__ import annotations

import pytest

from bridge.core import Core
from bridge.domain.ids import AgentId
from bridge.domain.model import ConversationState
from tests.channels.telegram.helpers import DIEGO, ELISA, VENDAS, Daemon, Topic, replying_to
from tests.emulators.telegram_wire import Call
from tests.fakes import FakeClock
from tests.scenario import Scenario


def buttons(call: Call) -> list[tuple[str, str]]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


@pytest.mark.parametrize("changes", [{"limits": {"page_size": 2}}])
async def test_queue_is_paged_with_buttons_and_claims_from_the_list(
    daemon: Daemon, scenario: Scenario, clock: FakeClock, core: Core
) -> None:
    first = await scenario.queued("vendas", "Ana Cliente")
    clock.advance(60)
    second = await scenario.queued("vendas", "Bia Cliente")
    clock.advance(60)
    third = await scenario.queued("vendas", "Caio <Cliente>")
    emu = daemon.emu
    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/queue")
    page = await daemon.posted(ELISA, None, "Queue — 3 waiting")
    assert "#1 Ana Cliente" in page.params["text"]
    assert "Bia Cliente" in page.params["text"]
    data = [d for _, d in buttons(page)]
    assert data[:4] == [f"c:{first.id}", f"pk:{first.id}", f"c:{second.id}", f"pk:{second.id}"]
    more = data[-1]
    assert more.startswith("pg:")

    message_id = page.result["message_id"]
    await daemon.answer(await emu.press_button(ELISA, ELISA, message_id, more))
    rest = await daemon.edited(ELISA, message_id, "Caio &lt;Cliente&gt;")
    assert [d for _, d in buttons(rest)] == [f"c:{third.id}", f"pk:{third.id}"]  # no More

    toast = await daemon.answer(await emu.press_button(ELISA, ELISA, message_id, f"c:{third.id}"))
    assert toast["text"] == f"You claimed conversation #{third.number}."
    assert (await core.conversations.get(third.id)).assignee == "elisa"

    await daemon.answer(await emu.press_button(ELISA, ELISA, message_id, f"pk:{third.id}"))
    peek = await daemon.posted(ELISA, None, f"Peek at #{third.number}")
    assert "Hello!" in peek.params["text"]


async def test_lists_and_commands_answer_where_they_are_typed(
    daemon: Daemon, scenario: Scenario
) -> None:
    await scenario.in_service("elisa", "vendas", "Rita")
    emu = daemon.emu
    emu.open_private_chat(DIEGO)
    for command, title in (
        ("/chats", "In service"),
        ("/auto", "Automatic stage"),
        ("/history", "History"),
        ("/leads", "Leads online"),
        ("/agents", "Agents"),
        ("/fila", "Queue — 0 waiting"),
        ("/help", "Ponte commands"),
        ("/bogus", "Unknown command 'bogus'."),
        ("/details", "Use this command inside a conversation's topic."),
        ("/queue@other_bot", ""),  # for another bot: not answered
        ("/history since:ontem", "dates are written YYYY-MM-DD"),
    ):
        await emu.user_sends(DIEGO, DIEGO, command)
        if title:
            await daemon.posted(DIEGO, None, title)
    chats = await daemon.posted(DIEGO, None, "In service")
    assert "Rita" not in chats.params["text"]  # Diego sees only his departments
    emu.add_user(8888, "Zé")
    emu.open_private_chat(8888)
    await emu.user_sends(8888, 8888, "/queue")
    await daemon.posted(8888, None, "You are not registered as a Ponte agent.")
    commands = (await emu.wait_for_call("setMyCommands")).params["commands"]
    assert [c["command"] for c in commands][:3] == ["queue", "chats", "auto"]


async def open_details(daemon: Daemon, topic: Topic, cid: str) -> Call:
    """Press the header's Details button; the details message, once posted."""
    await daemon.answer(await daemon.emu.press_button(ELISA, VENDAS, topic.header, f"d:{cid}"))
    return await daemon.posted(VENDAS, topic.thread, "Chat details")


async def test_details_sections_switch_in_place(daemon: Daemon) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas", name="Maria")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    await emu.user_sends(ELISA, VENDAS, "Bom dia!", thread_id=topic.thread)
    await customer.sees("Bom dia!")

    details = await open_details(daemon, topic, cid)
    assert "in service — Elisa" in details.params["text"]
    message_id = details.result["message_id"]
    await daemon.answer(await emu.press_button(ELISA, VENDAS, message_id, f"ds:{cid}:t:0"))
    timeline = await daemon.edited(VENDAS, message_id, "Timeline")
    assert "Bom dia!" in timeline.params["text"]
    await daemon.answer(await emu.press_button(ELISA, VENDAS, message_id, f"ds:{cid}:k:0"))
    contact = await daemon.edited(VENDAS, message_id, "— Contact")
    assert "maria@x.com" in contact.params["text"]
    assert ("Name", f"ke:{cid}:n") in buttons(contact)

    await emu.user_sends(ELISA, VENDAS, "/details", thread_id=topic.thread)
    again = await emu.wait_for_call(
        "sendMessage", lambda c: "Chat details" in c.params["text"] and c is not details
    )
    assert again.params["message_thread_id"] == topic.thread


async def test_the_contact_is_edited_by_command_and_by_answering_a_prompt(
    daemon: Daemon, core: Core
) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas", name="Maria")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    command = "/contact_edit email maria@nova.com"
    await emu.user_sends(ELISA, VENDAS, command, thread_id=topic.thread)
    await daemon.posted(VENDAS, topic.thread, "Contact updated: E-mail = maria@nova.com.")
    await emu.user_sends(ELISA, VENDAS, "/contact_edit phone abc", thread_id=topic.thread)
    await daemon.posted(VENDAS, topic.thread, "not a phone number")

    # the inline flow: the contact section's Name button asks; a reply to the question answers
    message_id = (await open_details(daemon, topic, cid)).result["message_id"]
    await daemon.answer(await emu.press_button(ELISA, VENDAS, message_id, f"ds:{cid}:k:0"))
    await daemon.edited(VENDAS, message_id, "— Contact")
    await daemon.answer(await emu.press_button(ELISA, VENDAS, message_id, f"ke:{cid}:n"))
    question = await daemon.posted(VENDAS, topic.thread, "Reply to this message with the new Name")
    asked = question.result["message_id"]
    answer = await emu.user_sends(
        ELISA, VENDAS, "Maria Silva", thread_id=topic.thread, reply_to=asked
    )
    await emu.wait_for_call("sendMessage", replying_to(answer["message"]["message_id"]))
    updated = await core.queries.contact((await core.conversations.get(cid)).contact_id)
    assert (updated.name, updated.email) == ("Maria Silva", "maria@nova.com")
    assert "Maria Silva" not in customer.texts()  # a prompt's answer is not a reply


async def test_start_a_chat_from_the_contact_list(
    daemon: Daemon, scenario: Scenario, core: Core
) -> None:
    done = await scenario.closed("ana", "vendas")
    contact = await core.queries.contact(done.contact_id)
    assert done.visitor_id is not None
    core.leads.alive(done.visitor_id)  # the contact is on the site now
    await core.leads.flush()
    emu = daemon.emu
    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, f"/contacts {contact.name}")
    listing = await daemon.posted(ELISA, None, "Contacts")
    assert (f"Start chat · {contact.name}", f"sc:{contact.id}") in buttons(listing)
    await daemon.answer(
        await emu.press_button(ELISA, ELISA, listing.result["message_id"], f"sc:{contact.id}")
    )
    question = await daemon.posted(ELISA, None, "first message to Maria")
    await emu.user_sends(ELISA, ELISA, "Oi Maria!", reply_to=question.result["message_id"])
    started = await daemon.posted(ELISA, None, "started with Maria")
    number = int(started.params["text"].split("#")[1].split()[0])
    topic = await daemon.topic(VENDAS, number)
    await daemon.posted(VENDAS, topic.thread, "Oi Maria!")
    now = await core.customers.current(done.visitor_id)
    assert now is not None
    assert (now.state, now.assignee) == (ConversationState.IN_SERVICE, "elisa")


async def test_internal_chat_between_telegram_and_slack_agents(
    daemon: Daemon, core: Core, scenario: Scenario
) -> None:
    emu = daemon.emu
    emu.open_private_chat(ELISA)
    # Slack -> Telegram: Ana (Slack) writes to Elisa, who reads it in her chat with the bot
    await core.agents.send_internal(scenario.agent("ana"), AgentId("elisa"), "Oi <Elisa>")
    note = await daemon.posted(ELISA, None, "Internal message")
    assert "Ana: Oi &lt;Elisa&gt;" in note.params["text"]

    # Telegram -> Slack: Elisa answers from /agents; it goes to Ana's Slack outbox
    await emu.user_sends(ELISA, ELISA, "/agents")
    agents = await daemon.posted(ELISA, None, "Agents")
    assert ("Message · Ana", "im:ana") in buttons(agents)
    assert not any(d == "im:elisa" for _, d in buttons(agents))
    await daemon.answer(await emu.press_button(ELISA, ELISA, agents.result["message_id"], "im:ana"))
    question = await daemon.posted(ELISA, None, "your message to Ana")
    await emu.user_sends(ELISA, ELISA, "Oi Ana, tudo certo", reply_to=question.result["message_id"])
    await daemon.posted(ELISA, None, "Sent to Ana.")
    history = await core.agents.internal_history(scenario.agent("elisa"), AgentId("ana"))
    assert [i.text for i in history] == ["Oi <Elisa>", "Oi Ana, tudo certo"]
    # waiting for the Slack adapter: the reply to Ana, and the first message (Elisa is on Slack too)
    assert await daemon.backlog("slack") == 2


async def test_a_proactive_chat_with_a_lead(daemon: Daemon, scenario: Scenario, core: Core) -> None:
    visitor = await scenario.visitor(url="https://shop.test/tenis", title="Tênis azul")
    emu = daemon.emu
    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/leads")
    leads = await daemon.posted(ELISA, None, "Leads online")
    assert "Tênis azul" in leads.params["text"]
    data = f"sl:{visitor}"
    assert data in [d for _, d in buttons(leads)]
    await daemon.answer(await emu.press_button(ELISA, ELISA, leads.result["message_id"], data))
    question = await daemon.posted(ELISA, None, "Reply to this message with the first message")
    await emu.user_sends(
        ELISA, ELISA, "Posso ajudar com o tênis?", reply_to=question.result["message_id"]
    )
    started = await daemon.posted(ELISA, None, "started with")
    number = int(started.params["text"].split("#")[1].split()[0])
    topic = await daemon.topic(VENDAS, number)
    await daemon.posted(VENDAS, topic.thread, "Posso ajudar com o tênis?")
    now = await core.customers.current(visitor)
    assert now is not None
    assert (now.state, now.assignee) == (ConversationState.IN_SERVICE, "elisa")
