"""GET /metrics in the Prometheus text format. One registry per application, no globals."""

from __future__ import annotations

import logging
from datetime import datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from redis.exceptions import RedisError

from bridge.delivery.worker import DeliveryObserver
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store

log = logging.getLogger("ponte.metrics")


TIME_BUCKETS = (10, 30, 60, 120, 300, 600, 1800, 3600, 7200)


class Metrics(DeliveryObserver):
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock
        self.registry = r = CollectorRegistry()
        self.conversations = Gauge(
            "ponte_conversations", "Conversations by state", ["state"], registry=r
        )
        self.queue_length = Gauge(
            "ponte_queue_length", "Conversations waiting per department", ["department"], registry=r
        )
        self.oldest_wait = Gauge(
            "ponte_queue_oldest_wait_seconds",
            "Wait of the oldest queued conversation",
            ["department"],
            registry=r,
        )
        self.messages = Counter(
            "ponte_messages",
            "Messages in (from customers and agents) and out, per channel",
            ["channel", "direction"],
            registry=r,
        )
        self.deliveries = Counter(
            "ponte_deliveries",
            "Outbox deliveries to agent channels by outcome",
            ["channel", "outcome"],
            registry=r,
        )
        self.backlog = Gauge(
            "ponte_delivery_backlog", "Outbox entries not yet delivered", ["channel"], registry=r
        )
        self.wait = Histogram(
            "ponte_wait_seconds",
            "Time in the queue until an agent took the conversation",
            ["department"],
            buckets=TIME_BUCKETS,
            registry=r,
        )
        self.first_response_time = Histogram(
            "ponte_first_response_seconds",
            "Time from the queue to the agent's first reply",
            ["department"],
            buckets=TIME_BUCKETS,
            registry=r,
        )
        self.closes = Counter(
            "ponte_conversations_closed",
            "Closed conversations by department and close reason",
            ["department", "reason"],
            registry=r,
        )
        self.dead = Gauge(
            "ponte_delivery_dead_letters",
            "Deliveries that finally failed (kept for operators)",
            ["channel"],
            registry=r,
        )

    # DeliveryObserver
    def delivered(self, kind: str) -> None:
        self.deliveries.labels(kind, "delivered").inc()
        self.messages.labels(kind, "out").inc()

    def retried(self, kind: str) -> None:
        self.deliveries.labels(kind, "retried").inc()

    def failed(self, kind: str) -> None:
        self.deliveries.labels(kind, "failed").inc()

    # Observer (the core reports these once, in the process that acted)
    def waited(self, department: str, seconds: float) -> None:
        self.wait.labels(department).observe(seconds)

    def first_response(self, department: str, seconds: float) -> None:
        self.first_response_time.labels(department).observe(seconds)

    def closed(self, department: str, reason: str) -> None:
        self.closes.labels(department, reason or "none").inc()

    def message_in(self, kind: str) -> None:
        self.messages.labels(kind, "in").inc()

    async def refresh(self) -> None:
        """Read the shared state from Redis into the gauges (every process reports the same)."""
        automatic, in_service, closed = await self._store.indexes.counts()
        counts = await self._store.indexes.queue_counts(self._directory.department_ids)
        now = self._clock.now()
        self.conversations.labels("automatic").set(automatic)
        self.conversations.labels("queued").set(sum(n for n, _ in counts.values()))
        self.conversations.labels("in_service").set(in_service)
        self.conversations.labels("closed").set(closed)
        for dept, (waiting, oldest) in counts.items():
            self.queue_length.labels(dept).set(waiting)
            self.oldest_wait.labels(dept).set(_age(now, oldest))
        for kind in self._store.kinds:
            lanes = self._store.keys.lanes
            self.backlog.labels(kind).set(await self._store.outbox.backlog(kind, lanes))
            self.dead.labels(kind).set(await self._store.outbox.dead_count(kind))

    def routes(self) -> list[web.RouteDef]:
        async def metrics(request: web.Request) -> web.Response:
            try:
                await self.refresh()
            except (RedisError, OSError) as e:
                log.warning("metrics.redis_down", extra={"error": str(e)})
                return web.Response(status=503, text="redis unavailable\n")
            body = generate_latest(self.registry)
            return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

        return [web.get("/metrics", metrics)]


def _age(now: datetime, oldest_ms: int | None) -> float:
    if oldest_ms is None:
        return 0.0
    return max(0.0, now.timestamp() - oldest_ms / 1000)
