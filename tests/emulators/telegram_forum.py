"""Bot API forum-topic methods. Each state change leaves the service message real Telegram
posts in the topic (forum_topic_created/edited/closed/reopened; PROTOCOLS B3)."""

from __future__ import annotations

from tests.emulators.telegram_state import ICON_COLORS, Chat, Topic, World
from tests.emulators.telegram_wire import Handler, JsonDict, Params, bad_request

NAME_LIMIT = 128


class ForumMethods:
    def __init__(self, world: World) -> None:
        self._world = world

    def routes(self) -> dict[str, Handler]:
        return {
            "createForumTopic": self.create_forum_topic,
            "editForumTopic": self.edit_forum_topic,
            "closeForumTopic": self.close_forum_topic,
            "reopenForumTopic": self.reopen_forum_topic,
            "deleteForumTopic": self.delete_forum_topic,
        }

    async def create_forum_topic(self, params: Params) -> JsonDict:
        chat = self._forum(params)
        if not chat.can_manage():
            raise bad_request("not enough rights to create a topic")
        name = _name(params.text("name") or "")
        color = params.integer("icon_color") or ICON_COLORS[0]
        if color not in ICON_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        emoji = params.text("icon_custom_emoji_id") or None
        thread_id = chat.allocate_id()
        topic = Topic(thread_id, name, color, emoji)
        chat.topics[thread_id] = topic
        created: JsonDict = {"name": name, "icon_color": color}
        if emoji:
            created["icon_custom_emoji_id"] = emoji
        self._world.build(
            chat, thread_id, self._world.bot, {"forum_topic_created": created}, thread_id=thread_id
        )
        return topic.wire()

    async def edit_forum_topic(self, params: Params) -> bool:
        chat, topic = self._managed(params)
        edited: JsonDict = {}
        name = params.text("name")
        if name is not None and name and name != topic.name:
            topic.name = edited["name"] = _name(name)
        emoji = params.text("icon_custom_emoji_id")
        if emoji is not None and (emoji or None) != topic.icon_custom_emoji_id:
            topic.icon_custom_emoji_id = emoji or None
            edited["icon_custom_emoji_id"] = emoji
        if not edited:
            raise bad_request("TOPIC_NOT_MODIFIED")
        self._service(chat, topic, {"forum_topic_edited": edited})
        return True

    async def close_forum_topic(self, params: Params) -> bool:
        return self._set_closed(params, closed=True)

    async def reopen_forum_topic(self, params: Params) -> bool:
        return self._set_closed(params, closed=False)

    async def delete_forum_topic(self, params: Params) -> bool:
        chat, topic = self._managed(params)
        self._world.delete_topic(chat, topic.thread_id)
        return True

    def _set_closed(self, params: Params, *, closed: bool) -> bool:
        chat, topic = self._managed(params)
        if topic.closed == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        self._service(chat, topic, {"forum_topic_closed" if closed else "forum_topic_reopened": {}})
        return True

    def _forum(self, params: Params) -> Chat:
        chat = self._world.member_chat(params.chat_id())
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        return chat

    def _managed(self, params: Params) -> tuple[Chat, Topic]:
        chat = self._forum(params)
        topic = self._world.topic(chat, params.need_integer("message_thread_id"))
        if not chat.can_manage():
            raise bad_request("not enough rights to manage topics")
        return chat, topic

    def _service(self, chat: Chat, topic: Topic, body: JsonDict) -> None:
        self._world.post(chat, self._world.bot, body, thread_id=topic.thread_id)


def _name(name: str) -> str:
    if not name:
        raise bad_request("TOPIC_TITLE_EMPTY")
    if len(name) > NAME_LIMIT:
        raise bad_request("TOPIC_TITLE_TOO_LONG")
    return name
