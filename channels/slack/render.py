"""What Ponte posts in a conversation's thread: the root card, timeline lines, transcripts.

Every value that came from a customer (names, e-mail, page, form answers, messages) or from
another agent channel is escaped here; labels come from our own catalog. Card values are
clipped before escaping, so a cut never splits an entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.model import Attachment, ConversationState
from bridge.domain.views import ConversationCard
from bridge.settings import Settings
from bridge.settings.models import DepartmentSettings
from channels.common import describe
from channels.common.lists import Act
from channels.common.texts import Texts
from channels.slack.mrkdwn import clip, escape, link

Block = dict[str, Any]

FIELD_CHARS = 1900  # a section field holds 2000
HEADER_CHARS = 150
CHUNK_CHARS = 3500  # one thread message of a transcript (Slack advises under 4000)
FIELDS_PER_SECTION = 10
DEFAULT_ZONE = str(DepartmentSettings.model_fields["timezone"].default)  # defaults live there


def header(text: str) -> Block:
    plain = {"type": "plain_text", "text": clip(text, HEADER_CHARS), "emoji": True}
    return {"type": "header", "text": plain}


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def button(action: str, label: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action,
        "text": {"type": "plain_text", "text": clip(label, 75), "emoji": True},
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def actions(elements: Sequence[Block], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


# -- the root card ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """The thread a conversation was transferred from, linked from its new root."""

    department: str
    permalink: str

    def encode(self) -> str:
        return f"{self.permalink}\n{self.department}"

    @classmethod
    def decode(cls, value: str | None) -> Origin | None:
        if not value:
            return None
        permalink, _, department = value.partition("\n")
        return cls(department, permalink)


def card(
    card: ConversationCard, t: Texts, *, origin: Origin | None = None, reserved: str = ""
) -> tuple[str, list[Block]]:
    """Fallback text and blocks of a conversation's root message; `reserved` is the
    reservation note (see `reservation`), empty when there is none."""
    c, contact = card.conversation, card.contact
    title = t("card.title", number=c.number)
    facts = describe.card_facts(card, t)
    fields = [
        {"type": "mrkdwn", "text": f"*{escape(f.label)}*\n{escape(clip(f.value, FIELD_CHARS))}"}
        for f in facts
    ]
    blocks = [header(f"{title} · {contact.display_name}")]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]})
    notes = _card_notes(card, t, origin)
    if reserved:
        notes.insert(0, escape(reserved))
    if notes:
        blocks.append(context(" · ".join(notes)))
    blocks.append(actions(_card_buttons(card, t), block_id=f"card:{c.id}"))
    state = t(f"state.{c.state.value}")
    text = f"{escape(title)}: {escape(clip(contact.display_name, 200))} — {escape(state)}"
    return text, blocks


def _card_notes(card: ConversationCard, t: Texts, origin: Origin | None) -> list[str]:
    notes = []
    if origin is not None:
        moved_from = escape(t("card.from", department=origin.department))
        notes.append(f"{moved_from} {link(origin.permalink, t('card.earlier'))}")
    if card.moved_to:
        notes.append("→ " + escape(t("card.moved", department=card.moved_to)))
    return notes


def reservation(card: ConversationCard, t: Texts, settings: Settings) -> str:
    """ "Reserved for Ana until 10:32" while a waiting conversation is offered first to the agent
    who served the contact before (the time in the department's zone); else empty."""
    c = card.conversation
    now = card.now
    if c.state is not ConversationState.QUEUED or now is None or c.reserved_until is None:
        return ""
    agent = c.reserved_at(now)
    if agent is None:
        return ""
    until = local_time(c.reserved_until, settings, card.department_id or c.department_id)
    return t("card.reserved_until", agent=settings.agent_name(agent), until=until)


def local_time(moment: datetime, settings: Settings, department: str | None) -> str:
    """HH:MM in the department's time zone (the global default zone when unknown)."""
    found = settings.department(department) if department else None
    zone = ZoneInfo(found.timezone if found else DEFAULT_ZONE)
    return moment.astimezone(zone).strftime("%H:%M")


def _card_buttons(card: ConversationCard, t: Texts) -> list[Block]:
    cid, state = card.conversation.id, card.conversation.state
    peek = button(Act.PEEK, t("button.peek"), cid)
    details = button(Act.DETAILS, t("button.details"), cid)
    if card.moved_to or state is ConversationState.CLOSED:
        return [peek, details]
    manage = [
        button(Act.TRANSFER, t("button.transfer"), cid),
        button(Act.CLOSE, t("button.close"), cid, "danger"),
    ]
    if state is ConversationState.QUEUED:
        return [button(Act.CLAIM, t("button.claim"), cid, "primary"), peek, *manage, details]
    return [peek, *manage, details]


# -- thread lines -------------------------------------------------------------------------------


def line(item: TimelineItem, t: Texts, settings: Settings) -> str:
    """One timeline item as a thread reply (mrkdwn)."""
    ln = _rules_line(item, t, settings) or describe.line(item, t, settings)
    body = escape(ln.text)
    if ln.system:
        text = f"_{body}_" if body else ""
    elif ln.author:
        text = f"*{escape(ln.author)}*: {body}" if body else f"*{escape(ln.author)}*"
    else:
        text = body
    if ln.internal:
        text = "🔒 " + text
    files = [attachment_line(a) for a in item.attachments]
    return "\n".join(part for part in (text, *files) if part)


def _rules_line(item: TimelineItem, t: Texts, settings: Settings) -> describe.Line | None:
    """Lines of the service rules worded for a thread everyone reads: an automatic assignment,
    and a reservation for the last agent (describe words that one for the agent, as "you")."""
    d = item.data
    agent = d.get("agent_name") or settings.agent_name(d.get("agent"))
    if item.kind is EventKind.CLAIMED and d.get("automatic") == "1":
        return describe.Line("", t("event.assigned", agent=agent), system=True)
    if item.kind is EventKind.RESERVED:
        text = t("event.reserved", agent=agent, minutes=d.get("minutes", "?"))
        return describe.Line("", text, system=True)
    return None


def attachment_line(a: Attachment) -> str:
    return f"📎 {escape(a.name)} ({size(a.size)})"


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def edited(item: TimelineItem, t: Texts, settings: Settings) -> str:
    """Our copy of a message after its author edited or deleted it elsewhere."""
    if item.kind is EventKind.DELETED:
        return "~" + escape(item.actor.name or item.actor.id) + "~ _" + t("event.deleted") + "_"
    shown = line(_as_message(item), t, settings)
    return f"{shown} _{escape(t('event.edited'))}_"


def _as_message(item: TimelineItem) -> TimelineItem:
    kind = EventKind.NOTE if item.internal else EventKind.MESSAGE
    return TimelineItem(item.id, kind, item.at, item.actor, item.text, item.attachments)


def transcript(
    items: Iterable[TimelineItem], t: Texts, settings: Settings, title: str
) -> list[str]:
    """Items as thread messages of at most CHUNK_CHARS each, the title on the first; none when
    no item shows. A line longer than a chunk is cut (it is already escaped: the cut may show
    a partial entity as text, never markup)."""
    lines = [text for item in items if (text := line(item, t, settings))]
    if not lines:
        return []
    chunks, current = [], f"*{escape(title)}*"
    for text in lines:
        text = clip(text, CHUNK_CHARS)
        if len(current) + 1 + len(text) > CHUNK_CHARS:
            chunks.append(current)
            current = text
        else:
            current = f"{current}\n{text}"
    chunks.append(current)
    return chunks
