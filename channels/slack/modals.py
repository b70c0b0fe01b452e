"""The small modals: transfer, close, first message of a chat, internal message, a notice.

Each input block's element has action id "value" (read back with payloads.state_value). Labels
and options are our own texts and config names: plain_text, so nothing to escape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bridge.domain.model import AgentActor
from bridge.domain.rules import Rules
from bridge.settings import Settings
from bridge.settings.rules import QuickReplySettings
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
    QUICK_REPLY = "quick_reply"


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
    block: str,
    label: str,
    options: Iterable[tuple[str, str]],
    *,
    optional: bool = False,
    descriptions: Mapping[str, str] | None = None,
) -> Block:
    """A static select of (value, name); `descriptions` adds a second line per value."""
    choices: list[Block] = []
    for value, name in list(options)[:100]:
        choice: Block = {"text": plain(name), "value": value}
        if descriptions and descriptions.get(value):
            choice["description"] = plain(descriptions[value])
        choices.append(choice)
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


def close(t: Texts, number: int, rules: Rules, metadata: Mapping[str, Any]) -> Block:
    """Confirm a close and ask for its reason: one of the department's close reasons (required
    when the rules say so), or free text when the department lists none."""
    reason: Block
    if rules.close_reasons:
        required = rules.close_reason_required
        label = t("modal.reason_required" if required else "modal.reason")
        options = [(r, r) for r in rules.close_reasons]
        reason = select("reason", label, options, optional=not required)
    else:
        reason = text_input("reason", t("modal.reason"), optional=True, max_length=200)
    blocks = [section(t("modal.close_confirm", number=number)), reason]
    title = t("modal.close", number=number)
    return modal(Callback.CLOSE, title, blocks, t, submit=t("button.close"), metadata=metadata)


def quick_reply(
    t: Texts, number: int, replies: Sequence[QuickReplySettings], metadata: Mapping[str, Any]
) -> Block:
    """Choose one of the department's quick replies; each shows its text (placeholders still
    unfilled) under its name."""
    options = [(r.name, r.name) for r in replies]
    descriptions = {r.name: r.text for r in replies}
    label = t("modal.quick_reply_pick", number=number)
    pick = select("reply", label, options, descriptions=descriptions)
    return modal(
        Callback.QUICK_REPLY,
        t("modal.quick_reply"),
        [pick],
        t,
        submit=t("modal.send"),
        metadata=metadata,
    )


def first_message(callback: str, name: str, t: Texts, metadata: Mapping[str, Any]) -> Block:
    """Start a chat with a contact or a lead: what to write first."""
    blocks = [text_input("text", t("modal.first_message", name=name), multiline=True)]
    return modal(callback, t("modal.start"), blocks, t, submit=t("modal.send"), metadata=metadata)


def internal(name: str, t: Texts, metadata: Mapping[str, Any]) -> Block:
    blocks = [text_input("text", t("modal.message_to", name=name), multiline=True)]
    title = t("modal.internal", name=name)
    return modal(Callback.INTERNAL, title, blocks, t, submit=t("modal.send"), metadata=metadata)
