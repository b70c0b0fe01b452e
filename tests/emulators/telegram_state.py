"""The emulated Telegram world: users, chats, forum topics, messages and callback queries.

Messages are stored in their wire shape (the dict a Bot API result carries) and kept current
after edits, so tests and method results read the same thing. Message ids increase per chat;
a topic's id is the message_id of its forum_topic_created message (PROTOCOLS B3)."""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field
from typing import Any

from tests.emulators.telegram_files import FileStore
from tests.emulators.telegram_wire import JsonDict, bad_request, forbidden

ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
BOT_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})


def now() -> int:
    return int(time.time())


@dataclass(slots=True)
class Topic:
    thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def summary(self) -> JsonDict:
        return {
            "name": self.name,
            "closed": self.closed,
            "deleted": self.deleted,
            "icon_color": self.icon_color,
        }

    def wire(self) -> JsonDict:
        topic: JsonDict = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            topic["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return topic


@dataclass(slots=True)
class Chat:
    wire: JsonDict
    bot_status: str = "member"
    can_manage_topics: bool = False
    messages: dict[int, JsonDict] = field(default_factory=dict)
    topics: dict[int, Topic] = field(default_factory=dict)
    last_message_id: int = 0

    @property
    def id(self) -> int:
        return int(self.wire["id"])

    @property
    def is_forum(self) -> bool:
        return bool(self.wire.get("is_forum"))

    @property
    def is_private(self) -> bool:
        return bool(self.wire["type"] == "private")

    def allocate_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def can_manage(self) -> bool:
        return self.bot_status == "creator" or (
            self.bot_status == "administrator" and self.can_manage_topics
        )


@dataclass(slots=True)
class CallbackQuery:
    id: str
    chat_id: int
    answered: bool = False
    expired: bool = False
    answer: JsonDict | None = None


def _present(**fields: str | None) -> JsonDict:
    return {name: value for name, value in fields.items() if value is not None}


def reply_copy(message: JsonDict) -> JsonDict:
    """A message as it appears inside reply_to_message: one level deep."""
    inner = copy.deepcopy(message)
    inner.pop("reply_to_message", None)
    return inner


class World:
    def __init__(self, bot_user: JsonDict) -> None:
        self.bot = bot_user
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.callbacks: dict[str, CallbackQuery] = {}
        self.commands: dict[str, list[JsonDict]] = {}

    # --- setup by tests -------------------------------------------------------------------

    def add_user(
        self, user_id: int, first_name: str, username: str | None, last_name: str | None
    ) -> None:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.users[user_id] = user | _present(last_name=last_name, username=username)

    def add_group(
        self, chat_id: int, title: str, *, is_forum: bool, bot_status: str, can_manage: bool
    ) -> None:
        if bot_status not in BOT_STATUSES:
            raise ValueError(f"bot_status {bot_status!r} not in {sorted(BOT_STATUSES)}")
        wire: JsonDict = {"id": chat_id, "type": "supergroup", "title": title}
        if is_forum:
            wire["is_forum"] = True
        # Message 1 is the group's creation; in a forum, thread 1 is General (PROTOCOLS B2).
        self.chats[chat_id] = Chat(
            wire, bot_status=bot_status, can_manage_topics=can_manage, last_message_id=1
        )

    def set_bot_status(self, chat_id: int, bot_status: str, can_manage: bool | None) -> None:
        if bot_status not in BOT_STATUSES:
            raise ValueError(f"bot_status {bot_status!r} not in {sorted(BOT_STATUSES)}")
        chat = self.group(chat_id)
        chat.bot_status = bot_status
        if can_manage is not None:
            chat.can_manage_topics = can_manage

    def open_private_chat(self, user_id: int) -> Chat:
        if user_id not in self.chats:
            user = self.user(user_id)
            wire = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            wire |= {k: user[k] for k in ("last_name", "username") if k in user}
            self.chats[user_id] = Chat(wire)
        return self.chats[user_id]

    def user(self, user_id: int) -> JsonDict:
        if user_id not in self.users:
            raise LookupError(f"unknown user {user_id}: call add_user first")
        return self.users[user_id]

    def lookup_user(self, user_id: int) -> JsonDict | None:
        if user_id == self.bot["id"]:
            return self.bot
        return self.users.get(user_id)

    def group(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise LookupError(f"unknown chat {chat_id}: call add_group or open_private_chat")
        return chat

    # --- lookups by Bot API methods -------------------------------------------------------

    def chat(self, chat_id: int | str) -> Chat:
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is not None:
            return chat
        if isinstance(chat_id, int) and chat_id in self.users:
            raise forbidden("bot can't initiate conversation with a user")
        raise bad_request("chat not found")

    def member_chat(self, chat_id: int | str) -> Chat:
        """The chat, if the bot may act in it (403 once kicked or gone, as B2 lists)."""
        chat = self.chat(chat_id)
        kind = "supergroup chat" if chat.wire["type"] == "supergroup" else "group chat"
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {kind}")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    def send_thread(self, chat: Chat, thread_id: int | None) -> int | None:
        """Validate message_thread_id for a new message; General (None/0) is always open."""
        if not thread_id:
            return None
        if not chat.is_forum:
            if thread_id not in chat.messages:
                raise bad_request("message thread not found")
            return thread_id
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise bad_request("message thread not found")
        if topic.closed:
            raise bad_request("TOPIC_CLOSED")
        return thread_id

    def topic(self, chat: Chat, thread_id: int) -> Topic:
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise bad_request("message thread not found")
        return topic

    def message(self, chat: Chat, message_id: int, missing: str) -> JsonDict:
        message = chat.messages.get(message_id)
        if message is None:
            raise bad_request(missing)
        return message

    # --- writing messages -----------------------------------------------------------------

    def build(
        self,
        chat: Chat,
        message_id: int,
        sender: JsonDict,
        body: JsonDict,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> JsonDict:
        message: JsonDict = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "date": now(),
            "chat": copy.deepcopy(chat.wire),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.is_forum:
                message["is_topic_message"] = True
        # In a topic every message replies to the topic-creation message unless it replies
        # to something else (B3); that message itself replies to nothing.
        target = reply_to or (thread_id if chat.is_forum else None)
        if target is not None and target in chat.messages:
            message["reply_to_message"] = reply_copy(chat.messages[target])
        message.update(body)
        chat.messages[message_id] = message
        return message

    def post(
        self,
        chat: Chat,
        sender: JsonDict,
        body: JsonDict,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> JsonDict:
        return self.build(
            chat, chat.allocate_id(), sender, body, thread_id=thread_id, reply_to=reply_to
        )

    def delete_topic(self, chat: Chat, thread_id: int) -> None:
        self.topic(chat, thread_id).deleted = True
        for message_id, message in list(chat.messages.items()):
            if message.get("message_thread_id") == thread_id:
                del chat.messages[message_id]

    def messages_in(self, chat_id: int, thread_id: int | None) -> list[JsonDict]:
        chat = self.group(chat_id)
        return [
            copy.deepcopy(message)
            for message in chat.messages.values()
            if thread_id is None or message.get("message_thread_id") == thread_id
        ]

    # --- bot commands ---------------------------------------------------------------------

    def commands_key(self, scope: Any, language_code: str | None) -> str:
        return json.dumps([scope or {"type": "default"}, language_code or ""], sort_keys=True)
