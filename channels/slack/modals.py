"""The small modals: transfer, close, first message of a chat, internal message, a notice.

Each input block's element has action id "value" (read back with payloads.state_value). Labels
and options are our own texts and config names: plain_text, so nothing to escape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bridge.domain.model import AgentActor
from bridge.settings import Settings
from channels.common.texts import Texts
from channels.slack.mrkdwn import clip
from channels.slack.render import Block, section


class Callback:
    """callback_id of each modal: one view listener each."""

    TRANSFER = "transfer"
    CLOSE = "close"
    DETAILS = "details"
    START_CONTACT = "start_contact"
    START_LEAD = "start_lead"
    INTERNAL = "internal"
    NOTICE = "notice"


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def modal(
    callback: str,
    title: str,
    blocks: list[Block],
    t: Texts,
    *,
    submit: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback,
        "title": plain(title, 24),
        "close": plain(t("modal.cancel"), 24),
        "blocks": blocks[:100],
        "private_metadata": json.dumps(metadata or {}, separators=(",", ":")),
    }
    if submit:
        view["submit"] = plain(submit, 24)
    return view


def text_input(
    block: str,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = False,
    max_length: int = 3000,
    initial: str = "",
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": plain(label, 2000),
        "element": element,
    }


def select(
    block: str, label: str, options: Iterable[tuple[str, str]], *, optional: bool = False
) -> Block:
    choices = [{"text": plain(name), "value": value} for value, name in options][:100]
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": plain(label, 2000),
        "element": {"type": "static_select", "action_id": "value", "options": choices},
    }


def notice(text: str, t: Texts) -> Block:
    """A modal that only says something (an action refused before anything opened)."""
    return modal(Callback.NOTICE, "Ponte", [section(text)], t)


def transfer(
    settings: Settings, t: Texts, number: int, me: AgentActor, metadata: Mapping[str, Any]
) -> Block:
    departments = [(d.id, d.name) for d in settings.departments]
    agents = [(a.id, a.name) for a in settings.agents if a.id != me.id]
    blocks = [
        select("department", t("modal.department"), departments, optional=True),
        select("agent", t("modal.agent"), agents, optional=True),
        text_input("note", t("modal.note"), optional=True, multiline=True, max_length=1000),
    ]
    title = t("modal.transfer", number=number)
    return modal(
        Callback.TRANSFER, title, blocks, t, submit=t("button.transfer"), metadata=metadata
    )


def close(t: Texts, number: int, metadata: Mapping[str, Any]) -> Block:
    blocks = [
        section(t("modal.close_confirm", number=number)),
        text_input("reason", t("modal.reason"), optional=True, max_length=200),
    ]
    title = t("modal.close", number=number)
    return modal(Callback.CLOSE, title, blocks, t, submit=t("button.close"), metadata=metadata)


def first_message(callback: str, name: str, t: Texts, metadata: Mapping[str, Any]) -> Block:
    """Start a chat with a contact or a lead: what to write first."""
    blocks = [text_input("text", t("modal.first_message", name=name), multiline=True)]
    return modal(callback, t("modal.start"), blocks, t, submit=t("modal.send"), metadata=metadata)


def internal(name: str, t: Texts, metadata: Mapping[str, Any]) -> Block:
    blocks = [text_input("text", t("modal.message_to", name=name), multiline=True)]
    title = t("modal.internal", name=name)
    return modal(Callback.INTERNAL, title, blocks, t, submit=t("modal.send"), metadata=metadata)
