"""Conversations become forum topics in their department's group: the header card, the
automatic-stage transcript and every message after it, in order, customer text escaped."""

from __future__ import annotations

import pytest

from tests.channels.telegram.helpers import FINANCEIRO, VENDAS, Daemon


async def test_a_customer_message_opens_a_topic_in_the_department_group(daemon: Daemon) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas", name="Maria <b>Silva</b>")
    topic = await daemon.topic(VENDAS, number)

    (header,) = [m for m in daemon.emu.messages(VENDAS, topic.thread) if "reply_markup" in m]
    assert header["message_id"] == topic.header
    assert f"#{number}" in header["text"]
    assert "Maria <b>Silva</b>" in header["text"]  # shown as typed, never as markup
    buttons = [b["callback_data"] for row in header["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"c:{cid}", f"t:{cid}", f"x:{cid}", f"d:{cid}"]
    assert daemon.emu.topics(VENDAS)[topic.thread]["name"] == f"Maria <b>Silva</b> · #{number}"

    backlog = await daemon.posted(VENDAS, topic.thread, "Hello!")  # the automatic stage
    assert "maria@x.com" in backlog.params["text"]

    await customer.say("Oi <script>alert(1)</script> & até já")
    call = await daemon.posted(VENDAS, topic.thread, "Oi")
    assert "Oi &lt;script&gt;alert(1)&lt;/script&gt; &amp; até já" in call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    shown = daemon.emu.messages(VENDAS, topic.thread)[-1]
    assert shown["text"].endswith("Oi <script>alert(1)</script> & até já")

    assert (await daemon.thread_ref(cid)).encode() == topic.ref
    assert daemon.emu.topics(FINANCEIRO) == {}


@pytest.mark.parametrize("changes", [{"limits": {"message_chars": 10_000}}])
async def test_messages_follow_in_order_and_long_ones_are_split(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    await customer.say("um")
    await customer.say("dois")
    long = "\n".join(f"linha {n} " + "x" * 90 for n in range(60))  # ~5,900 characters
    await customer.say(long)
    await customer.say("três")
    await daemon.posted(VENDAS, topic.thread, "três")

    texts = [m.get("text", "") for m in daemon.emu.messages(VENDAS, topic.thread)]
    order = [t for t in texts if t.endswith(("um", "dois", "três")) or "linha" in t]
    assert [order[0][-2:], order[1][-4:], order[-1][-4:]] == ["um", "dois", "três"]
    pieces = order[2:-1]
    assert len(pieces) == 2
    assert all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).count("linha") == 60
