"""The Details modal: what the helpdesk's right-hand panel shows (chat details, contact,
timeline, history), with the contact editable by an agent with access.

Customer-provided values are escaped in mrkdwn and go raw into plain_text inputs (plain text is
not parsed by Slack).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bridge.domain.model import Contact, Conversation
from bridge.domain.views import ConversationDetails
from bridge.settings import Settings
from bridge.settings.directory import Directory
from channels.common import describe
from channels.common.lists import Act
from channels.common.texts import Texts
from channels.slack.modals import Callback, modal, text_input
from channels.slack.mrkdwn import clip, escape
from channels.slack.render import Block, button, context, header, section

TIMELINE_ITEMS = 25
HISTORY_ITEMS = 10
CUSTOM_FIELDS = 10
STANDARD = ("name", "email", "phone", "tags")


def view(
    d: ConversationDetails,
    t: Texts,
    directory: Directory,
    now: datetime,
    metadata: Mapping[str, Any],
) -> Block:
    c, settings = d.conversation, directory.settings
    blocks = [
        header(t("details.chat")),
        *_chat(d, t, directory, now),
        header(t("details.contact")),
        *_contact(d.contact, t),
        header(t("details.timeline")),
        _timeline(d, t, settings),
        header(t("details.history")),
        *_history(d.history, t, settings),
    ]
    title = t("card.title", number=c.number)
    return modal(Callback.DETAILS, title, blocks, t, submit=t("modal.save"), metadata=metadata)


def _facts(pairs: Sequence[tuple[str, str]]) -> list[Block]:
    fields = [
        {"type": "mrkdwn", "text": f"*{escape(label)}*\n{escape(clip(value, 1900))}"}
        for label, value in pairs
        if value
    ]
    return [{"type": "section", "fields": fields[i : i + 10]} for i in range(0, len(fields), 10)]


def _chat(d: ConversationDetails, t: Texts, directory: Directory, now: datetime) -> list[Block]:
    c, settings = d.conversation, directory.settings
    page = (d.visitor.page_title or d.visitor.page_url) if d.visitor else c.page_url
    pairs = [
        (t("card.state"), t(f"state.{c.state.value}")),
        (t("card.department"), settings.department_name(c.department_id)),
        (t("card.agent"), settings.agent_name(c.assignee)),
        (t("card.waited"), describe.minutes(_seconds(c.queued_at or c.created_at, c.claimed_at))),
        (t("details.service"), _service(c, now)),
        (t("details.channel"), c.channel.value),
        (t("card.page"), page),
        *directory.form_labels(c.form),
        (t("card.rating"), describe.stars(c.rating) if c.rating else ""),
        (t("card.reason"), c.close_reason),
    ]
    return _facts(pairs)


def _seconds(start: datetime | None, end: datetime | None) -> int:
    if start is None or end is None:
        return 0
    return max(0, int((end - start).total_seconds()))


def _service(c: Conversation, now: datetime) -> str:
    if c.claimed_at is None:
        return ""
    return describe.minutes(_seconds(c.claimed_at, c.closed_at or now))


def _contact(contact: Contact, t: Texts) -> list[Block]:
    blocks = [
        text_input("name", t("card.contact"), optional=True, max_length=120, initial=contact.name),
        text_input("email", t("card.email"), optional=True, max_length=200, initial=contact.email),
        text_input("phone", t("card.phone"), optional=True, max_length=40, initial=contact.phone),
        text_input(
            "tags", t("details.tags"), optional=True, max_length=600, initial=" ".join(contact.tags)
        ),
    ]
    for key, value in list(contact.fields.items())[:CUSTOM_FIELDS]:
        blocks.append(text_input(f"field:{key}", key, optional=True, max_length=500, initial=value))
    return blocks


def _timeline(d: ConversationDetails, t: Texts, settings: Settings) -> Block:
    rows = []
    for item in list(d.timeline)[-TIMELINE_ITEMS:]:
        said = describe.line(item, t, settings)
        text = f"{said.author}: {said.text}" if said.author else said.text
        rows.append(f"`{item.at:%H:%M}` {escape(clip(text, 110))}")
    return section("\n".join(rows) or escape(t("list.empty")))


def _history(past: Sequence[Conversation], t: Texts, settings: Settings) -> list[Block]:
    if not past:
        return [context(escape(t("list.empty")))]
    blocks = []
    for c in list(past)[:HISTORY_ITEMS]:
        when = f"{c.created_at:%Y-%m-%d}"
        dept = settings.department_name(c.department_id)
        summary = f"#{c.number} · {when} · {dept} · {t(f'state.{c.state.value}')}"
        block = section(escape(summary))
        block["accessory"] = button(Act.TRANSCRIPT, t("button.transcript"), c.id)
        blocks.append(block)
    return blocks


def contact_changes(values: Mapping[str, str]) -> dict[str, Any]:
    """The contact update from a submitted Details modal (see Contacts.update)."""
    fields = {k.removeprefix("field:"): v for k, v in values.items() if k.startswith("field:")}
    return {
        "name": values.get("name", ""),
        "email": values.get("email", ""),
        "phone": values.get("phone", ""),
        "tags": [tag.strip("#") for tag in values.get("tags", "").replace(",", " ").split()],
        "fields": fields,
    }


def error_block(field: str, values: Mapping[str, str]) -> str:
    """The input block an InvalidInput(field) belongs to (the name input when unknown)."""
    if field in STANDARD:
        return field
    return f"field:{field}" if f"field:{field}" in values else "name"
