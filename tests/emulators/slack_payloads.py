"""Builders for what Slack stores and sends: messages, event envelopes, interaction payloads."""

from __future__ import annotations

import copy
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from tests.emulators.slack_records import BotIdentity, JsonDict
from tests.emulators.slack_state import Channel


def rich_text_blocks(text: str) -> list[JsonDict]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": secrets.token_hex(3), "elements": [section]}]


def user_message(
    identity: BotIdentity, user: str, text: str, ts: str, thread_ts: str | None
) -> JsonDict:
    message: JsonDict = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": identity.team_id,
        "blocks": rich_text_blocks(text),
    }
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    return message


def bot_message(identity: BotIdentity, ts: str, fields: JsonDict) -> JsonDict:
    """A message posted with the bot token: no subtype, but `bot_id`, `app_id`, `bot_profile`."""
    message: JsonDict = {
        "type": "message",
        "user": identity.bot_user_id,
        "bot_id": identity.bot_id,
        "app_id": identity.app_id,
        "text": fields.get("text") or "",
        "ts": ts,
        "team": identity.team_id,
        "bot_profile": identity.bot_profile(),
    }
    for key in ("blocks", "attachments", "metadata", "thread_ts", "files", "subtype"):
        if fields.get(key) is not None:
            message[key] = copy.deepcopy(fields[key])
    if "files" in message:
        message["upload"] = False
        message["display_as_bot"] = False
    return message


def message_event(channel: Channel, message: JsonDict, parent_user: str | None = None) -> JsonDict:
    event = copy.deepcopy(message)
    for summary in ("reply_count", "reply_users", "latest_reply"):
        event.pop(summary, None)
    event.update(channel=channel.id, channel_type=channel.channel_type, event_ts=message["ts"])
    if parent_user is not None:
        event["parent_user_id"] = parent_user
    return event


def changed_event(channel: Channel, previous: JsonDict, current: JsonDict, at: str) -> JsonDict:
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel.id,
        "channel_type": channel.channel_type,
        "ts": at,
        "event_ts": at,
        "message": copy.deepcopy(current),
        "previous_message": copy.deepcopy(previous),
    }


def deleted_event(channel: Channel, previous: JsonDict, at: str) -> JsonDict:
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel.id,
        "channel_type": channel.channel_type,
        "ts": at,
        "event_ts": at,
        "deleted_ts": previous["ts"],
        "previous_message": copy.deepcopy(previous),
    }


def home_opened_event(user: str, channel_id: str, view: JsonDict | None, at: str) -> JsonDict:
    event: JsonDict = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel_id,
        "tab": "home",
        "event_ts": at,
    }
    if view is not None:
        event["view"] = view
    return event


def event_envelope(identity: BotIdentity, event: JsonDict, event_id: str) -> JsonDict:
    return {
        "token": "emulator-verification-token",
        "team_id": identity.team_id,
        "api_app_id": identity.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "is_ext_shared_channel": False,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": identity.team_id,
                "user_id": identity.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }


@dataclass(frozen=True, slots=True)
class Actor:
    """The person interacting, with the ids Slack issues for the interaction."""

    user_id: str
    user_name: str
    trigger_id: str
    response_url: str


def _interaction_base(identity: BotIdentity, kind: str, actor: Actor) -> JsonDict:
    return {
        "type": kind,
        "user": {
            "id": actor.user_id,
            "username": actor.user_name,
            "name": actor.user_name,
            "team_id": identity.team_id,
        },
        "api_app_id": identity.app_id,
        "token": "emulator-verification-token",
        "trigger_id": actor.trigger_id,
        "team": {"id": identity.team_id, "domain": identity.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def block_actions(
    identity: BotIdentity, actor: Actor, action: JsonDict, container: JsonDict, extra: JsonDict
) -> JsonDict:
    """`extra` carries the surface: `channel` + `message`, or `view`."""
    payload = _interaction_base(identity, "block_actions", actor)
    action = {"type": "button", "action_ts": f"{time.time():.6f}", **action}
    payload.update(container=container, response_url=actor.response_url, actions=[action])
    payload["state"] = {"values": {}}
    payload.update(extra)
    return payload


def view_submission(
    identity: BotIdentity, actor: Actor, view: JsonDict, values: dict[str, dict[str, JsonDict]]
) -> JsonDict:
    payload = _interaction_base(identity, "view_submission", actor)
    submitted = copy.deepcopy(view)
    submitted["state"] = {"values": copy.deepcopy(values)}
    payload.update(view=submitted, response_urls=[])
    return payload


def slash_fields(
    identity: BotIdentity, actor: Actor, command: str, text: str, channel: tuple[str, str]
) -> dict[str, Any]:
    channel_id, channel_name = channel
    return {
        "token": "emulator-verification-token",
        "team_id": identity.team_id,
        "team_domain": identity.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": actor.user_id,
        "user_name": actor.user_name,
        "command": command,
        "text": text,
        "api_app_id": identity.app_id,
        "is_enterprise_install": "false",
        "response_url": actor.response_url,
        "trigger_id": actor.trigger_id,
    }
