"""/ponte lists with paging and their buttons, the Details modal with the contact edit and the
history transcripts, the App Home tab, and the internal chat between agents."""

from __future__ import annotations

import json
from collections.abc import Callable

from bridge.domain.ids import ContactId
from bridge.domain.model import ChannelKind
from channels.common.actions import Actions
from tests.channels.slack.conftest import ANA, BRUNO, ELISA, STRANGER, VENDAS
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed, accessories, elements, sections, typed
from tests.emulators.slack import Call
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def command(bed: Bed, user: str, text: str, title: str) -> Call:
    """Run /ponte `text` as `user` and wait for the list titled `title`."""
    delivery = await bed.emu.slash_command(user, "/ponte", text, channel=VENDAS)
    assert (delivery.status, delivery.body) == (200, "")
    return await bed.emu.wait_for_call("response_url", lambda c: title in c.params["text"])


async def test_queue_lists_page_with_more_and_claim_from_the_list(
    bed: Bed, clock: FakeClock
) -> None:
    scenario = Scenario(bed.core, clock)
    made = []
    for n in range(12):
        made.append((await scenario.queued("vendas", f"Cliente {n}")).id)
        clock.advance(1)
    first = await command(bed, ANA, "queue", "Queue — 12 waiting")
    blocks = first.params["blocks"]
    more = [e for e in elements(blocks) if e["action_id"] == "more"]
    rows = [s for s in sections(blocks) if s.startswith("*1")]
    await bed.click(ANA, "more", more[0]["value"], VENDAS, "1.000001")
    second = await bed.emu.wait_for_call(
        "response_url", lambda c: c.params.get("replace_original") is True
    )

    assert len([e for e in elements(blocks) if e["action_id"] == "claim"]) == 10
    assert rows[0].startswith("*1. #")
    assert "Cliente 0" in rows[0]
    claims = [
        e["value"]
        for e in elements(blocks) + elements(second.params["blocks"])
        if e["action_id"] == "claim"
    ]
    assert claims == made  # oldest first, each once, across the two pages
    assert not [e for e in elements(second.params["blocks"]) if e["action_id"] == "more"]
    await bed.click(ANA, "claim", made[0], VENDAS, "1.000001")
    await bed.answer(ANA, "You claimed")


async def test_every_list_answers_with_its_rows_and_buttons(
    bed: Bed, customers: Callable[[], Customer], clock: FakeClock
) -> None:
    maria = customers()
    cid = await maria.arrive(name="Maria Souza", email="maria@x.com")
    await bed.click(ANA, "claim", cid, VENDAS, "1.000001")
    await bed.answer(ANA, "You claimed")
    await Scenario(bed.core, clock).automatic()

    chats = await command(bed, ANA, "chats", "In service")
    contacts = await command(bed, ANA, "contacts souza", "Contacts")
    agents = await command(bed, ANA, "agents", "Agents")
    auto = await command(bed, ELISA, "auto", "Automatic stage")
    leads = await command(bed, ANA, "leads", "Leads online")
    helped = await command(bed, ANA, "help", "Commands:")
    bad = await command(bed, ANA, "bogus", "unknown command")
    stranger = await command(bed, STRANGER, "queue", "not registered")

    assert "Maria Souza" in sections(chats.params["blocks"])[0]
    assert [e["action_id"] for e in elements(chats.params["blocks"])] == ["peek", "details"]
    assert [e["action_id"] for e in elements(contacts.params["blocks"])] == ["start_contact"]
    assert {e["value"] for e in elements(agents.params["blocks"])} == {
        "bruno",
        "carla",
        "diego",
        "elisa",
    }
    assert [e["action_id"] for e in elements(auto.params["blocks"])] == ["peek"]
    assert "Tênis" in json.dumps(leads.params["blocks"], ensure_ascii=False)
    assert "history [filters]" in helped.params["text"]
    assert "Commands:" in bad.params["text"]
    assert stranger.params["text"] == "You are not registered as a Ponte agent."


async def test_details_modal_shows_the_panel_and_edits_the_contact(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive(name="Maria", email="maria@x.com")
    channel, ts = await bed.root(cid)
    await bed.click(ANA, "claim", cid, channel, ts)
    await bed.answer(ANA, "You claimed")
    await bed.click(ANA, "details", cid, channel, ts)
    opened = await bed.emu.wait_for_call("views.open")
    view = opened.reply["view"]
    shown = json.dumps(view["blocks"], ensure_ascii=False)

    assert view["callback_id"] == "details"
    for part in (
        "Chat details",
        "in service",
        "Vendas",
        "Ana",
        "Timeline",
        "Ana claimed",
        "History",
    ):
        assert part in shown
    inputs = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert inputs == {"name": "Maria", "email": "maria@x.com", "phone": None, "tags": None}

    bad = await bed.emu.submit_view(
        ANA, view["id"], {"email": typed("não é e-mail"), "name": typed("Maria")}
    )
    assert bad.json()["response_action"] == "errors"
    assert list(bad.json()["errors"]) == ["email"]
    values = {
        "name": typed("Maria Souza"),
        "email": typed("maria@souza.com"),
        "phone": typed("+55 11 98765-4321"),
        "tags": typed("vip atacado"),
    }
    assert (await bed.emu.submit_view(ANA, view["id"], values)).body == ""
    c = await bed.core.conversations.get(cid)
    contact = await bed.core.queries.contact(ContactId(c.contact_id))
    assert (contact.name, contact.email, contact.tags) == (
        "Maria Souza",
        "maria@souza.com",
        ("vip", "atacado"),
    )


async def test_details_history_posts_a_past_transcript_ephemerally(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    old = await maria.arrive()
    channel, ts = await bed.root(old)
    await bed.emu.user_posts(ANA, channel, "resolvido então!", thread_ts=ts)
    await maria.sees_text("resolvido então!")
    await bed.core.conversations.close(old, bed.core.agents.get("ana"), "ok")
    await maria.sees(lambda e: e["kind"] == "closed")
    await maria.say("voltei")  # a new conversation, same contact
    await maria.tab.wait_state(lambda c: c["id"] != old)
    new = maria.conversation
    new_channel, new_ts = await bed.root(new)
    await bed.click(ANA, "details", new, new_channel, new_ts)
    opened = await bed.emu.wait_for_call("views.open")
    history = accessories(opened.reply["view"]["blocks"])
    await bed.emu.click_button(
        ANA, action_id="transcript", value=history[0]["value"], view_id=opened.reply["view"]["id"]
    )
    transcript = await bed.emu.wait_for_call(
        "response_url", lambda c: "Transcript of" in c.params["text"]
    )

    assert history[0]["value"] == old
    assert "resolvido então!" in transcript.params["text"]
    assert transcript.params["response_type"] == "ephemeral"


async def test_app_home_shows_counters_and_chats_and_follows_the_queue(
    bed: Bed, clock: FakeClock
) -> None:
    scenario = Scenario(bed.core, clock)
    await scenario.queued("vendas", "Primeira")
    await bed.emu.open_home(ANA)
    first = await bed.emu.wait_for_call("views.publish")
    await scenario.queued("vendas", "Segunda")
    refreshed = await bed.emu.wait_for_call(
        "views.publish", lambda c: "2 waiting" in json.dumps(c.params["view"])
    )
    await bed.emu.click_home(ANA, action_id="home_list:queue", value="queue")
    listed = await bed.emu.wait_for_call(
        "chat.postMessage", lambda c: c.params.get("channel") == ANA and "Queue" in c.params["text"]
    )

    assert first.params["user_id"] == ANA
    assert "*Vendas*: 1 waiting" in json.dumps(first.params["view"], ensure_ascii=False)
    assert refreshed.params["user_id"] == ANA
    assert "Queue — 2 waiting" in listed.params["text"]
    home = bed.emu.home(ANA)
    assert home is not None
    assert "home_list:contacts" in json.dumps(home["blocks"])


async def test_internal_chat_between_a_telegram_and_a_slack_agent(bed: Bed) -> None:
    core = bed.core
    carla = Actions(core, ChannelKind.TELEGRAM)
    assert (await carla.internal(1003, "bruno", "Bruno, pode ver o #12? <!here>")).ok
    dm = await bed.emu.wait_for_call("chat.postMessage", lambda c: c.params.get("channel") == BRUNO)
    reply_button = elements(dm.params["blocks"])[0]
    await bed.click(
        BRUNO, reply_button["action_id"], reply_button["value"], "D0BRUNO", dm.reply["ts"]
    )
    opened = await bed.emu.wait_for_call("views.open")
    await bed.emu.submit_view(BRUNO, opened.reply["view"]["id"], {"text": typed("Vejo já")})
    await bed.answer(BRUNO, "Sent to Carla")
    dm_ts, _ = await bed.emu.user_posts(BRUNO, BRUNO, "pronto, resolvido")
    await bed.reaction("white_check_mark", dm_ts)

    assert dm.params["text"] == "Internal message from Carla: Bruno, pode ver o #12? &lt;!here&gt;"
    assert reply_button == {**reply_button, "action_id": "internal", "value": "carla"}
    said = [
        i.text
        for i in await core.agents.internal_history(
            core.agents.get("carla"), core.agents.get("bruno").id
        )
    ]
    assert said[-3:] == ["Bruno, pode ver o #12? <!here>", "Vejo já", "pronto, resolvido"]


async def test_a_dm_with_no_one_to_answer_explains_how(bed: Bed) -> None:
    await bed.emu.user_posts(ANA, ANA, "olá?")
    told = await bed.answer(ANA, "Message button", via="chat.postMessage")
    assert told.params["channel"] == ANA


async def test_peek_shows_the_latest_messages_privately_and_is_on_the_timeline(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    await maria.say("quero trocar o tamanho")
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "trocar o tamanho")
    await bed.click(ELISA, "peek", cid, channel, ts)
    peek = await bed.answer(ELISA, "Peek at")

    assert peek.params["text"].startswith("*Peek at #")
    assert "*Contact*: quero trocar o tamanho" in peek.params["text"]
    details = await bed.core.queries.details(cid, bed.core.agents.get("elisa"))
    assert "peeked" in [i.kind.value for i in details.timeline]
    assert "peeked" not in [e["kind"] for e in maria.tab.events.values()]


async def test_a_proactive_chat_with_a_lead_from_the_leads_list(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    visitor = customers()
    await visitor.tab.connect(url="https://shop.test/promo", title="Promoção")
    leads = await command(bed, ANA, "leads", "Leads online")
    (start,) = [e for e in elements(leads.params["blocks"]) if e["action_id"] == "start_lead"]
    await bed.click(ANA, "start_lead", start["value"], VENDAS, "1.000001")
    opened = await bed.emu.wait_for_call("views.open")
    await bed.emu.submit_view(ANA, opened.reply["view"]["id"], {"text": typed("Posso ajudar?")})
    await bed.answer(ANA, "started with")
    seen = await visitor.sees_text("Posso ajudar?")

    c = await bed.core.conversations.get(seen["conversation"])
    assert c.assignee == "ana"
    channel, ts = await bed.root(c.id)
    assert channel == VENDAS
    await bed.reply(channel, ts, "Posso ajudar?")


async def test_a_chat_with_a_contact_from_the_contacts_list(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    old = await maria.arrive(name="Maria Lima")
    await bed.core.conversations.close(old, bed.core.agents.get("elisa"), "")
    await maria.sees(lambda e: e["kind"] == "closed")
    contacts = await command(bed, BRUNO, "contacts lima", "Contacts")
    (start,) = elements(contacts.params["blocks"])
    await bed.click(BRUNO, "start_contact", start["value"], VENDAS, "1.0")
    opened = await bed.emu.wait_for_call("views.open")
    assert "Maria Lima" in json.dumps(opened.reply["view"], ensure_ascii=False)
    await bed.emu.submit_view(BRUNO, opened.reply["view"]["id"], {"text": typed("Oi de novo!")})
    await bed.answer(BRUNO, "started with Maria Lima")
    await maria.sees_text("Oi de novo!")
