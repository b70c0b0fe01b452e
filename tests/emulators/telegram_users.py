"""Users acting in the emulated world. Each action stores what the user did and publishes the
Update the bot would receive (PROTOCOLS B3). Misuse by a test (unknown user, a topic a user
could not post in, a button that is not there) raises LookupError or ValueError at once."""

from __future__ import annotations

import copy
import re

from tests.emulators.telegram_state import CallbackQuery, Chat, World, now
from tests.emulators.telegram_updates import UpdateHub
from tests.emulators.telegram_wire import JsonDict

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def _command_entities(text: str) -> list[JsonDict]:
    """Telegram marks a leading /command as a bot_command entity; PTB's CommandHandler
    depends on it."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group())}]


def _text_body(text: str) -> JsonDict:
    body: JsonDict = {"text": text}
    entities = _command_entities(text)
    if entities:
        body["entities"] = entities
    return body


def _content(
    text: str | None,
    media: dict[str, JsonDict | None],
    caption: str | None,
) -> JsonDict:
    present = {kind: value for kind, value in media.items() if value is not None}
    if (text is not None) + len(present) != 1:
        raise ValueError("give exactly one of text, photo, document, voice")
    if text is not None:
        return _text_body(text)
    kind, value = next(iter(present.items()))
    body: JsonDict = {kind: [value] if kind == "photo" else value}
    if caption:
        body["caption"] = caption
    return body


def _has_button(message: JsonDict, data: str) -> bool:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return any(button.get("callback_data") == data for row in rows for button in row)


def _chat_instance(chat_id: int) -> str:
    return str(-(5_000_000_000_000_000_000 + abs(chat_id)))


class UserActions:
    def __init__(self, world: World, hub: UpdateHub) -> None:
        self._world = world
        self._hub = hub
        self._queries = 0

    async def sends(
        self,
        user_id: int,
        chat_id: int,
        text: str | None,
        *,
        thread_id: int | None,
        reply_to: int | None,
        media: dict[str, JsonDict | None],
        caption: str | None,
    ) -> JsonDict:
        user = self._world.user(user_id)
        chat = self._chat(user_id, chat_id)
        self._check_thread(chat, thread_id)
        if reply_to is not None and reply_to not in chat.messages:
            raise LookupError(f"no message {reply_to} in chat {chat_id} to reply to")
        body = _content(text, media, caption)
        message = self._world.post(chat, user, body, thread_id=thread_id, reply_to=reply_to)
        return await self._hub.publish(chat.id, {"message": copy.deepcopy(message)})

    async def edits(self, user_id: int, chat_id: int, message_id: int, text: str) -> JsonDict:
        chat = self._chat(user_id, chat_id)
        message = chat.messages.get(message_id)
        if message is None or message["from"]["id"] != user_id:
            raise LookupError(f"user {user_id} has no message {message_id} in chat {chat_id}")
        if "text" in message:
            message.pop("entities", None)
            message.update(_text_body(text))
        else:
            message["caption"] = text
        message["edit_date"] = now()
        return await self._hub.publish(chat.id, {"edited_message": copy.deepcopy(message)})

    async def presses(self, user_id: int, chat_id: int, message_id: int, data: str) -> JsonDict:
        user = self._world.user(user_id)
        chat = self._chat(user_id, chat_id)
        message = chat.messages.get(message_id)
        if message is None or not _has_button(message, data):
            raise LookupError(f"message {message_id} in {chat_id} has no button {data!r}")
        self._queries += 1
        query_id = str(4_382_000_000_000_000 + self._queries)
        self._world.callbacks[query_id] = CallbackQuery(query_id, chat.id)
        query = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(message),
            "chat_instance": _chat_instance(chat.id),
            "data": data,
        }
        return await self._hub.publish(chat.id, {"callback_query": query})

    def _chat(self, user_id: int, chat_id: int) -> Chat:
        if chat_id == user_id:
            return self._world.open_private_chat(user_id)
        chat = self._world.group(chat_id)
        if chat.bot_status in ("left", "kicked"):
            raise ValueError(f"the bot is {chat.bot_status} in chat {chat_id}: it gets no updates")
        return chat

    def _check_thread(self, chat: Chat, thread_id: int | None) -> None:
        if thread_id is None:
            return
        if not chat.is_forum:
            if thread_id not in chat.messages:
                raise LookupError(f"no message {thread_id} in chat {chat.id} to thread under")
            return
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise LookupError(f"no topic {thread_id} in chat {chat.id}")
        if topic.closed:
            raise ValueError(f"topic {thread_id} is closed: members cannot post in it")
