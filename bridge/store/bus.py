"""The doorbell reader: every process tails the shared events stream and fans entries out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bridge.domain.events import DoorbellEvent
from bridge.domain.ids import ConversationId, EventId
from bridge.lifecycle import stop_task
from bridge.store import replies
from bridge.store.keys import Keys

log = logging.getLogger("ponte.events")

Listener = Callable[[DoorbellEvent], None]


class EventReader:
    """Reads the doorbell with a blocking XREAD and calls each listener for every entry.

    Listeners must not block: they set events or put on bounded queues. An entry missed while
    disconnected costs latency only: sessions resume from their own last log id.
    """

    def __init__(self, redis: Redis, keys: Keys, *, block_ms: int = 5000) -> None:
        self._redis, self._keys, self._block_ms = redis, keys, block_ms
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        self._task = asyncio.create_task(self._run(), name="event-reader")
        try:
            await self._started.wait()
            yield
        finally:
            await stop_task(self._task)
            log.info("events.stopped")

    async def _run(self) -> None:
        last = await self._tail_id()
        self._started.set()
        delay = 0.1
        while True:
            try:
                last = await self._read_once(last)
                delay = 0.1
            except (RedisConnectionError, RedisTimeoutError, OSError) as e:
                log.warning("events.disconnected", extra={"error": str(e)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _tail_id(self) -> str:
        try:
            rows = await self._redis.xrevrange(self._keys.doorbell(), count=1)
        except (RedisConnectionError, RedisTimeoutError, OSError):
            return "$"
        return replies.text(rows[0][0]) if rows else "0-0"

    async def _read_once(self, last: str) -> str:
        key = self._keys.doorbell()
        reply = await self._redis.xread({key: last}, block=self._block_ms, count=500)
        for stream in reply or ():
            for entry_id, fields in replies.rows(stream[1]):
                last = entry_id
                self._dispatch(_event(entry_id, fields))
        return last

    def _dispatch(self, event: DoorbellEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not stop the doorbell for the others
                log.exception("events.listener_failed", extra={"cid": event.conversation_id})


def _event(entry_id: str, fields: dict[str, str]) -> DoorbellEvent:
    return DoorbellEvent(
        ConversationId(fields.get("c", "")),
        EventId(fields.get("i", "")),
        fields.get("k", ""),
        entry_id,
        fields.get("v", ""),
    )
