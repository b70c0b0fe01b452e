"""How updates come in, and where they go: every update, from the webhook or from getUpdates,
is stored in the durable job queue first (deduplicated on update_id, so a redelivery acts
once) and acted on from there by the job runner, in arrival order (the Router).

Webhook: POST /telegram/webhook, accepted only with the configured secret token (compared in
constant time), answered as soon as the update is stored.

Polling: one process at a time holds the poller lease and long-polls getUpdates; the offset
is kept in Redis and advanced only after the updates are stored. When the holder dies, its
lease expires and another process takes over within about poll_lease_ms."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict, TelegramError

from bridge.core import Core
from bridge.settings import TelegramSettings
from channels.telegram.callbacks import Callbacks
from channels.telegram.messages import Messages

log = logging.getLogger("ponte.telegram")

QUEUE = "telegram"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LEASE = "telegram:poller"
OFFSET = "tg:offset"
FAILURE_WAIT = 3.0  # after a failed poll; Telegram also delays repeated 409s by ~3 s (B5)


class Router:
    """One stored update -> its handler. Errors propagate to the job runner, which retries the
    job and sets it aside when it keeps failing."""

    def __init__(self, bot: Bot, messages: Messages, callbacks: Callbacks) -> None:
        self._bot, self._messages, self._callbacks = bot, messages, callbacks

    async def handle(self, payload: dict[str, Any]) -> None:
        update = Update.de_json(payload, self._bot)
        if update.callback_query is not None:
            await self._callbacks.handle(update.callback_query)
        elif update.edited_message is not None:
            await self._messages.edited(update.edited_message)
        elif update.message is not None:
            await self._messages.received(update.message)
        # Nothing else is subscribed to (ALLOWED_UPDATES); anything else is ignored.


class Webhook:
    def __init__(self, core: Core, secret: str) -> None:
        self._core, self._secret = core, secret.encode()

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        update_id = body.get("update_id") if isinstance(body, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return web.Response(status=400, text="no update_id")
        # Stored before the 200: a failure here is a 5xx, and Telegram sends the update again.
        await self._core.jobs.put(QUEUE, body, dedupe=str(update_id))
        return web.Response(text="ok")


class Poller:
    def __init__(self, bot: Bot, core: Core, settings: TelegramSettings, owner: str) -> None:
        self._bot, self._core, self._owner = bot, core, owner
        self._ttl = settings.poll_lease_ms
        self._every = settings.poll_lease_ms / 3000  # renew, or try to take over, this often
        self._timeout = settings.poll_timeout
        self._call_timeout = settings.call_timeout
        self._task: asyncio.Task[None] | None = None
        self.leading = asyncio.Event()  # set while this process polls (for tests and health)

    @asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        self._task = asyncio.create_task(self._run(), name="telegram-poller")
        try:
            yield
        finally:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            await self._release()

    async def _release(self) -> None:
        """Give the lease back so another process takes over at once, not after it expires.
        Best effort at shutdown: when Redis does not answer, the lease simply expires."""
        try:
            await self._core.links.release_lease(LEASE, self._owner)
        except Exception as e:  # shutdown boundary: logged, the lease expires on its own
            log.warning("telegram.poller_release_failed", extra={"error": repr(e)})

    async def _run(self) -> None:
        links = self._core.links
        while True:
            try:
                if await links.hold_lease(LEASE, self._owner, self._ttl):
                    await self._lead()
            except asyncio.CancelledError:
                raise
            except Exception:  # the poller's boundary: logged, and tried again shortly
                log.exception("telegram.poller_failed")
            await asyncio.sleep(self._every)

    async def _lead(self) -> None:
        """Poll while the lease is ours, renewing it alongside the long poll."""
        log.info("telegram.poller_leading", extra={"owner": self._owner})
        self.leading.set()
        poll = asyncio.create_task(self._poll(), name="telegram-getupdates")
        try:
            while True:
                done, _ = await asyncio.wait({poll}, timeout=self._every)
                if done:
                    poll.result()  # _poll returns only by raising
                    return
                if not await self._core.links.hold_lease(LEASE, self._owner, self._ttl):
                    log.warning("telegram.poller_lease_lost", extra={"owner": self._owner})
                    return
        finally:
            self.leading.clear()
            poll.cancel()
            with suppress(asyncio.CancelledError):
                await poll

    async def _poll(self) -> None:
        stored = await self._core.links.get_value(OFFSET)
        offset = int(stored) if stored else 0
        while True:
            try:
                async with asyncio.timeout(self._timeout + self._call_timeout + 5):
                    updates = await self._bot.get_updates(
                        offset=offset or None,
                        timeout=self._timeout,
                        allowed_updates=ALLOWED_UPDATES,
                    )
            except Conflict as e:  # a webhook is set, or another bot instance polls
                log.warning("telegram.poll_conflict", extra={"error": e.message})
                await asyncio.sleep(FAILURE_WAIT)
                continue
            except (TelegramError, TimeoutError) as e:
                log.warning("telegram.poll_failed", extra={"error": repr(e)})
                await asyncio.sleep(FAILURE_WAIT)
                continue
            offset = await self._keep(updates, offset)

    async def _keep(self, updates: Sequence[Update], offset: int) -> int:
        """Store the updates, then the next offset; the next getUpdates confirms them."""
        for update in updates:
            await self._core.jobs.put(QUEUE, update.to_dict(), dedupe=str(update.update_id))
            offset = max(offset, update.update_id + 1)
        if updates:
            await self._core.links.set_value(OFFSET, str(offset))
        return offset
