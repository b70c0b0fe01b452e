"""Value types shared by the Slack emulator modules: what was called, what was delivered."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JsonDict = dict[str, Any]


class ApiError(Exception):
    """A Slack Web API application error, answered as HTTP 200 `{"ok": false, "error": code}`."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the emulated app is, and the secrets it is configured with."""

    signing_secret: str
    bot_token: str
    app_token: str
    team_id: str
    bot_user_id: str
    bot_id: str
    app_id: str = "A0001"
    team_domain: str = "acme"
    team_name: str = "Acme"
    bot_name: str = "ponte"

    def bot_profile(self) -> JsonDict:
        return {
            "id": self.bot_id,
            "app_id": self.app_id,
            "name": self.bot_name,
            "deleted": False,
            "team_id": self.team_id,
            "icons": {"image_48": "https://a.slack-edge.com/bot_48.png"},
        }


@dataclass(frozen=True, slots=True)
class Reply:
    """One Web API answer plus the message events it causes (delivered to the app as echoes)."""

    body: JsonDict
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    echoes: tuple[JsonDict, ...] = ()


def error_reply(code: str, **extra: Any) -> Reply:
    return Reply({"ok": False, "error": code, **extra})


@dataclass(frozen=True, slots=True)
class Call:
    """One recorded request to the emulator. `params` merges query, form and JSON body, with
    `blocks`, `view`, `files`, `attachments` and `metadata` decoded from JSON strings."""

    method: str
    params: JsonDict
    headers: Mapping[str, str]
    status: int
    reply: JsonDict


@dataclass(frozen=True, slots=True)
class Delivery:
    """The app's answer to something the emulator sent it (HTTP response or Socket Mode ack)."""

    status: int
    body: str
    headers: Mapping[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class Kind(StrEnum):
    """How a payload travels: the Socket Mode envelope type, which also fixes the HTTP encoding."""

    EVENTS_API = "events_api"
    INTERACTIVE = "interactive"
    SLASH_COMMANDS = "slash_commands"


@dataclass(frozen=True, slots=True)
class Outbound:
    """One payload the emulator sent to the app, with its outcome (`delivery` or `error`)."""

    kind: Kind
    payload: JsonDict
    background: bool
    delivery: Delivery | None = None
    error: str | None = None
