"""The delivery worker: owns outbox lanes under leases and feeds their entries, in order, to
the agent channels, retrying with back-off and reporting what finally fails.

Every process runs one. Lanes are shared out by leases in Redis (a fair share each, by the
count of live processes), so a conversation's entries are delivered by one process at a time
and in order. A process that dies loses its leases within `LaneSettings.lease_ms`; the next
owner takes its pending entries over (XAUTOCLAIM) and delivers them.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from bridge.delivery.executor import Executor
from bridge.delivery.policy import LaneSettings, RetryPolicy
from bridge.domain.events import DoorbellEvent, EventKind
from bridge.domain.model import SYSTEM
from bridge.domain.states import Action
from bridge.lifecycle import stop_task
from bridge.ports import AgentChannel, Clock, DeliveryFailed, RetryLater
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import event_json, to_ms
from bridge.store.outbox import OutboxEntry
from bridge.store.scripts import EventSpec

log = logging.getLogger("ponte.delivery")

Sleep = Callable[[float], Awaitable[None]]


class DeliveryObserver:
    """What the worker reports (metrics); the default does nothing."""

    def delivered(self, kind: str) -> None: ...
    def retried(self, kind: str) -> None: ...
    def failed(self, kind: str) -> None: ...


@dataclass(eq=False)
class _Lane:
    kind: str
    number: int
    channel: AgentChannel
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    stopping: bool = False
    task: asyncio.Task[None] | None = None

    @property
    def lease(self) -> str:
        return f"lane:{self.kind}:{self.number}"


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        directory: Directory,
        clock: Clock,
        channels: Sequence[AgentChannel],
        *,
        policy: RetryPolicy | None = None,
        lanes: LaneSettings | None = None,
        node: str | None = None,
        sleep: Sleep = asyncio.sleep,
        observer: DeliveryObserver | None = None,
    ) -> None:
        self._store, self._clock = store, clock
        self._executor = Executor(store, directory, clock)
        self._channels = {c.kind.value: c for c in channels if c.kind.value in store.kinds}
        self._policy, self._settings = policy or RetryPolicy(), lanes or LaneSettings()
        self.node = node or f"node-{secrets.token_hex(4)}"
        self._sleep, self._observer = sleep, observer or DeliveryObserver()
        self._owned: dict[tuple[str, int], _Lane] = {}
        self._manager: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def owned_lanes(self) -> list[tuple[str, int]]:
        return sorted(self._owned)

    def wake(self, event: DoorbellEvent) -> None:
        """Doorbell listener: a conversation has new entries; wake its lanes if they are ours."""
        number = self._store.keys.lane(event.conversation_id)
        for kind in self._channels:
            lane = self._owned.get((kind, number))
            if lane is not None:
                lane.wake.set()

    # -- lifespan ----------------------------------------------------------------------------

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        if self._channels:
            await self._rebalance()
            self._manager = asyncio.create_task(self._manage(), name="delivery-lanes")
        try:
            yield
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Finish the entries in hand, give up every lane and leave the live-process set."""
        self._stopping.set()
        if self._manager is not None:
            await stop_task(self._manager, grace=self._settings.renew_every + 5.0)
            self._manager = None
        await asyncio.gather(*(self._release(lane) for lane in list(self._owned.values())))
        with suppress(RedisError, OSError):
            await self._store.guards.leave(self.node)
        log.info("delivery.stopped", extra={"node": self.node})

    async def _manage(self) -> None:
        while not self._stopping.is_set():
            with suppress(TimeoutError):
                async with asyncio.timeout(self._settings.renew_every):
                    await self._stopping.wait()
            if self._stopping.is_set():
                return
            try:
                await self._rebalance()
            except (RedisError, OSError) as e:
                log.warning("delivery.lease_error", extra={"error": str(e)})

    async def _rebalance(self) -> None:
        now = to_ms(self._clock.now())
        alive = await self._store.guards.heartbeat(
            self.node, now, now - self._settings.heartbeat_ms
        )
        total = self._store.keys.lanes
        share = math.ceil(total / max(1, alive))
        for kind, channel in self._channels.items():
            await self._renew(kind)
            mine = [lane for (k, _), lane in self._owned.items() if k == kind]
            for lane in mine[share:]:
                await self._release(lane)
            await self._acquire(kind, channel, share - min(len(mine), share))

    async def _renew(self, kind: str) -> None:
        ttl = self._settings.lease_ms
        for lane in [lane for (k, _), lane in self._owned.items() if k == kind]:
            if not await self._store.guards.hold_lease(lane.lease, self.node, ttl):
                log.warning("delivery.lease_lost", extra={"lane": lane.lease})
                await self._release(lane, lease_lost=True)

    async def _acquire(self, kind: str, channel: AgentChannel, wanted: int) -> None:
        free = [n for n in range(self._store.keys.lanes) if (kind, n) not in self._owned]
        random.shuffle(free)  # processes starting together spread over different lanes
        for number in free:
            if wanted <= 0:
                return
            lane = _Lane(kind, number, channel)
            if await self._store.guards.hold_lease(lane.lease, self.node, self._settings.lease_ms):
                self._owned[(kind, number)] = lane
                lane.task = asyncio.create_task(self._run_lane(lane), name=lane.lease)
                wanted -= 1

    async def _release(self, lane: _Lane, *, lease_lost: bool = False) -> None:
        """Stop a lane after the entry in hand (bounded wait), then give its lease back."""
        lane.stopping = True
        lane.wake.set()
        if lane.task is not None:
            await stop_task(lane.task, grace=5.0)
        self._owned.pop((lane.kind, lane.number), None)
        if not lease_lost:
            with suppress(RedisError, OSError):
                await self._store.guards.release_lease(lane.lease, self.node)

    # -- one lane ------------------------------------------------------------------------------

    async def _run_lane(self, lane: _Lane) -> None:
        outbox = self._store.outbox
        try:
            await outbox.ensure_group(lane.kind, lane.number)
            await outbox.take_over(lane.kind, lane.number, self.node)
        except (RedisError, OSError) as e:
            log.warning("delivery.lane_start_failed", extra={"lane": lane.lease, "error": str(e)})
        while not lane.stopping:
            try:
                lane.wake.clear()
                entries = await outbox.read(lane.kind, lane.number, self.node, self._settings.batch)
            except (RedisError, OSError) as e:
                log.warning("delivery.read_failed", extra={"lane": lane.lease, "error": str(e)})
                await asyncio.sleep(1.0)
                continue
            if not entries:
                with suppress(TimeoutError):
                    async with asyncio.timeout(self._settings.idle_wait):
                        await lane.wake.wait()
                continue
            for entry in entries:
                if lane.stopping:
                    return
                await self.deliver(entry, lane.channel)

    async def deliver(self, entry: OutboxEntry, channel: AgentChannel) -> None:
        """Deliver one entry: retried until done, dead-lettered and reported when it cannot be."""
        attempt = 0
        while True:
            try:
                await self._executor.run(entry, channel)
                await self._store.outbox.done(entry)
                self._observer.delivered(entry.kind)
                return
            except RetryLater as e:
                # The vendor's own rate limit: wait as asked; this is not a failed attempt.
                self._observer.retried(entry.kind)
                await self._sleep(self._policy.retry_after(e.seconds))
            except DeliveryFailed as e:
                await self._fail(entry, str(e) or type(e).__name__)
                return
            except Exception as e:  # the boundary of one delivery: retried, then reported
                attempt += 1
                extra = {"cid": entry.conversation_id, "attempt": attempt, "error": repr(e)}
                log.warning("delivery.retry", extra=extra)
                if attempt >= self._policy.max_attempts:
                    await self._fail(entry, repr(e))
                    return
                self._observer.retried(entry.kind)
                await self._sleep(self._policy.delay(attempt))

    async def _fail(self, entry: OutboxEntry, reason: str) -> None:
        extra = {"cid": entry.conversation_id, "kind": entry.kind, "reason": reason}
        log.error("delivery.failed", extra=extra)
        await self._store.outbox.dead_letter(entry, reason)
        self._observer.failed(entry.kind)
        if entry.conversation_id[:1] in ("@", "#") or entry.event.data.get("delivery_failed"):
            return  # an internal chat message, or a failure notice itself: logged, counted
        await self._report(entry, reason)

    async def _report(self, entry: OutboxEntry, reason: str) -> None:
        """Tell the conversation (the customer too, when it was their message)."""
        item = entry.event
        mine = item.kind is EventKind.MESSAGE and item.actor.author.value == "customer"
        data = {
            "delivery_failed": item.id,
            "channel": entry.kind,
            "reason": reason[:200],
            "internal": "" if mine else "1",
        }
        now = self._clock.now()
        spec = EventSpec(
            event_json(EventKind.MESSAGE, now, SYSTEM, data=data), EventKind.MESSAGE, "post:*"
        )
        try:
            await self._store.conversations.append(
                entry.conversation_id, Action.SYSTEM_NOTICE, [spec], to_ms(now)
            )
        except Exception:  # the entry is dead-lettered and logged; the notice is best effort
            log.exception("delivery.report_failed", extra={"cid": entry.conversation_id})

    # -- tests and tools -----------------------------------------------------------------------

    async def run_until_idle(self) -> int:
        """Deliver everything pending on every lane, in this task, then return the count.
        For tests and tools: the worker must not be running its own lanes at the same time."""
        if self._manager is not None:
            raise RuntimeError("run_until_idle() is for a worker that is not running")
        lanes = await self._hold_all()
        delivered = 0
        while True:
            batch = 0
            for lane in lanes:
                for entry in await self._store.outbox.read(lane.kind, lane.number, self.node, 100):
                    await self.deliver(entry, lane.channel)
                    batch += 1
            if not batch:
                return delivered
            delivered += batch

    async def _hold_all(self) -> list[_Lane]:
        held = []
        for kind, channel in self._channels.items():
            for number in range(self._store.keys.lanes):
                lane = _Lane(kind, number, channel)
                if await self._store.guards.hold_lease(
                    lane.lease, self.node, self._settings.lease_ms
                ):
                    await self._store.outbox.ensure_group(kind, number)
                    await self._store.outbox.take_over(kind, number, self.node)
                    held.append(lane)
        return held
