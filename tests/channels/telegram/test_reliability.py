"""Updates act once however often they arrive; Telegram's 429 pauses delivery without losing or
reordering anything."""

from __future__ import annotations

from bridge.core import Core
from tests.channels.telegram.helpers import ELISA, VENDAS, Daemon


async def test_a_redelivered_update_acts_once(daemon: Daemon, core: Core) -> None:
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    sent = await emu.user_sends(ELISA, VENDAS, "só uma vez", thread_id=topic.thread)
    await customer.sees("só uma vez")
    await emu.redeliver(sent["update_id"])
    await emu.redeliver(sent["update_id"])
    # Jobs run in arrival order: once this later message is through, the copies were seen.
    await emu.user_sends(ELISA, VENDAS, "depois", thread_id=topic.thread)
    await customer.sees("depois")
    assert customer.texts().count("só uma vez") == 1
    copies = [
        u
        for call in emu.calls("getUpdates")
        for u in call.result or []
        if u["update_id"] == sent["update_id"]
    ]
    assert len(copies) == 3  # Telegram did send it three times
    press = await emu.press_button(ELISA, VENDAS, topic.header, f"x:{cid}")
    await daemon.answer(press)
    await emu.redeliver(press["update_id"])
    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/help")
    await daemon.posted(ELISA, None, "Ponte commands")
    assert len(emu.calls("answerCallbackQuery")) == 1


async def test_flood_limits_pause_delivery_and_keep_the_order(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    await daemon.posted(VENDAS, topic.thread, "Hello!")
    daemon.emu.fail_next("sendMessage", retry_after=2, times=2)
    for text in ("um", "dois", "três", "quatro"):
        await customer.say(text)
    await daemon.posted(VENDAS, topic.thread, "quatro")
    sends = [c for c in daemon.emu.calls("sendMessage") if c.params.get("message_thread_id")]
    statuses = [c.status for c in sends]
    assert statuses.count(429) == 2
    delivered = [c.params["text"].rsplit(" ", 1)[-1] for c in sends[2:] if c.status == 200]
    assert delivered == ["um", "dois", "três", "quatro"]  # each once, in order
