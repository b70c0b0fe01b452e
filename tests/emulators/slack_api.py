"""Web API methods for messages, conversations, users and auth (wire facts: PROTOCOLS A6/A7)."""

from __future__ import annotations

import copy
from collections.abc import Callable

from tests.emulators.slack_assets import Urls
from tests.emulators.slack_payloads import bot_message, changed_event, deleted_event, message_event
from tests.emulators.slack_records import ApiError, JsonDict, Reply
from tests.emulators.slack_state import Channel, Workspace

Handler = Callable[[JsonDict], Reply]

MAX_TEXT = 40_000
MAX_BLOCKS = 50


def opt_str(params: JsonDict, name: str) -> str | None:
    value = params.get(name)
    return None if value is None or value == "" else str(value)


def req_str(params: JsonDict, name: str, error: str) -> str:
    value = opt_str(params, name)
    if value is None:
        raise ApiError(error)
    return value


def flag(params: JsonDict, name: str) -> bool:
    return params.get(name) in (True, 1, "1", "true", "True")


def _check_blocks(blocks: object) -> None:
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise ApiError("invalid_blocks")
    if not all(isinstance(block, dict) and isinstance(block.get("type"), str) for block in blocks):
        raise ApiError("invalid_blocks")


def message_content(params: JsonDict) -> JsonDict:
    """`text`/`blocks`/`attachments`/`metadata` of a post, validated as chat.postMessage does."""
    text = opt_str(params, "text")
    blocks = params.get("blocks")
    attachments = params.get("attachments")
    if blocks is not None:
        _check_blocks(blocks)
    if not text and not blocks and not attachments:
        raise ApiError("no_text")
    if text is not None and len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    return {
        "text": text or "",
        "blocks": blocks,
        "attachments": attachments,
        "metadata": params.get("metadata"),
    }


class ChatApi:
    """chat.* methods. Bot posts, edits and deletes answer with their message events as echoes."""

    def __init__(self, workspace: Workspace, urls: Urls, ephemerals: list[JsonDict]) -> None:
        self._ws = workspace
        self._urls = urls
        self._ephemerals = ephemerals

    def methods(self) -> dict[str, Handler]:
        return {
            "chat.postMessage": self.post_message,
            "chat.update": self.update,
            "chat.delete": self.delete,
            "chat.postEphemeral": self.post_ephemeral,
            "chat.getPermalink": self.get_permalink,
        }

    def writable(self, channel_id: str | None) -> Channel:
        """The channel the bot may post in (channel_not_found / is_archived / not_in_channel)."""
        channel = self._ws.channel(channel_id or "")
        if channel.is_archived:
            raise ApiError("is_archived")
        if self._ws.identity.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def post_bot_message(
        self, channel: Channel, fields: JsonDict, thread_ts: str | None
    ) -> tuple[JsonDict, JsonDict]:
        """Store a bot message; returns (message copy, echo event)."""
        parent_user = None
        if thread_ts is not None:
            parent_user = self._ws.thread_root(channel.id, thread_ts).get("user")
        message = bot_message(self._ws.identity, self._ws.clock.next(), fields)
        self._ws.store(channel.id, message)
        return copy.deepcopy(message), message_event(channel, message, parent_user)

    def post_message(self, params: JsonDict) -> Reply:
        channel = self.writable(opt_str(params, "channel"))
        fields = message_content(params)
        thread_ts = opt_str(params, "thread_ts")
        fields["thread_ts"] = thread_ts
        if thread_ts is not None and flag(params, "reply_broadcast"):
            fields["subtype"] = "thread_broadcast"
        message, echo = self.post_bot_message(channel, fields, thread_ts)
        body = {"ok": True, "channel": channel.id, "ts": message["ts"], "message": message}
        return Reply(body, echoes=(echo,))

    def _own_message(self, params: JsonDict, refusal: str) -> tuple[Channel, JsonDict]:
        channel = self._ws.channel(req_str(params, "channel", "channel_not_found"))
        message = self._ws.require(channel.id, req_str(params, "ts", "message_not_found"))
        if message.get("bot_id") != self._ws.identity.bot_id:
            raise ApiError(refusal)
        return channel, message

    def update(self, params: JsonDict) -> Reply:
        channel, message = self._own_message(params, "cant_update_message")
        content = message_content(params)
        previous = copy.deepcopy(message)
        message["text"] = content["text"]
        for key in ("blocks", "attachments", "metadata"):
            if content[key] is not None:
                message[key] = content[key]
        edited_at = self._ws.clock.next()
        message["edited"] = {"user": self._ws.identity.bot_user_id, "ts": edited_at}
        echo = changed_event(channel, previous, message, edited_at)
        body = {
            "ok": True,
            "channel": channel.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }
        return Reply(body, echoes=(echo,))

    def delete(self, params: JsonDict) -> Reply:
        channel, message = self._own_message(params, "cant_delete_message")
        self._ws.remove(channel.id, message["ts"])
        echo = deleted_event(channel, message, self._ws.clock.next())
        return Reply({"ok": True, "channel": channel.id, "ts": message["ts"]}, echoes=(echo,))

    def post_ephemeral(self, params: JsonDict) -> Reply:
        channel = self.writable(opt_str(params, "channel"))
        user = self._ws.user(req_str(params, "user", "user_not_found"))["id"]
        if user not in channel.members:
            raise ApiError("user_not_in_channel")
        content = message_content(params)
        message_ts = self._ws.clock.next()
        record = {
            "source": "chat.postEphemeral",
            "channel": channel.id,
            "user": user,
            "thread_ts": opt_str(params, "thread_ts"),
            "message_ts": message_ts,
            **{key: content[key] for key in ("text", "blocks", "attachments")},
        }
        self._ephemerals.append(record)
        return Reply({"ok": True, "message_ts": message_ts})

    def get_permalink(self, params: JsonDict) -> Reply:
        channel = self._ws.channel(req_str(params, "channel", "channel_not_found"))
        message = self._ws.require(channel.id, req_str(params, "message_ts", "message_not_found"))
        link = self._urls.permalink(channel.id, message["ts"], message.get("thread_ts"))
        return Reply({"ok": True, "channel": channel.id, "permalink": link})


class DirectoryApi:
    """auth.test, conversations.* and users.info."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def methods(self) -> dict[str, Handler]:
        return {
            "auth.test": self.auth_test,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "users.info": self.users_info,
        }

    def auth_test(self, params: JsonDict) -> Reply:
        me = self._ws.identity
        body = {
            "ok": True,
            "url": f"https://{me.team_domain}.slack.com/",
            "team": me.team_name,
            "user": me.bot_name,
            "team_id": me.team_id,
            "user_id": me.bot_user_id,
            "bot_id": me.bot_id,
            "is_enterprise_install": False,
        }
        return Reply(body)

    def _channel(self, params: JsonDict) -> Channel:
        return self._ws.channel(req_str(params, "channel", "channel_not_found"))

    def conversations_info(self, params: JsonDict) -> Reply:
        channel = self._channel(params)
        return Reply({"ok": True, "channel": channel.info(self._ws.identity.bot_user_id)})

    def conversations_join(self, params: JsonDict) -> Reply:
        channel = self._channel(params)
        if channel.is_private or channel.is_im:
            raise ApiError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise ApiError("is_archived")
        bot = self._ws.identity.bot_user_id
        body: JsonDict = {"ok": True}
        if bot in channel.members:
            body["warning"] = "already_in_channel"
            body["response_metadata"] = {"warnings": ["already_in_channel"]}
        channel.members.add(bot)
        body["channel"] = channel.info(bot)
        return Reply(body)

    def _readable(self, params: JsonDict) -> Channel:
        channel = self._channel(params)
        if self._ws.identity.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def conversations_history(self, params: JsonDict) -> Reply:
        channel = self._readable(params)
        oldest = float(opt_str(params, "oldest") or 0)
        latest = float(opt_str(params, "latest") or "inf")
        limit = int(opt_str(params, "limit") or 100)
        found = [m for m in self._ws.roots(channel.id) if oldest <= float(m["ts"]) <= latest]
        found.reverse()
        body = {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}
        return Reply({**body, "response_metadata": {"next_cursor": ""}})

    def conversations_replies(self, params: JsonDict) -> Reply:
        channel = self._readable(params)
        ts = req_str(params, "ts", "thread_not_found")
        root = self._ws.find(channel.id, ts)
        if root is None:
            raise ApiError("thread_not_found")
        thread_ts = root.get("thread_ts", ts)
        head = self._ws.find(channel.id, thread_ts) or root
        limit = int(opt_str(params, "limit") or 1000)
        found = [copy.deepcopy(head), *self._ws.replies(channel.id, thread_ts)]
        body = {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}
        return Reply({**body, "response_metadata": {"next_cursor": ""}})

    def users_info(self, params: JsonDict) -> Reply:
        user = self._ws.user(req_str(params, "user", "user_not_found"))
        return Reply({"ok": True, "user": user})
