"""Ephemeral signals: "the customer is typing". Not a change of state, so no script, no log
entry and no outbox: losing one loses nothing anyone wrote.

The widget sends a typing frame every few seconds while the customer types. At most one signal
per conversation per WINDOW_SECONDS is passed on (a key with a TTL, shared by every process, so
two tabs or two processes do not double it), to the listeners agent channels registered in this
process; any process can reach a vendor's API, so the process that heard the frame is the one
that calls it. Telegram shows "typing…" in the topic (sendChatAction); Slack has no API for a
bot to show typing in a channel thread, so the Slack channel does not listen.

The listeners run in this service's own task (started by `lifespan`), not in the customer's
frame handler: a slow vendor never delays the message the customer sends next. When that task
falls behind, signals beyond PENDING are dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from bridge.domain.ids import ConversationId, VisitorId
from bridge.domain.model import Conversation, ConversationState
from bridge.lifecycle import stop_task
from bridge.store import Store

log = logging.getLogger("ponte.signals")

WINDOW_SECONDS = 4  # Telegram's indicator lasts about 5 s; the widget repeats every 3 s
LISTENER_TIMEOUT = 3.0
PENDING = 256

TypingListener = Callable[[Conversation], Awaitable[None]]
OwnConversation = Callable[[VisitorId, ConversationId], Awaitable[Conversation]]


class Signals:
    def __init__(self, store: Store, own: OwnConversation) -> None:
        """`own` is the customers' ownership check (core.customers.conversation)."""
        self._store, self._own = store, own
        self._typing: list[TypingListener] = []
        self._pending: asyncio.Queue[Conversation] = asyncio.Queue(PENDING)

    def on_customer_typing(self, listener: TypingListener) -> None:
        """Hear the (throttled) typing signals of conversations with an agent thread, in
        queue or in service. The listener is awaited with a timeout; what it raises is logged."""
        self._typing.append(listener)

    async def customer_typing(self, vid: VisitorId, cid: ConversationId) -> bool:
        """The visitor types in their own conversation; True when the signal was queued for
        the listeners."""
        conversation = await self._own(vid, cid)
        live = (ConversationState.QUEUED, ConversationState.IN_SERVICE)
        if conversation.state not in live or not self._typing:
            return False
        if not await self._store.guards.first_time("typing", cid, WINDOW_SECONDS):
            return False
        try:
            self._pending.put_nowait(conversation)
        except asyncio.QueueFull:
            return False
        return True

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        task = asyncio.create_task(self._run(), name="signals")
        try:
            yield
        finally:
            await stop_task(task)

    async def _run(self) -> None:
        while True:
            conversation = await self._pending.get()
            for listener in self._typing:
                try:
                    async with asyncio.timeout(LISTENER_TIMEOUT):
                        await listener(conversation)
                except Exception as e:  # a signal is best effort, never the customer's problem
                    extra = {"cid": conversation.id, "error": repr(e)}
                    log.warning("signals.typing_failed", extra=extra)
