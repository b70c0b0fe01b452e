"""What the update handlers share, and how they talk back to the agent."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, MaybeInaccessibleMessage, Message
from telegram.error import TelegramError

from bridge.core import Core
from bridge.ports import DeliveryFailed, RetryLater
from channels.common.actions import Actions
from channels.common.lists import Lists
from channels.common.texts import Texts
from channels.telegram.html import Html
from channels.telegram.sender import Markup, Place, Sender
from channels.telegram.topics import Topics

log = logging.getLogger("ponte.telegram")

LIST_TTL = 24 * 3600  # how long list pages, prompts and menus stay usable


@dataclass(frozen=True, slots=True)
class Answer:
    """The toast a button press gets (answerCallbackQuery); `alert` for a refusal."""

    text: str = ""
    alert: bool = False


def place_of_message(message: Message | MaybeInaccessibleMessage | None, chat: int) -> Place:
    """Where to answer a message or a pressed button: the same chat, and topic in a forum."""
    if isinstance(message, Message) and message.is_topic_message:
        return Place(message.chat.id, message.message_thread_id)
    return Place(message.chat.id if message is not None else chat)


@dataclass(frozen=True, slots=True)
class Context:
    core: Core
    sender: Sender
    topics: Topics
    actions: Actions
    lists: Lists
    t: Texts

    async def reply(self, place: Place, html: Html, markup: Markup | None = None) -> Message | None:
        """Tell the agent something. The action it reports has already happened, so a reply
        that cannot go now (a flood wait, the bot removed) is logged, not retried."""
        try:
            return await self.sender.send(place, html, markup)
        except (RetryLater, DeliveryFailed, TelegramError, TimeoutError) as e:
            log.warning("telegram.reply_failed", extra={"chat": place.chat, "error": repr(e)})
            return None

    async def replace(
        self, chat: int, message_id: int, html: Html, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Edit a menu or list message in place; a failure is logged, like a reply's."""
        try:
            await self.sender.edit(chat, message_id, html, markup)
        except (RetryLater, DeliveryFailed, TelegramError, TimeoutError) as e:
            log.warning("telegram.edit_failed", extra={"chat": chat, "error": repr(e)})
