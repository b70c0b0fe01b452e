"""Where updates go: the getUpdates queue (long poll, offset confirmation, the two 409s of
PROTOCOLS B5) or the webhook (B4), and the methods that switch between them."""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from tests.emulators.telegram_state import now
from tests.emulators.telegram_webhook import WebhookPusher, WebhookRetryPolicy, WebhookTarget
from tests.emulators.telegram_wire import ApiError, Handler, JsonDict, Params, bad_request

POLL_TIMEOUT_LIMIT = 50.0
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED_BY_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
TERMINATED_BY_WEBHOOK = "Conflict: terminated by setWebhook request"
SECRET_CHARS = re.compile(r"[A-Za-z0-9_-]+")
SECRET_LIMIT = 256


@dataclass(slots=True)
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None

    def target(self) -> WebhookTarget:
        return WebhookTarget(self.url, self.secret_token, self.max_connections)


class UpdateHub:
    def __init__(self, policy: WebhookRetryPolicy) -> None:
        self._next_id = 1000
        self._history: dict[int, tuple[int, JsonDict]] = {}
        self._queue: list[JsonDict] = []
        self._allowed: frozenset[str] = frozenset()
        self._changed = asyncio.Condition()
        self._tickets = 0
        self._active_poll: int | None = None
        self._terminated: dict[int, str] = {}
        self._closed = False
        self.webhook: Webhook | None = None
        self.pusher = WebhookPusher(policy, self._target, self._requeue, self._failed)

    def routes(self) -> dict[str, Handler]:
        return {
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
        }

    async def start(self) -> None:
        await self.pusher.start()

    async def close(self) -> None:
        self._closed = True
        await self._notify()
        await self.pusher.close()

    # --- producing updates ----------------------------------------------------------------

    async def publish(self, chat_key: int, body: JsonDict) -> JsonDict:
        """Give the body an update_id and send it wherever updates currently go."""
        update = {"update_id": self._next_id} | body
        self._next_id += 1
        self._history[update["update_id"]] = (chat_key, update)
        if self._allows(update):
            await self._route(chat_key, update)
        return copy.deepcopy(update)

    async def redeliver(self, update_id: int) -> None:
        if update_id not in self._history:
            raise LookupError(f"no update {update_id} was published")
        chat_key, update = self._history[update_id]
        await self._route(chat_key, update)

    async def wait_for_poller(self, seconds: float) -> None:
        async with self._changed, asyncio.timeout(seconds):
            await self._changed.wait_for(lambda: self._active_poll is not None)

    def _allows(self, update: JsonDict) -> bool:
        kind = next(key for key in update if key != "update_id")
        return kind in self._allowed if self._allowed else kind not in DEFAULT_EXCLUDED

    async def _route(self, chat_key: int, update: JsonDict) -> None:
        if self.webhook is not None:
            self.pusher.push(chat_key, update)
        else:
            self._queue.append(update)
            await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _target(self) -> WebhookTarget | None:
        return None if self.webhook is None else self.webhook.target()

    async def _requeue(self, update: JsonDict) -> None:
        self._queue.append(update)
        self._queue.sort(key=lambda queued: int(queued["update_id"]))
        await self._notify()

    def _failed(self, message: str) -> None:
        if self.webhook is not None:
            self.webhook.last_error_date = now()
            self.webhook.last_error_message = message

    # --- getUpdates -----------------------------------------------------------------------

    async def get_updates(self, params: Params) -> list[JsonDict]:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        self._set_allowed(params)
        limit = min(max(params.integer("limit") or 100, 1), 100)
        seconds = min(max(params.number("timeout", 0.0), 0.0), POLL_TIMEOUT_LIMIT)
        ticket = await self._take_lease()
        self._confirm(params.integer("offset") or 0)
        try:
            await self._wait(lambda: bool(self._queue) or ticket in self._terminated, seconds)
        finally:
            if self._active_poll == ticket:
                self._active_poll = None
        reason = self._terminated.pop(ticket, None)
        if reason is not None:
            raise ApiError(409, reason)
        return copy.deepcopy(self._queue[:limit])

    async def _take_lease(self) -> int:
        """Start a poll; a poll still waiting ends with a 409, as on the real server."""
        await self._terminate_poll(TERMINATED_BY_POLL)
        self._tickets += 1
        self._active_poll = self._tickets
        await self._notify()
        return self._tickets

    async def _terminate_poll(self, reason: str) -> None:
        if self._active_poll is not None:
            self._terminated[self._active_poll] = reason
            self._active_poll = None
            await self._notify()

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._queue = [update for update in self._queue if update["update_id"] >= offset]
        elif offset < 0:
            self._queue = self._queue[offset:]

    async def _wait(self, ready: Callable[[], bool], seconds: float) -> None:
        async with self._changed:
            with suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self._changed.wait_for(lambda: ready() or self._closed)

    def _set_allowed(self, params: Params) -> None:
        """allowed_updates: omitted keeps the previous list; [] means the default set."""
        allowed = params.json("allowed_updates")
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed updates JSON array")
        self._allowed = frozenset(allowed)

    # --- webhook methods ------------------------------------------------------------------

    async def set_webhook(self, params: Params) -> bool:
        url = params.text("url") or ""
        secret = params.text("secret_token") or None
        _check_secret(secret)
        max_connections = params.integer("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("max_connections must be between 1 and 100")
        if url and not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTP(S) URL must be provided for webhook")
        self._set_allowed(params)
        if params.flag("drop_pending_updates"):
            await self._drop_pending()
        if not url:
            self.webhook = None
            return True
        self.webhook = Webhook(url, secret, max_connections)
        self.pusher.resize(max_connections)
        await self._terminate_poll(TERMINATED_BY_WEBHOOK)
        self._flush_queue()
        return True

    async def delete_webhook(self, params: Params) -> bool:
        self.webhook = None
        if params.flag("drop_pending_updates"):
            await self._drop_pending()
        return True

    async def get_webhook_info(self, params: Params) -> JsonDict:
        webhook = self.webhook
        if webhook is None:
            return {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._queue),
            }
        info: JsonDict = {
            "url": webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": self.pusher.pending,
            "max_connections": webhook.max_connections,
        }
        if self._allowed:
            info["allowed_updates"] = sorted(self._allowed)
        if webhook.last_error_date is not None:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
        return info

    async def _drop_pending(self) -> None:
        self._queue.clear()
        await self.pusher.drop_waiting()

    def _flush_queue(self) -> None:
        for update in self._queue:
            self.pusher.push(self._history[update["update_id"]][0], update)
        self._queue.clear()


def _check_secret(secret: str | None) -> None:
    if secret is None:
        return
    if len(secret) > SECRET_LIMIT:
        raise bad_request("secret token is too long")
    if not SECRET_CHARS.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
