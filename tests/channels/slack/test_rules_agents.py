"""Service rules an agent uses from Slack: presence (`/ponte status`, the App Home) feeding
automatic distribution, close reasons in the Close modal, quick replies (`/ponte reply` and the
message shortcut) reaching the widget, and `/ponte stats`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bridge.domain.model import ConversationState, Presence
from tests.channels.slack.conftest import ANA, BRUNO, SUPORTE, VENDAS
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed, card_text, elements, sections, select
from tests.fakes import FakeClock

REASONS = ["resolvido", "sem resposta", "venda"]


@pytest.fixture
def settings_changes() -> dict[str, Any]:
    return {
        "departments": [
            {
                "id": "vendas",
                "name": "Vendas",
                "slack_channel": VENDAS,
                "rules": {"close_reasons": REASONS, "close_reason_required": True},
            },
            {
                "id": "suporte",
                "name": "Suporte",
                "slack_channel": SUPORTE,
                "rules": {"distribution": "automatic"},
            },
            {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
        ],
        "quick_replies": [
            {
                "name": "ola",
                "text": "Olá {contact.name}, aqui é {agent.name}, de {department.name}!",
            },
            {"name": "pix", "text": "Chave Pix: loja@aurora.com", "departments": ["vendas"]},
        ],
    }


def published(user: str, contains: str) -> Callable[[Any], bool]:
    return lambda c: (
        c.params["user_id"] == user and contains in json.dumps(c.params["view"], ensure_ascii=False)
    )


async def test_status_from_the_command_and_the_home_shows_in_the_agents_list(bed: Bed) -> None:
    await bed.command(ANA, "status", "Your status is offline. Use: status online|away|offline")
    await bed.emu.open_home(ANA)
    home = await bed.emu.wait_for_call("views.publish", published(ANA, "Your status: offline"))
    await bed.command(ANA, "status online", "Your status is now online.")
    await bed.emu.wait_for_call("views.publish", published(ANA, "Your status: online"))
    await bed.emu.click_home(ANA, action_id="status:away", value="away")
    await bed.emu.wait_for_call("views.publish", published(ANA, "Your status: away"))
    bad = await bed.command(ANA, "status busy", "Unknown status")
    agents = await bed.command(BRUNO, "agents", "Agents")

    buttons = elements(home.params["view"]["blocks"])
    status = [b for b in buttons if b["action_id"].startswith("status:")]
    assert [(b["value"], b.get("style")) for b in status] == [
        ("online", None),
        ("away", None),
        ("offline", "primary"),
    ]
    assert await bed.core.agents.presence(bed.core.agents.get("ana")) is Presence.AWAY
    assert bad.params["text"] == "Unknown status 'busy': use online, away or offline."
    rows = sections(agents.params["blocks"])
    assert any(r.startswith("*Ana*") and "away" in r for r in rows)
    assert [e["user"] for e in bed.emu.ephemerals() if "status" in e["text"]] == [ANA] * 3


async def test_coming_online_takes_the_waiting_chat_of_an_automatic_department(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, ts = await bed.root(cid)
    assert (await bed.core.conversations.get(cid)).state is ConversationState.QUEUED

    await bed.command(BRUNO, "status online", "Your status is now online.")
    claimed = await joana.sees(lambda e: e["kind"] == "claimed")
    line = await bed.reply(channel, ts, "Assigned automatically")
    await bed.card_update(channel, ts, lambda blocks: "in service — Bruno" in blocks)

    assert claimed["data"]["agent_name"] == "Bruno"
    assert line.params["text"] == "_Assigned automatically to Bruno._"
    c = await bed.core.conversations.get(cid)
    assert (c.state, c.assignee) == (ConversationState.IN_SERVICE, "bruno")


async def test_close_asks_for_one_of_the_reasons_and_refuses_none(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    cid = maria.conversation
    await bed.click(ANA, "close", cid, channel, ts)
    opened = await bed.emu.wait_for_call("views.open")
    view = opened.reply["view"]
    (reason,) = [b for b in view["blocks"] if b.get("block_id") == "reason"]

    missing = await bed.emu.submit_view(ANA, view["id"], {"reason": select(None)})
    forged = await bed.emu.submit_view(ANA, view["id"], {"reason": select("whatever")})
    assert (await bed.core.conversations.get(cid)).state is ConversationState.IN_SERVICE
    done = await bed.emu.submit_view(ANA, view["id"], {"reason": select("venda")})
    await bed.answer(ANA, "Closed #")
    await bed.reply(channel, ts, "Closed by Ana: venda.")
    await bed.card_update(channel, ts, lambda blocks: "Close reason" in blocks)
    found = await bed.command(ANA, "history reason:venda", "History")
    none = await bed.command(ANA, "history reason:sem_resposta", "History")

    assert reason["optional"] is False
    assert reason["element"]["type"] == "static_select"
    assert [o["value"] for o in reason["element"]["options"]] == REASONS
    assert missing.json() == {
        "response_action": "errors",
        "errors": {"reason": "Choose a close reason: resolvido, sem resposta, venda."},
    }
    assert "unknown close reason 'whatever'" in forged.json()["errors"]["reason"]
    assert done.body == ""
    assert "venda" in card_text(bed.card(channel, ts))
    number = (await bed.core.conversations.get(cid)).number
    assert any(f"#{number} Maria" in row for row in sections(found.params["blocks"]))
    assert "venda" in json.dumps(found.params["blocks"], ensure_ascii=False)
    assert "Nothing here." in sections(none.params["blocks"])


async def test_a_department_without_reasons_keeps_free_text(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, ts = await bed.root(cid)
    await bed.click(BRUNO, "close", cid, channel, ts)
    opened = await bed.emu.wait_for_call("views.open")
    (reason,) = [b for b in opened.reply["view"]["blocks"] if b.get("block_id") == "reason"]
    assert (reason["optional"], reason["element"]["type"]) == (True, "plain_text_input")


async def test_reply_command_sends_a_quick_reply_with_placeholders_filled(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria, joana = customers(), customers()
    channel, ts = await bed.claimed(maria)
    await bed.command(ANA, "reply ola", "Quick reply 'ola' sent")
    await maria.sees_text("Olá Maria, aqui é Ana, de Vendas!")
    await bed.reply(channel, ts, "Olá Maria, aqui é Ana")
    await bed.claimed(joana)  # two chats now: the number is needed
    number = (await bed.core.conversations.get(joana.conversation)).number

    ask = await bed.command(ANA, "reply ola", "Which conversation?")
    await bed.command(ANA, f"reply pix #{number}", "Quick reply 'pix' sent")
    await joana.sees_text("Chave Pix: loja@aurora.com")
    unknown = await bed.command(ANA, f"reply nada #{number}", "No quick reply")
    not_mine = await bed.command(ANA, "reply ola #999", "#999")
    usage = await bed.command(ANA, "reply", "Write reply")

    assert ask.params["text"] == "Which conversation? Add its number, e.g. reply ola #12."
    assert unknown.params["text"] == "No quick reply 'nada'. Available: ola, pix."
    assert not_mine.params["text"] == "#999 is not one of your conversations in service."
    assert usage.params["text"] == "Write reply &lt;quick reply&gt; [#number]. Available: ola, pix."
    assert "Chave Pix" not in maria.texts()


async def test_the_message_shortcut_offers_the_departments_quick_replies(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    await maria.say("qual é o pix?")
    asked = await bed.reply(channel, ts, "qual é o pix?")
    await bed.emu.message_shortcut(
        ANA, callback_id="ponte_quick_reply", channel=channel, message_ts=asked.reply["ts"]
    )
    opened = await bed.emu.wait_for_call("views.open")
    view = opened.reply["view"]
    empty = await bed.emu.submit_view(ANA, view["id"], {"reply": select(None)})
    sent = await bed.emu.submit_view(ANA, view["id"], {"reply": select("pix")})
    await maria.sees_text("Chave Pix: loja@aurora.com")
    await bed.answer(ANA, "Quick reply 'pix' sent")
    await bed.reply(channel, ts, "*Ana*: Chave Pix")

    await bed.emu.message_shortcut(
        BRUNO, callback_id="ponte_quick_reply", channel=channel, message_ts=ts
    )
    elsewhere, _ = await bed.emu.user_posts(ANA, channel, "bom dia, time")
    await bed.emu.message_shortcut(
        ANA, callback_id="ponte_quick_reply", channel=channel, message_ts=elsewhere
    )
    await bed.emu.wait_for_call("views.open", lambda c: "thread" in json.dumps(c.params["view"]))

    (pick,) = view["blocks"]
    options = pick["element"]["options"]
    assert view["callback_id"] == "quick_reply"
    assert [o["value"] for o in options] == ["ola", "pix"]
    assert options[0]["description"]["text"].startswith("Olá {contact.name}")
    assert empty.json()["errors"] == {"reply": "Choose one."}
    assert sent.body == ""
    notices = [
        v["blocks"][0]["text"]["text"] for v in bed.emu.views() if v["callback_id"] == "notice"
    ]
    number = (await bed.core.conversations.get(maria.conversation)).number
    assert notices == [
        f"Only the agent serving #{number} can send a quick reply; claim it first.",
        "Use this on a message in a conversation's thread.",
    ]


async def test_stats_count_the_days_conversations_reasons_and_ratings(
    bed: Bed, customers: Callable[[], Customer], clock: FakeClock
) -> None:
    ana = bed.core.agents.get("ana")
    for name, reason in (("Maria", "resolvido"), ("Joana", "venda")):
        customer = customers()
        cid = await customer.arrive(name=name)
        channel, ts = await bed.root(cid)
        clock.advance(20)
        await bed.click(ANA, "claim", cid, channel, ts)
        await customer.sees(lambda e: e["kind"] == "claimed")
        await bed.core.conversations.close(cid, ana, reason)
        await customer.sees(lambda e: e["kind"] == "closed")
        if name == "Maria":
            await customer.rate(5)
            await bed.reply(channel, ts, "rated")
    await customers().arrive(name="Lia")  # waiting: counted, not closed
    stats = await bed.command(ANA, "stats", "Statistics")
    shown = "\n".join(sections(stats.params["blocks"]))

    today, week = shown.split("\n")[1:3]
    assert shown.startswith("*Vendas*\n")
    assert today.startswith("today: 3 conversations, 2 closed; wait median ≤ 30s (p90 ≤ 30s)")
    assert week.startswith("last 7 days: 3 conversations, 2 closed")
    assert "rating 5.0 (1)" in today
    assert "resolvido 1" in today
    assert "venda 1" in today
    assert stats.params["response_type"] == "ephemeral"
