"""Bot API methods about the bot and its chats: getMe, getChat, getChatMember and the bot
command list. Results carry every field PTB's de_json requires (PROTOCOLS B6)."""

from __future__ import annotations

import re
from typing import Any

from tests.emulators.telegram_state import Chat, World
from tests.emulators.telegram_wire import Handler, JsonDict, Params, bad_request

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
DESCRIPTION_LIMIT = 256
COMMANDS_LIMIT = 100
_BOT_ABILITIES: JsonDict = {
    "can_join_groups": True,
    "can_read_all_group_messages": True,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
_FULL_INFO_DEFAULTS: JsonDict = {
    "accent_color_id": 0,
    "max_reaction_count": 11,
    "accepted_gift_types": {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    },
}
_ADMIN_RIGHTS: JsonDict = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
}


class ChatMethods:
    def __init__(self, world: World) -> None:
        self._world = world

    def routes(self) -> dict[str, Handler]:
        return {
            "getMe": self.get_me,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendChatAction": self.send_chat_action,
        }

    async def get_me(self, params: Params) -> JsonDict:
        return self._world.bot | _BOT_ABILITIES

    async def get_chat(self, params: Params) -> JsonDict:
        chat = self._world.member_chat(params.chat_id())
        return chat.wire | _FULL_INFO_DEFAULTS

    async def get_chat_member(self, params: Params) -> JsonDict:
        """The bot's own membership is answered even when kicked or gone, so tests can read
        it; other known users are plain members."""
        chat = self._world.chat(params.chat_id())
        user_id = params.need_integer("user_id")
        if user_id == self._world.bot["id"]:
            return self._bot_member(chat)
        user = self._world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return {"status": "member", "user": user}

    async def send_chat_action(self, params: Params) -> bool:
        """Shows nothing anyone could read back: the call log is the record."""
        chat = self._world.member_chat(params.chat_id())
        if params.text("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        thread = params.integer("message_thread_id")
        if thread and thread not in chat.topics:
            raise bad_request("message thread not found")
        return True

    def _bot_member(self, chat: Chat) -> JsonDict:
        member: JsonDict = {"status": chat.bot_status, "user": self._world.bot}
        match chat.bot_status:
            case "creator":
                member["is_anonymous"] = False
            case "administrator":
                member |= _ADMIN_RIGHTS | {"can_manage_topics": chat.can_manage_topics}
            case "kicked":
                member["until_date"] = 0
        return member

    async def set_my_commands(self, params: Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list):
            raise bad_request('field "commands" must be an Array')
        if len(commands) > COMMANDS_LIMIT:
            raise bad_request("too many commands")
        checked = [_command(entry) for entry in commands]
        self._world.commands[self._key(params)] = checked
        return True

    async def get_my_commands(self, params: Params) -> list[JsonDict]:
        return self._world.commands.get(self._key(params), [])

    async def delete_my_commands(self, params: Params) -> bool:
        self._world.commands.pop(self._key(params), None)
        return True

    def _key(self, params: Params) -> str:
        return self._world.commands_key(params.json("scope"), params.text("language_code"))


def _command(entry: Any) -> JsonDict:
    if not isinstance(entry, dict):
        raise bad_request("can't parse BotCommand: object expected")
    name, description = entry.get("command"), entry.get("description")
    if not isinstance(name, str) or not COMMAND_NAME.fullmatch(name):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(description, str) or not 1 <= len(description) <= DESCRIPTION_LIMIT:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return {"command": name, "description": description}
