"""A delivery worker in its own process, for the crash tests: `python -m
tests.helpers.worker_process REDIS_URL PREFIX`. Its channel records every call in Redis
(list <prefix>test:calls) and, on an item whose text is HANG, signals <prefix>test:signal and
hangs mid-call, the way a process dies in the middle of a Slack call."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from redis.asyncio import Redis

from bridge.core import Core
from bridge.delivery.policy import LaneSettings
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard
from bridge.ports import SystemClock
from bridge.settings.directory import Directory
from bridge.store import Store
from tests.settings_factory import make_settings


class RedisRecordingChannel:
    kind = ChannelKind.SLACK

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis, self._prefix = redis, prefix

    async def _record(self, text: str) -> None:
        await self._redis.rpush(f"{self._prefix}test:calls", text)

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        await self._record(f"open:{card.conversation.id}")
        return ThreadRef(self.kind, "C0SUPORTE", card.conversation.id)

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        await self._record("card")

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        if item.text == "HANG":
            await self._redis.rpush(f"{self._prefix}test:signal", "hanging")
            await asyncio.Event().wait()  # never returns: the test kills this process here
        await self._record(f"post:{item.text}")
        return ExternalRef(self.kind, thread.space, item.id)

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        await self._record("mark")

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        await self._record("edit")

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        await self._record("close")

    async def alert(
        self,
        key: str,
        item: TimelineItem,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
    ) -> None:
        await self._record("alert")

    async def notify_agent(
        self, key: str, agent: AgentId, text: str, *, sender: AgentId | None = None
    ) -> None:
        await self._record("notify")


async def main(url: str, prefix: str) -> None:
    settings = make_settings(prefix)
    redis = Redis.from_url(url, decode_responses=True)
    store = Store(redis, redis, settings.redis, Directory(settings).routes())
    clock = SystemClock()
    core = Core.build(store, settings, clock)
    lanes = LaneSettings(lease_ms=600, renew_every=0.1, idle_wait=0.2)
    channel = RedisRecordingChannel(redis, prefix)
    worker = DeliveryWorker(store, core.directory, clock, [channel], lanes=lanes)
    async with worker.lifespan():
        await redis.rpush(f"{prefix}test:signal", "started")
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
