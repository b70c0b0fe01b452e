"""Webhook delivery as the Bot API server does it (WebhookActor.cpp, PROTOCOLS B4): POST one
Update as JSON with X-Telegram-Bot-Api-Secret-Token; a chat's updates go one at a time, the next
only after a 2xx; different chats in parallel up to max_connections; non-2xx is retried with
a doubling delay (short here, so tests stay fast) or the Retry-After the receiver asked for."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field

import aiohttp
from multidict import CIMultiDictProxy

from tests.emulators.telegram_wire import JsonDict

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class WebhookRetryPolicy:
    initial_delay: float = 0.05
    max_delay: float = 1.0
    max_attempts: int = 5
    request_timeout: float = 10.0

    def delay(self, attempt: int) -> float:
        return float(min(self.initial_delay * 2 ** (attempt - 1), self.max_delay))


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One POST attempt. status is the HTTP status, or 0 when no response arrived."""

    update_id: int
    status: int
    attempt: int = 1
    error: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    url: str
    secret_token: str | None
    max_connections: int = 40

    def headers(self) -> dict[str, str]:
        return {SECRET_HEADER: self.secret_token} if self.secret_token else {}


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: int
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(slots=True)
class _Lane:
    updates: deque[JsonDict] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None


class WebhookPusher:
    def __init__(
        self,
        policy: WebhookRetryPolicy,
        target: Callable[[], WebhookTarget | None],
        undeliverable: Callable[[JsonDict], Awaitable[None]],
        failed: Callable[[str], None],
    ) -> None:
        self._policy = policy
        self._target = target
        self._undeliverable = undeliverable
        self._failed = failed
        self._lanes: dict[int, _Lane] = {}
        self._pending = 0
        self._idle = asyncio.Condition()
        self._slots = asyncio.Semaphore(40)
        self._session: aiohttp.ClientSession | None = None
        self.deliveries: list[WebhookDelivery] = []

    @property
    def pending(self) -> int:
        return self._pending

    async def start(self) -> None:
        # trust_env=False: a proxy from the environment must not swallow local pushes
        self._session = aiohttp.ClientSession(trust_env=False)

    async def close(self) -> None:
        workers = [lane.worker for lane in self._lanes.values() if lane.worker is not None]
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with suppress(asyncio.CancelledError):
                await worker
        self._lanes.clear()
        if self._session is not None:
            await self._session.close()

    def resize(self, max_connections: int) -> None:
        self._slots = asyncio.Semaphore(max_connections)

    def push(self, chat_key: int, update: JsonDict) -> None:
        lane = self._lanes.setdefault(chat_key, _Lane())
        lane.updates.append(update)
        self._pending += 1
        if lane.worker is None:
            lane.worker = asyncio.create_task(
                self._run_lane(chat_key, lane), name=f"telegram-webhook-lane-{chat_key}"
            )

    async def drop_waiting(self) -> None:
        """drop_pending_updates: forget queued updates, except each lane's one in flight."""
        for lane in self._lanes.values():
            while len(lane.updates) > 1:
                lane.updates.pop()
                self._pending -= 1
        async with self._idle:
            self._idle.notify_all()

    async def drain(self) -> None:
        async with self._idle:
            await self._idle.wait_for(lambda: self._pending == 0)

    async def _run_lane(self, chat_key: int, lane: _Lane) -> None:
        try:
            while lane.updates:
                await self._deliver(lane.updates[0])
                lane.updates.popleft()
                self._pending -= 1
                async with self._idle:
                    self._idle.notify_all()
        finally:
            lane.worker = None
            if not lane.updates and self._lanes.get(chat_key) is lane:
                del self._lanes[chat_key]

    async def _deliver(self, update: JsonDict) -> None:
        for attempt in range(1, self._policy.max_attempts + 1):
            target = self._target()
            if target is None:
                await self._undeliverable(update)
                return
            outcome = await self._attempt(target, update)
            self.deliveries.append(
                WebhookDelivery(update["update_id"], outcome.status, attempt, outcome.error)
            )
            if outcome.ok:
                return
            self._failed(outcome.error or f"Wrong response from the webhook: {outcome.status}")
            if attempt < self._policy.max_attempts:
                wait = outcome.retry_after
                await asyncio.sleep(self._policy.delay(attempt) if wait is None else wait)

    async def _attempt(self, target: WebhookTarget, update: JsonDict) -> _Outcome:
        if self._session is None:
            raise RuntimeError("webhook pusher used before start()")
        try:
            async with self._slots, asyncio.timeout(self._policy.request_timeout):
                post = self._session.post(target.url, json=update, headers=target.headers())
                async with post as response:
                    await response.read()
                    return _outcome(response.status, response.reason, response.headers)
        except (aiohttp.ClientError, TimeoutError) as error:
            return _Outcome(0, error=f"Connection failed: {error or type(error).__name__}")


def _outcome(status: int, reason: str | None, headers: CIMultiDictProxy[str]) -> _Outcome:
    if 200 <= status < 300:
        return _Outcome(status)
    return _Outcome(
        status,
        retry_after=_retry_after(headers.get("Retry-After")),
        error=f"Wrong response from the webhook: {status} {reason or ''}".rstrip(),
    )


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
