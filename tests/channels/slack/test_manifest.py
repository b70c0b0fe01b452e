"""The app manifest asks Slack for what the adapter uses: its events, command and scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bridge.settings import SlackSettings
from channels.slack.quick import SHORTCUT

MANIFEST = Path(__file__).parents[3] / "config" / "slack-manifest.yaml"


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_the_manifest_subscribes_to_what_the_listeners_handle() -> None:
    settings = manifest()["settings"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert events == {"message.channels", "message.groups", "message.im", "app_home_opened"}
    (command,) = manifest()["features"]["slash_commands"]
    assert command["command"] == SlackSettings().command
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        command["url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest()["features"]["app_home"]["home_tab_enabled"] is True


def test_the_manifest_asks_for_the_scopes_the_adapter_calls_need() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    needed = {
        "chat:write",  # chat.postMessage, chat.update, chat.postEphemeral
        "channels:join",  # conversations.join
        "channels:history",  # message.channels, conversations.replies
        "groups:history",  # message.groups
        "im:history",  # message.im
        "files:read",  # url_private_download
        "files:write",  # files.getUploadURLExternal / completeUploadExternal
        "reactions:write",  # reactions.add
        "users:read",  # users.info
        "commands",
    }
    assert needed <= scopes


def test_the_manifest_declares_the_quick_reply_message_shortcut() -> None:
    (shortcut,) = manifest()["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", SHORTCUT)
    assert len(shortcut["name"]) <= 25  # Slack's limits
    assert len(shortcut["description"]) <= 80
    (command,) = manifest()["features"]["slash_commands"]
    for word in ("stats", "status", "reply"):
        assert word in command["usage_hint"]
