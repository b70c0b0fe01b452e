"""The thin typed door adapters use onto their own Redis structures: thread mapping, inbound
dedupe, leases, shared rate buckets and small values."""

from __future__ import annotations

from collections import OrderedDict

from bridge.domain.ids import ConversationId, EventId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ThreadRef, thread_key
from bridge.ports import Clock
from bridge.store import Store
from bridge.store.codec import to_ms

CACHE_SIZE = 10_000


class Links:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store, self._clock = store, clock
        # thread -> conversation never changes once written, so caching it is safe; it keeps an
        # agent's message to two round trips (conversation read, reply script).
        self._threads: OrderedDict[tuple[str, str], ConversationId] = OrderedDict()

    async def conversation_for_thread(
        self, kind: ChannelKind, thread: str
    ) -> ConversationId | None:
        """The conversation living in a thread: `thread` is "space/thread" (a Slack channel and
        root ts, a Telegram chat and topic id) or a full encoded ThreadRef."""
        cache_key = (kind.value, thread_key(thread))
        if cache_key in self._threads:
            self._threads.move_to_end(cache_key)
            return self._threads[cache_key]
        found = await self._store.threads.find(kind.value, cache_key[1])
        if found is not None:
            self._threads[cache_key] = found
            if len(self._threads) > CACHE_SIZE:
                self._threads.popitem(last=False)
        return found

    async def map_thread(self, cid: ConversationId, thread: ThreadRef) -> None:
        """Let replies written in `thread` find the conversation at once, before open_thread
        returns (an adapter posting a transcript after the root). Only the thread -> conversation
        direction: the conversation's own threads are recorded by the delivery worker when the
        whole open step is done, so a retry still finishes it."""
        await self._store.threads.set_reverse(thread.kind.value, cid, thread.encode())

    async def message_for(
        self, kind: ChannelKind, ref_key: str
    ) -> tuple[ConversationId, EventId] | None:
        return await self._store.threads.find_message(kind.value, ref_key)

    async def threads_of(self, kind: ChannelKind, cid: ConversationId) -> dict[str, str]:
        return await self._store.threads.all(kind.value, cid)

    async def first_time(self, kind: ChannelKind, key: str, ttl_seconds: int = 24 * 3600) -> bool:
        """Inbound dedupe (Slack event_id, Telegram update_id): True only the first time."""
        return await self._store.guards.first_time(f"in:{kind.value}", key, ttl_seconds)

    async def hold_lease(self, name: str, owner: str, ttl_ms: int) -> bool:
        return await self._store.guards.hold_lease(name, owner, ttl_ms)

    async def release_lease(self, name: str, owner: str) -> None:
        await self._store.guards.release_lease(name, owner)

    async def throttle(self, name: str, per_second: float, burst: float) -> float:
        """Take a token from a bucket shared by all processes; returns seconds to wait first."""
        return await self._store.guards.take_token(
            name, per_second, burst, to_ms(self._clock.now())
        )

    async def allow(self, name: str, limit: int, window_seconds: int) -> bool:
        """A rate limit shared by every process: False once `limit` uses fill the window."""
        return await self._store.guards.hit(name, limit, window_seconds)

    async def shared_secret(self, name: str) -> str:
        """A random secret made once and shared by every process (e.g. to sign visitor ids)."""
        return await self._store.guards.shared_secret(name)

    async def delete_value(self, name: str) -> None:
        await self._store.guards.delete_value(name)

    async def get_value(self, name: str) -> str | None:
        return await self._store.guards.get_value(name)

    async def set_value(self, name: str, value: str, ttl_seconds: int | None = None) -> None:
        await self._store.guards.set_value(name, value, ttl_seconds)
