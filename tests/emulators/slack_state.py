"""Workspace state of the Slack emulator: users, channels and their messages."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

from tests.emulators.slack_records import ApiError, BotIdentity, JsonDict


class TsClock:
    """Message timestamps `"<sec>.<6 digits>"`: wall-clock based, strictly increasing, unique."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> str:
        micros = max(time.time_ns() // 1000, self._last + 1)
        self._last = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


@dataclass(slots=True)
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def channel_type(self) -> str:
        if self.is_im:
            return "im"
        return "group" if self.is_private else "channel"

    def info(self, bot_user_id: str) -> JsonDict:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_im and not self.is_private,
            "is_group": False,
            "is_im": self.is_im,
            "is_private": self.is_private or self.is_im,
            "is_archived": self.is_archived,
            "is_member": bot_user_id in self.members,
            "created": self.created,
            "num_members": len(self.members),
        }


def _user_record(
    identity: BotIdentity, user_id: str, name: str, email: str | None, real_name: str, is_bot: bool
) -> JsonDict:
    profile: JsonDict = {
        "display_name": name,
        "real_name": real_name,
        "image_72": f"https://avatars.example/{user_id}_72.png",
    }
    if email is not None:
        profile["email"] = email
    return {
        "id": user_id,
        "team_id": identity.team_id,
        "name": name,
        "real_name": real_name,
        "deleted": False,
        "is_bot": is_bot,
        "tz": "America/Sao_Paulo",
        "profile": profile,
    }


class Workspace:
    """Users, channels and messages. Messages are kept per channel in `ts` order (insertion order,
    since `ts` only increases); public accessors hand out deep copies."""

    def __init__(self, identity: BotIdentity) -> None:
        self.identity = identity
        self.clock = TsClock()
        self._users: dict[str, JsonDict] = {}
        self._channels: dict[str, Channel] = {}
        self._messages: dict[str, dict[str, JsonDict]] = {}
        self.add_user(identity.bot_user_id, identity.bot_name, is_bot=True)

    # users

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        email: str | None = None,
        real_name: str | None = None,
        is_bot: bool = False,
    ) -> None:
        record = _user_record(self.identity, user_id, name, email, real_name or name, is_bot)
        self._users[user_id] = record

    def user(self, user_id: str) -> JsonDict:
        if user_id not in self._users:
            raise ApiError("user_not_found")
        return copy.deepcopy(self._users[user_id])

    # channels

    def add_channel(self, channel: Channel) -> None:
        self._channels[channel.id] = channel
        self._messages.setdefault(channel.id, {})

    def channel(self, channel_id: str) -> Channel:
        """The channel, or the bot's DM with a user when given a user id (as Slack accepts)."""
        if channel_id in self._channels:
            return self._channels[channel_id]
        if channel_id in self._users:
            return self._direct_message(channel_id)
        raise ApiError("channel_not_found")

    def _direct_message(self, user_id: str) -> Channel:
        dm_id = "D" + user_id.removeprefix("U")
        if dm_id not in self._channels:
            members = {user_id, self.identity.bot_user_id}
            self.add_channel(Channel(dm_id, user_id, is_im=True, members=members))
        return self._channels[dm_id]

    def channel_name(self, channel_id: str) -> str:
        known = self._channels.get(channel_id)
        return known.name if known is not None else "directmessage"

    # messages

    def find(self, channel_id: str, ts: str) -> JsonDict | None:
        return self._messages.get(channel_id, {}).get(ts)

    def require(self, channel_id: str, ts: str) -> JsonDict:
        found = self.find(channel_id, ts)
        if found is None:
            raise ApiError("message_not_found")
        return found

    def thread_root(self, channel_id: str, thread_ts: str) -> JsonDict:
        """The root a reply may be posted under; a reply's own ts is not a thread."""
        root = self.find(channel_id, thread_ts)
        if root is None or root.get("thread_ts", thread_ts) != thread_ts:
            raise ApiError("invalid_thread_ts")
        return root

    def store(self, channel_id: str, message: JsonDict) -> None:
        """Store a new message (its `ts` already set) and keep the root's thread summary."""
        self._messages.setdefault(channel_id, {})[message["ts"]] = message
        thread_ts = message.get("thread_ts")
        if thread_ts is not None and thread_ts != message["ts"]:
            self._note_reply(self._messages[channel_id][thread_ts], message)

    @staticmethod
    def _note_reply(root: JsonDict, reply: JsonDict) -> None:
        root["thread_ts"] = root["ts"]
        root["reply_count"] = root.get("reply_count", 0) + 1
        users: list[str] = root.setdefault("reply_users", [])
        author = reply.get("user")
        if author is not None and author not in users:
            users.append(author)
        root["latest_reply"] = reply["ts"]

    def remove(self, channel_id: str, ts: str) -> JsonDict:
        message = self.require(channel_id, ts)
        del self._messages[channel_id][ts]
        return message

    def roots(self, channel_id: str) -> list[JsonDict]:
        """Channel-level messages (roots and broadcast replies), oldest first."""
        return [
            copy.deepcopy(m)
            for m in self._messages.get(channel_id, {}).values()
            if m.get("thread_ts", m["ts"]) == m["ts"] or m.get("subtype") == "thread_broadcast"
        ]

    def replies(self, channel_id: str, thread_ts: str) -> list[JsonDict]:
        """A thread's replies without the root, oldest first."""
        return [
            copy.deepcopy(m)
            for m in self._messages.get(channel_id, {}).values()
            if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
        ]
