"""A conversation becomes a thread: root card in the department's channel, everything after it
as replies, in order; customer text escaped so it never pings or links."""

from __future__ import annotations

from collections.abc import Callable

from tests.channels.slack.conftest import SUPORTE, VENDAS
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed, buttons, card_text


async def test_a_customer_message_appears_in_the_departments_thread_escaped(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive("vendas", name="Maria <!channel>", email="maria@x.com")
    channel, ts = await bed.root(cid)
    await maria.say("Oi <!channel> & <@U0ANA>, o tênis 42 tem?")
    reply = await bed.reply(channel, ts, "tênis 42")

    assert channel == VENDAS
    root = bed.card(channel, ts)
    shown = card_text(root)
    assert "Maria &lt;!channel&gt;" in shown  # mrkdwn fields: escaped
    assert "<!channel>" not in root["text"]
    assert "maria@x.com" in shown
    assert "Vendas" in shown
    assert "Tênis" in shown  # the page the customer is on
    assert buttons(root) == ["claim", "peek", "transfer", "close", "details"]
    assert reply.params["text"] == (
        "*Contact*: Oi &lt;!channel&gt; &amp; &lt;@U0ANA&gt;, o tênis 42 tem?"
    )
    assert "link_names" not in reply.params
    assert "parse" not in reply.params
    # The automatic stage (greeting, form) came with the root, before the customer's message.
    thread = bed.thread(channel, ts)
    assert "Before the queue" in thread[0]
    assert "Hello!" in thread[0]
    assert thread[-1] == reply.params["text"]


async def test_messages_keep_their_order_in_the_thread(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    for n in range(5):
        await maria.say(f"mensagem {n}")
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "mensagem 4")

    lines = [t for t in bed.thread(channel, ts) if "mensagem" in t]
    assert lines == [f"*Contact*: mensagem {n}" for n in range(5)]


async def test_the_bot_joins_a_channel_it_is_not_in_before_posting(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    cid = await joana.arrive("suporte", name="Joana")
    channel, _ = await bed.root(cid)

    assert channel == SUPORTE
    assert [c.params["channel"] for c in bed.emu.calls("conversations.join")] == [SUPORTE]
    refused = [c for c in bed.emu.calls("chat.postMessage") if not c.reply["ok"]]
    assert [c.reply["error"] for c in refused] == ["not_in_channel"]


async def test_exactly_one_root_per_conversation_when_messages_arrive_together(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    for text in ("um", "dois", "três"):
        await maria.say(text)
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "três")

    roots = [m for m in bed.emu.messages(channel) if f"card:{cid}" in card_text(m)]
    assert len(roots) == 1


async def test_the_bots_own_posts_coming_back_as_events_change_nothing(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    await maria.say("uma pergunta")
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "uma pergunta")
    await bed.emu.drain()  # every echo of our own posts has been delivered and answered

    echoes = [d for d in bed.emu.deliveries() if d.background]
    assert echoes
    assert all(d.delivery is not None and d.delivery.status == 200 for d in echoes)
    assert await bed.core.jobs.size("slack") == 0
    log = await bed.core.queries.transcript(cid, bed.core.agents.get("elisa"))
    assert [i.kind.value for i in log.timeline if i.actor.author.value == "agent"] == []
