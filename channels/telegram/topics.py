"""Which conversation a group message belongs to: (chat id, topic id) -> conversation, kept in
Redis through core.links and written whenever a thread is opened (a replaced topic included).

Why our own map: the core's reverse thread map is keyed on the whole ThreadRef, header message
id included, and a message written in a topic carries only the chat and topic ids."""

from __future__ import annotations

from telegram import Message
from telegram.constants import ChatType

from bridge.core.links import Links
from bridge.domain.ids import ConversationId


def thread_of(message: Message) -> int | None:
    """The topic (or, in a group without topics, the reply chain's root) a message is in.
    Only messages in a real topic count in a forum: General is nobody's conversation."""
    chat = message.chat
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return None
    if message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    if chat.is_forum:
        return None
    if message.message_thread_id:
        return message.message_thread_id
    reply = message.reply_to_message
    return reply.message_id if reply is not None else None


class Topics:
    def __init__(self, links: Links, ttl_seconds: int) -> None:
        self._links, self._ttl = links, ttl_seconds

    @staticmethod
    def key_for(chat: int, thread: int) -> str:
        return f"tg:topic:{chat}:{thread}"

    async def remember(self, chat: int, thread: int, cid: ConversationId) -> None:
        await self._links.set_value(self.key_for(chat, thread), cid, self._ttl)

    async def find(self, message: Message) -> ConversationId | None:
        thread = thread_of(message)
        if thread is None:
            return None
        found = await self._links.get_value(self.key_for(message.chat.id, thread))
        return ConversationId(found) if found else None
