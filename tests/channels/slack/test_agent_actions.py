"""What agents do from the thread: claim (and its race), reply, note, reply-to-claim, transfer,
close; and what the customer sees of it in the widget."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bridge.domain.ids import ConversationId
from bridge.domain.model import ConversationState
from tests.channels.slack.conftest import ANA, BRUNO, STRANGER, SUPORTE, VENDAS
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed, buttons, card_text, select, typed


async def test_claim_race_one_wins_the_other_is_told_who(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    number = (await bed.core.conversations.get(cid)).number

    await asyncio.gather(*(bed.click(user, "claim", cid, channel, ts) for user in (ANA, BRUNO)))
    await bed.answer(ANA, "You claimed")  # to whoever won; then to the other one
    await bed.answer(BRUNO, "Too late")

    c = await bed.core.conversations.get(cid)
    winner, loser = (ANA, BRUNO) if c.assignee == "ana" else (BRUNO, ANA)
    winner_name = "Ana" if winner == ANA else "Bruno"
    assert [e["text"] for e in bed.emu.ephemerals(winner)] == [
        f"You claimed conversation #{number}."
    ]
    assert [e["text"] for e in bed.emu.ephemerals(loser)] == [
        f"Too late: #{number} was already claimed by {winner_name}."
    ]
    await maria.sees(lambda e: e["kind"] == "claimed" and e["data"]["agent_name"] == winner_name)
    update = await bed.card_update(channel, ts, lambda blocks: winner_name in blocks)
    await bed.reply(channel, ts, "claimed the conversation")
    assert "claim" not in [
        e["action_id"]
        for b in update.params["blocks"]
        for e in b.get("elements", [])
        if b["type"] == "actions"
    ]
    assert f"{winner_name} claimed the conversation." in "\n".join(bed.thread(channel, ts))


async def test_unauthorized_claims_are_refused_and_change_nothing(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, ts = await bed.root(cid)

    await bed.click(STRANGER, "claim", cid, channel, ts)
    await bed.click(ANA, "claim", cid, channel, ts)
    stranger = await bed.answer(STRANGER, "not registered")
    ana = await bed.answer(ANA, "may not")

    assert stranger.params["text"] == "You are not registered as a Ponte agent."
    assert ana.params["text"] == "You may not do that: no access to its department."
    assert (await bed.core.conversations.get(cid)).state is ConversationState.QUEUED
    assert [e["user"] for e in bed.emu.ephemerals()] == [STRANGER, ANA]


async def test_notes_stay_internal_and_are_marked_replies_reach_the_customer(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await bed.click(ANA, "claim", cid, channel, ts)
    await maria.sees(lambda e: e["kind"] == "claimed")

    explicit, _ = await bed.emu.user_posts(ANA, channel, "// cliente VIP, cuidado", thread_ts=ts)
    await bed.reaction("lock", explicit)
    other, _ = await bed.emu.user_posts(BRUNO, channel, "posso ajudar?", thread_ts=ts)
    await bed.reaction("lock", other)
    told = await bed.answer(BRUNO, "Internal note", via="chat.postEphemeral")
    await bed.emu.user_posts(ANA, channel, "Olá Maria! Temos sim &amp; já separo.", thread_ts=ts)
    await maria.sees_text("Olá Maria! Temos sim & já separo.")

    assert told.params["thread_ts"] == ts
    assert told.params["text"] == "Internal note: not sent to the customer."
    texts = maria.texts()
    assert not any("VIP" in t or "posso ajudar" in t for t in texts)
    assert not [e for e in bed.emu.ephemerals(ANA) if "Internal" in e["text"]]  # prefixed: no nag
    thread = bed.emu.messages(channel, ts)
    marked = {m["ts"]: [r["name"] for r in m.get("reactions", [])] for m in thread}
    assert marked[explicit] == ["lock"]
    assert marked[other] == ["lock"]


async def test_a_reply_in_a_waiting_chat_claims_it_first(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)

    await bed.emu.user_posts(BRUNO, channel, "Oi Maria, sou o Bruno", thread_ts=ts)
    await maria.sees_text("Oi Maria, sou o Bruno")
    await bed.card_update(channel, ts, lambda blocks: "in service — Bruno" in blocks)

    c = await bed.core.conversations.get(cid)
    assert (c.state, c.assignee) == (ConversationState.IN_SERVICE, "bruno")
    claimed = [e for e in maria.tab.events.values() if e["kind"] == "claimed"]
    assert claimed[0]["data"]["agent_name"] == "Bruno"


async def test_transfer_opens_a_new_thread_linked_back_and_the_old_root_says_where(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await maria.say("na verdade é uma troca")
    await bed.reply(channel, ts, "troca")
    await bed.click(BRUNO, "transfer", cid, channel, ts)
    opened = await bed.emu.wait_for_call("views.open")
    view_id = opened.reply["view"]["id"]

    empty = await bed.emu.submit_view(BRUNO, view_id, {"department": select(None)})
    assert empty.json()["response_action"] == "errors"
    values = {"department": select("suporte"), "agent": select(None), "note": typed("troca")}
    assert (await bed.emu.submit_view(BRUNO, view_id, values)).body == ""
    new_channel, new_ts = await bed.root(cid, SUPORTE)
    await bed.card_update(channel, ts, lambda blocks: "Moved to Suporte" in blocks)
    await bed.answer(BRUNO, "Transferred")
    backlog = await bed.reply(new_channel, new_ts, "Earlier in this conversation")
    await bed.reply(channel, ts, "transferred it to Suporte")

    new_root = bed.card(new_channel, new_ts)
    permalink = bed.emu.calls("chat.getPermalink")[0].reply["permalink"]
    assert permalink in card_text(new_root)
    assert "Transferred here from Vendas" in card_text(new_root)
    assert buttons(new_root)[0] == "claim"
    assert "*Contact*: na verdade é uma troca" in backlog.params["text"]
    old_thread = "\n".join(bed.thread(channel, ts))
    assert "Bruno transferred it to Suporte. — troca" in old_thread
    assert buttons(bed.card(channel, ts)) == ["peek", "details"]
    c = await bed.core.conversations.get(cid)
    assert (c.department_id, c.state) == ("suporte", ConversationState.QUEUED)
    await maria.say("oi suporte")
    await bed.reply(new_channel, new_ts, "oi suporte")


async def test_close_with_a_reason_then_the_rating_appears_in_the_thread(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await bed.click(ANA, "claim", cid, channel, ts)
    await bed.answer(ANA, "You claimed")
    await bed.click(ANA, "close", cid, channel, ts)
    opened = await bed.emu.wait_for_call("views.open")
    await bed.emu.submit_view(ANA, opened.reply["view"]["id"], {"reason": typed("resolvido")})
    await bed.reply(channel, ts, "Closed by Ana: resolvido.")
    await maria.sees(lambda e: e["kind"] == "closed")
    await maria.rate(5, "ótimo <b>atendimento</b>")
    rated = await bed.reply(channel, ts, "rated")

    assert (
        rated.params["text"] == "_The customer rated ★★★★★: ótimo &lt;b&gt;atendimento&lt;/b&gt;_"
    )
    await bed.card_update(channel, ts, lambda blocks: "★★★★★" in blocks)
    assert buttons(bed.card(channel, ts)) == ["peek", "details"]
    c = await bed.core.conversations.get(ConversationId(cid))
    assert (c.state, c.close_reason, c.rating) == (ConversationState.CLOSED, "resolvido", 5)
    assert channel == VENDAS


async def test_transfer_and_close_say_why_when_the_agent_may_not(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, ts = await bed.root(cid)
    for action in ("transfer", "close"):
        await bed.click(ANA, action, cid, channel, ts)
    await bed.click(STRANGER, "details", cid, channel, ts)
    await bed.emu.wait_for_call("views.open", lambda c: "registered" in str(c.params["view"]))

    notices = [v for v in bed.emu.views() if v["callback_id"] == "notice"]
    texts = [v["blocks"][0]["text"]["text"] for v in notices]
    assert texts == [
        "You may not do that: no access to suporte.",
        "You may not do that: no access to suporte.",
        "You are not registered as a Ponte agent.",
    ]
    assert (await bed.core.conversations.get(cid)).state is ConversationState.QUEUED


async def test_someone_who_is_not_an_agent_writes_a_note_under_their_slack_name(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    said, _ = await bed.emu.user_posts(STRANGER, channel, "essa cliente já ligou", thread_ts=ts)
    await bed.reaction("lock", said)

    log = await bed.core.queries.transcript(cid, bed.core.agents.get("elisa"))
    (note,) = [i for i in log.timeline if i.text == "essa cliente já ligou"]
    assert (note.kind.value, note.actor.name) == ("note", "visitante")
    assert "essa cliente já ligou" not in maria.texts()
