"""Notices of the service rules in Slack, driven by the fake clock (`clock.advance`, then
`core.timers.run_due()`): the waiting alert in the department's channel and in a supervisor's
DM; the last agent's reservation (a DM with buttons, the card, the thread, a refused claim);
a conversation reopened by the customer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bridge.domain.model import ConversationState
from tests.channels.slack.conftest import ANA, BRUNO, ELISA, SUPORTE, VENDAS
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed, card_text, elements
from tests.emulators.slack import Call
from tests.fakes import FakeClock


@pytest.fixture
def settings_changes() -> dict[str, Any]:
    return {
        "departments": [
            {
                "id": "vendas",
                "name": "Vendas",
                "slack_channel": VENDAS,
                "rules": {"waiting_alert_minutes": 5, "last_agent_minutes": 10},
            },
            {
                "id": "suporte",
                "name": "Suporte",
                "slack_channel": SUPORTE,
                "rules": {"reopen": "within 30"},
            },
            {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
        ],
    }


def posted_to(target: str, contains: str) -> Callable[[Call], bool]:
    return lambda c: c.params.get("channel") == target and contains in str(c.params.get("text"))


async def test_the_waiting_alert_reaches_the_channel_and_the_supervisors_dm(
    bed: Bed, customers: Callable[[], Customer], clock: FakeClock
) -> None:
    maria = customers()
    await bed.root(await maria.arrive())
    clock.advance(6 * 60)
    await bed.core.timers.run_due()
    alert = await bed.emu.wait_for_call("chat.postMessage", posted_to(VENDAS, "waiting in"))
    dm = await bed.emu.wait_for_call("chat.postMessage", posted_to(ELISA, "waiting in"))
    await bed.click(BRUNO, "home_list:queue", "queue", VENDAS, alert.reply["ts"])
    queue = await bed.answer(BRUNO, "Queue — 1 waiting")

    clock.advance(2 * 60)  # within the period: no second alert
    await bed.core.timers.run_due()
    clock.advance(4 * 60)  # still waiting after the period: one more
    await bed.core.timers.run_due()
    await bed.emu.wait_for_call("chat.postMessage", posted_to(VENDAS, "the oldest for 12 min"))

    assert alert.params["text"] == "⏰ 1 waiting in Vendas; the oldest for 6 min."
    assert "thread_ts" not in alert.params or alert.params["thread_ts"] is None
    assert dm.params["text"] == alert.params["text"]
    assert [e["action_id"] for e in elements(alert.params["blocks"])] == ["home_list:queue"]
    assert "Maria" in json.dumps(queue.params["blocks"], ensure_ascii=False)
    in_channel = [c for c in bed.emu.calls("chat.postMessage") if posted_to(VENDAS, "⏰")(c)]
    assert len(in_channel) == 2
    to_agents = {
        c.params["channel"]
        for c in bed.emu.calls("chat.postMessage")
        if "⏰" in str(c.params["text"])
    }
    assert to_agents == {VENDAS, ELISA}  # supervisors only; agents read the channel


async def test_a_returning_customer_is_reserved_for_the_last_agent(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    await bed.claimed(maria)
    old = maria.conversation
    await bed.core.conversations.close(old, bed.core.agents.get("ana"), "")
    await maria.sees(lambda e: e["kind"] == "closed")
    await maria.say("voltei, preciso de outra coisa")
    await maria.tab.wait_state(lambda c: c["id"] != old)
    new = maria.conversation
    channel, ts = await bed.root(new)
    number = (await bed.core.conversations.get(new)).number

    dm = await bed.emu.wait_for_call("chat.postMessage", posted_to(ANA, "came back"))
    waiting_card = card_text(bed.card(channel, ts))
    await bed.click(BRUNO, "claim", new, channel, ts)
    refused = await bed.answer(BRUNO, "reserved for Ana")
    queue = await bed.command(BRUNO, "queue", "Queue — 1 waiting")
    claim = [e for e in elements(dm.params["blocks"]) if e["action_id"] == "claim"]
    await bed.click(ANA, "claim", claim[0]["value"], ANA, dm.reply["ts"])
    await bed.answer(ANA, f"You claimed conversation #{number}.")
    taken = await bed.card_update(channel, ts, lambda blocks: "in service — Ana" in blocks)

    assert dm.params["text"] == (
        f"🔖 #{number} (Vendas): a customer you served came back; "
        "it is reserved for you for 10 min."
    )
    assert [e["value"] for e in elements(dm.params["blocks"])] == [new, new]  # claim, peek
    # 15:00 UTC is 12:00 in São Paulo, the department's zone
    assert "Reserved for Ana until 12:10" in waiting_card
    assert "Reserved" not in json.dumps(taken.params["blocks"])
    assert refused.params["text"] == (
        f"#{number} is reserved for Ana until 12:10: they served this customer before."
    )
    assert "Reserved for Ana" in json.dumps(queue.params["blocks"], ensure_ascii=False)
    c = await bed.core.conversations.get(new)
    assert (c.state, c.assignee) == (ConversationState.IN_SERVICE, "ana")


async def test_a_customer_writing_after_the_close_reopens_the_same_thread(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, ts = await bed.root(cid)
    await bed.click(BRUNO, "claim", cid, channel, ts)
    await joana.sees(lambda e: e["kind"] == "claimed")
    await bed.core.conversations.close(cid, bed.core.agents.get("bruno"), "")
    await bed.card_update(channel, ts, lambda blocks: "closed" in blocks)
    await joana.say("esqueci de perguntar uma coisa")

    await bed.reply(channel, ts, "esqueci de perguntar")
    reopened = await bed.card_update(channel, ts, lambda blocks: '"claim"' in blocks)

    assert joana.conversation == cid
    assert "waiting" in json.dumps(reopened.params["blocks"])
    c = await bed.core.conversations.get(cid)
    assert (c.state, c.reopened) == (ConversationState.QUEUED, 1)
