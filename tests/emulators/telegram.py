"""A Telegram Bot API emulator: a real aiohttp server on 127.0.0.1 speaking the Bot API wire
format, so the real python-telegram-bot client can be pointed at it with
`Bot(token, base_url=emu.base_url, base_file_url=emu.base_file_url)`.

Tests arrange the world (users, forum supergroups, files), make users act (messages, edits,
button presses become Updates, pushed to the webhook or queued for getUpdates), inject failures
and read back what the bot did: recorded calls, messages, topics and uploads.
See PROTOCOLS.md Part B for the wire facts this follows."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from tests.emulators.telegram_chats import ChatMethods
from tests.emulators.telegram_faults import Faults, RateLimits, injected_error
from tests.emulators.telegram_files import FileKind
from tests.emulators.telegram_forum import ForumMethods
from tests.emulators.telegram_media import MediaMethods
from tests.emulators.telegram_messages import MessageMethods
from tests.emulators.telegram_server import BotApiServer, CallLog
from tests.emulators.telegram_state import World
from tests.emulators.telegram_updates import UpdateHub
from tests.emulators.telegram_users import UserActions
from tests.emulators.telegram_webhook import WebhookDelivery, WebhookRetryPolicy
from tests.emulators.telegram_wire import Call, JsonDict

__all__ = ["Call", "TelegramEmulator", "WebhookDelivery", "WebhookRetryPolicy"]


class TelegramEmulator:
    def __init__(
        self,
        *,
        token: str = "123456:TEST-token",
        bot_id: int = 999,
        bot_username: str = "ponte_bot",
        webhook_retry: WebhookRetryPolicy | None = None,
    ) -> None:
        self.token = token
        self._world = World(
            {"id": bot_id, "is_bot": True, "first_name": "Ponte", "username": bot_username}
        )
        self._hub = UpdateHub(webhook_retry or WebhookRetryPolicy())
        self._faults = Faults()
        self._log = CallLog()
        self._users = UserActions(self._world, self._hub)
        routes = (
            MessageMethods(self._world).routes()
            | MediaMethods(self._world).routes()
            | ForumMethods(self._world).routes()
            | ChatMethods(self._world).routes()
            | self._hub.routes()
        )
        self._server = BotApiServer(token, routes, self._faults, self._log, self._world.files)
        self._root: str | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        await self._hub.start()
        self._root = await self._server.start()

    async def close(self) -> None:
        """Stops pushes, wakes waiting long polls and delayed requests, then the server."""
        self._faults.close()
        await self._hub.close()
        await self._server.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"{self._started_root()}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self._started_root()}/file/bot"

    @property
    def bot_user(self) -> JsonDict:
        return dict(self._world.bot)

    def _started_root(self) -> str:
        if self._root is None:
            raise RuntimeError("TelegramEmulator is not started")
        return self._root

    # --- world ----------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
    ) -> None:
        self._world.add_user(user_id, first_name, username, last_name)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        is_forum: bool = True,
        bot_status: str = "administrator",
        can_manage_topics: bool = True,
    ) -> None:
        """A supergroup; bot_status is creator, administrator, member, left or kicked."""
        self._world.add_group(
            chat_id, title, is_forum=is_forum, bot_status=bot_status, can_manage=can_manage_topics
        )

    def set_bot_status(
        self, chat_id: int, bot_status: str, *, can_manage_topics: bool | None = None
    ) -> None:
        """Change the bot's membership later (e.g. kicked mid-test). No update is sent."""
        self._world.set_bot_status(chat_id, bot_status, can_manage_topics)

    def open_private_chat(self, user_id: int) -> None:
        self._world.open_private_chat(user_id)

    def delete_topic_by_hand(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes the topic in a client: no update; later sends fail with
        "message thread not found"."""
        self._world.delete_topic(self._world.group(chat_id), thread_id)

    def messages(self, chat_id: int, thread_id: int | None = None) -> list[JsonDict]:
        return self._world.messages_in(chat_id, thread_id)

    def topics(self, chat_id: int) -> dict[int, JsonDict]:
        chat = self._world.group(chat_id)
        return {thread_id: topic.summary() for thread_id, topic in chat.topics.items()}

    def add_file(
        self,
        content: bytes,
        *,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> JsonDict:
        """Register a file a user can send; returns its Document/PhotoSize/Voice dict."""
        stored = self._world.files.add(
            content, FileKind(kind), file_name=file_name, mime_type=mime_type
        )
        return stored.wire()

    def uploaded_files(self) -> list[JsonDict]:
        return [upload.as_dict() for upload in self._world.files.uploads]

    def callback_answer(self, query_id: str) -> JsonDict | None:
        """What answerCallbackQuery said for this query, or None if unanswered."""
        query = self._world.callbacks.get(query_id)
        return None if query is None else query.answer

    def expire_callback_queries(self) -> None:
        """Make every unanswered callback query too old to answer."""
        for query in self._world.callbacks.values():
            query.expired = True

    # --- recording ------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        return self._log.calls(None if method is None else self._server.canonical(method))

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109  (the shared emulator API names it so)
    ) -> Call:
        """The first call of `method` matching `predicate`, already recorded or yet to come."""
        return await self._log.wait_for(self._server.canonical(method), predicate, timeout)

    async def wait_for_poller(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until a getUpdates long poll is waiting in the emulator."""
        await self._hub.wait_for_poller(timeout)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return self._hub.pusher.deliveries

    # --- failure injection ----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        error = injected_error(error_code, description, retry_after)
        self._faults.fail_next(self._server.canonical(method), error, times)

    def set_delay(self, method: str, seconds: float) -> None:
        self._faults.set_delay(self._server.canonical(method), seconds)

    def enforce_rate_limits(
        self, enabled: bool = True, *, per_chat_per_minute: int = 20, per_bot_per_second: int = 30
    ) -> None:
        limits = RateLimits(per_chat_per_minute, per_bot_per_second) if enabled else None
        self._faults.enforce(limits)

    # --- users acting ---------------------------------------------------------------------

    async def user_sends(
        self,
        user_id: int,
        chat_id: int,
        text: str | None = None,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        photo: JsonDict | None = None,
        document: JsonDict | None = None,
        voice: JsonDict | None = None,
        caption: str | None = None,
    ) -> JsonDict:
        media = {"photo": photo, "document": document, "voice": voice}
        return await self._users.sends(
            user_id,
            chat_id,
            text,
            thread_id=thread_id,
            reply_to=reply_to,
            media=media,
            caption=caption,
        )

    async def user_edits(self, user_id: int, chat_id: int, message_id: int, text: str) -> JsonDict:
        return await self._users.edits(user_id, chat_id, message_id, text)

    async def press_button(
        self, user_id: int, chat_id: int, message_id: int, data: str
    ) -> JsonDict:
        return await self._users.presses(user_id, chat_id, message_id, data)

    async def redeliver(self, update_id: int) -> None:
        await self._hub.redeliver(update_id)

    async def drain(self) -> None:
        """Until every pending webhook push is delivered or given up."""
        await self._hub.pusher.drain()
