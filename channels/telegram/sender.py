"""Every Bot API call the adapter makes goes through the Sender: paced by token buckets shared
by all daemon processes (about 30 messages a second per bot, 20 a minute per group, PROTOCOLS
B9), bounded by a timeout, and with Telegram's flood and permission errors turned into the
port's errors. A 429 is the backstop, not the mechanism.

BadRequest is left to the caller, who knows what a closed topic or an identical edit means
where it is (see errors.problem)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from bridge.core.links import Links
from bridge.ports import DeliveryFailed, RetryLater
from bridge.settings import TelegramSettings
from channels.telegram.errors import Problem, problem, retry_seconds
from channels.telegram.html import Html

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Markup = InlineKeyboardMarkup | ForceReply

MAX_INLINE_WAIT = 30.0  # a longer wait for a token goes back to the delivery worker
MAX_WAITS = 50
PHOTO_LIMIT = 10 * 1024 * 1024  # Bot API upload limits (PROTOCOLS B7)
UPLOAD_LIMIT = 50 * 1024 * 1024
DOWNLOAD_LIMIT = 20 * 1024 * 1024
MEDIA_SECONDS = 120.0  # a file of up to 50 MB up, or 20 MB down, gets this long
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message goes: a chat, a forum topic in it, and/or the message it answers.
    `strict` replies fail when the target is gone (a fallback thread's root must exist)."""

    chat: int
    topic: int | None = None
    reply_to: int | None = None
    strict: bool = False

    def replying(self, message_id: int, *, strict: bool = False) -> Place:
        return Place(self.chat, self.topic, message_id, strict)

    @property
    def reply(self) -> ReplyParameters | None:
        if self.reply_to is None:
            return None
        return ReplyParameters(self.reply_to, allow_sending_without_reply=not self.strict)


class Sender:
    def __init__(
        self,
        bot: Bot,
        links: Links,
        settings: TelegramSettings,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.bot, self._links, self._settings, self._sleep = bot, links, settings, sleep
        self.timeout = settings.call_timeout

    # -- pacing and errors --------------------------------------------------------------------

    async def _admit(self, chat: int | None) -> None:
        """Take a token from the group's bucket (negative ids are groups), then the bot's."""
        s = self._settings
        buckets = [("tg:bot", s.messages_per_second, s.messages_burst)]
        if chat is not None and chat < 0:
            group = (f"tg:chat:{chat}", s.group_messages_per_minute / 60, s.group_messages_burst)
            buckets.insert(0, group)
        for name, rate, burst in buckets:
            await self._take(name, rate, burst)

    async def _take(self, name: str, rate: float, burst: float) -> None:
        wait = 0.0
        for _ in range(MAX_WAITS):
            wait = await self._links.throttle(name, rate, burst)
            if wait <= 0:
                return
            if wait > MAX_INLINE_WAIT:
                break
            await self._sleep(wait)
        raise RetryLater(wait)

    async def call(
        self,
        make: Callable[[], Awaitable[T]],
        *,
        chat: int | None = None,
        paced: bool = True,
        seconds: float | None = None,
    ) -> T:
        """Run one Bot API call. Raises RetryLater (429, or no token soon), DeliveryFailed
        (bot removed, chat moved, bad token), BadRequest (the caller decides), and lets
        timeouts and network errors through (the caller's caller retries)."""
        if paced:
            await self._admit(chat)
        try:
            async with asyncio.timeout(seconds or self.timeout):
                return await make()
        except RetryAfter as e:
            raise RetryLater(retry_seconds(e)) from e
        except ChatMigrated as e:
            raise DeliveryFailed(f"chat moved to {e.new_chat_id}: update telegram_chat") from e
        except (Forbidden, InvalidToken) as e:
            raise DeliveryFailed(f"Telegram refused: {e.message}") from e

    # -- messages -----------------------------------------------------------------------------

    async def send(self, place: Place, html: Html, markup: Markup | None = None) -> Message:
        return await self.call(
            lambda: self.bot.send_message(
                place.chat,
                html.markup,
                parse_mode=ParseMode.HTML,
                message_thread_id=place.topic,
                reply_parameters=place.reply,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            ),
            chat=place.chat,
        )

    async def typing(self, chat: int, topic: int) -> bool:
        """ "typing…" in a topic, only when the bot's bucket has a token now: a signal is never
        worth a wait, and never takes a group's message budget."""
        s = self._settings
        if await self._links.throttle("tg:bot", s.messages_per_second, s.messages_burst) > 0:
            return False
        return await self.call(
            lambda: self.bot.send_chat_action(chat, ChatAction.TYPING, message_thread_id=topic),
            paced=False,
        )

    async def edit(
        self, chat: int, message_id: int, html: Html, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Edit a message's text; an identical edit is not an error."""
        try:
            await self.call(
                lambda: self.bot.edit_message_text(
                    html.markup,
                    chat,
                    message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEW,
                )
            )
        except BadRequest as e:
            if problem(e) is not Problem.NOT_MODIFIED:
                raise

    async def send_file(
        self, place: Place, data: bytes, name: str, *, photo: bool, caption: Html
    ) -> Message:
        method = self.bot.send_photo if photo else self.bot.send_document
        return await self.call(
            lambda: method(
                place.chat,
                data,
                caption=caption.markup or None,
                parse_mode=ParseMode.HTML,
                message_thread_id=place.topic,
                reply_parameters=place.reply,
                filename=name,
            ),
            chat=place.chat,
            seconds=MEDIA_SECONDS,
        )

    async def answer(self, query_id: str, text: str, *, alert: bool = False) -> None:
        await self.call(
            lambda: self.bot.answer_callback_query(query_id, text[:200] or None, show_alert=alert),
            paced=False,
        )

    # -- topics -------------------------------------------------------------------------------

    async def create_topic(self, chat: int, name: str) -> int:
        topic = await self.call(lambda: self.bot.create_forum_topic(chat, name), chat=chat)
        return topic.message_thread_id

    async def set_topic(self, chat: int, topic: int, *, closed: bool) -> None:
        """Close or reopen a topic; one already so is not an error."""
        try:
            if closed:
                await self.call(lambda: self.bot.close_forum_topic(chat, topic), chat=chat)
            else:
                await self.call(lambda: self.bot.reopen_forum_topic(chat, topic), chat=chat)
        except BadRequest as e:
            if problem(e) is not Problem.NOT_MODIFIED:
                raise

    # -- files --------------------------------------------------------------------------------

    async def download(self, file_id: str) -> bytes:
        """getFile, then the bytes from the file URL, within one timeout."""

        async def fetch() -> bytes:
            file = await self.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray(read_timeout=MEDIA_SECONDS))

        return await self.call(fetch, paced=False, seconds=MEDIA_SECONDS)
