"""The typing signal: only the visitor's own live conversation, throttled per conversation,
and passed to listeners by the service's own task, so a slow vendor never holds the customer."""

from __future__ import annotations

import asyncio

import pytest

from bridge.core import Core
from bridge.domain.errors import NotFound
from bridge.domain.ids import VisitorId, new_visitor_id
from bridge.domain.model import Conversation
from tests.scenario import Scenario


def vid(c: Conversation) -> VisitorId:
    assert c.visitor_id is not None
    return c.visitor_id


async def test_a_slow_listener_never_holds_the_customer(core: Core, scenario: Scenario) -> None:
    entered, release, both = asyncio.Event(), asyncio.Event(), asyncio.Event()
    heard: list[str] = []

    async def slow(conversation: Conversation) -> None:
        entered.set()
        await release.wait()
        heard.append(conversation.id)
        if len(heard) == 2:
            both.set()

    core.signals.on_customer_typing(slow)
    one, two = await scenario.queued(), await scenario.queued()
    async with core.signals.lifespan():
        assert await core.signals.customer_typing(vid(one), one.id)
        await entered.wait()  # the listener is stuck on a slow vendor …
        assert await core.signals.customer_typing(vid(two), two.id)  # … and nobody waits
        await core.customers.say(vid(one), one.id, "still here", client_id="c1")
        release.set()
        await both.wait()
    assert heard == [one.id, two.id]


async def test_one_signal_per_conversation_in_the_window(core: Core, scenario: Scenario) -> None:
    heard: list[str] = []

    async def listener(conversation: Conversation) -> None:
        heard.append(conversation.id)

    core.signals.on_customer_typing(listener)
    c = await scenario.queued()
    results = [await core.signals.customer_typing(vid(c), c.id) for _ in range(3)]
    assert results == [True, False, False]


async def test_only_live_conversations_of_the_visitor(core: Core, scenario: Scenario) -> None:
    async def listener(conversation: Conversation) -> None:
        return None

    core.signals.on_customer_typing(listener)
    automatic = await scenario.automatic()
    assert not await core.signals.customer_typing(vid(automatic), automatic.id)
    closed = await scenario.closed()
    assert not await core.signals.customer_typing(vid(closed), closed.id)
    queued = await scenario.queued()
    with pytest.raises(NotFound):
        await core.signals.customer_typing(new_visitor_id(), queued.id)  # someone else's
