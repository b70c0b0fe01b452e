"""How conversations read in Telegram: the topic name, the header card and timeline lines, as
HTML built from the channel-neutral descriptions in channels.common.describe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.model import Author, ConversationState
from bridge.domain.views import ConversationCard
from bridge.settings import Settings
from channels.common.describe import Line, card_facts, line
from channels.common.texts import Texts
from channels.telegram.html import (
    TEXT_LIMIT,
    Html,
    bold,
    clip,
    italic,
    join,
    pack,
    pieces,
    text,
)

TOPIC_NAME_LIMIT = 128
FACT_LIMIT = 300
EDIT_LIMIT = 3800  # an edited copy is one message: the rest of a longer text is cut


def topic_name(card: ConversationCard) -> str:
    """ "customer · #number", within Telegram's 128 characters."""
    suffix = f" · #{card.conversation.number}"
    name = card.contact.display_name.replace("\n", " ").strip() or "—"
    return clip(name, TOPIC_NAME_LIMIT - len(suffix)) + suffix


def card_html(card: ConversationCard, t: Texts, settings: Settings) -> Html:
    title = bold(t("card.title", number=card.conversation.number))
    facts = [
        bold(f"{fact.label}:") + text(" " + clip(fact.value, FACT_LIMIT))
        for fact in card_facts(card, t)
    ]
    reserved = _reserved(card, t, settings)
    return join([title, *facts, *([italic(reserved)] if reserved else [])])


def _reserved(card: ConversationCard, t: Texts, settings: Settings) -> str:
    """ "🔖 Reserved for Bruno until 14:35" while a waiting conversation is reserved for the
    agent who served the customer last. The card is not edited when the time passes, so it
    says until when."""
    c = card.conversation
    holder = c.reserved_at(card.now) if card.now else None
    if c.state is not ConversationState.QUEUED or holder is None or c.reserved_until is None:
        return ""
    found = settings.department(c.department_id) if c.department_id else None
    zone = ZoneInfo(found.timezone) if found else UTC
    until = c.reserved_until.astimezone(zone).strftime("%H:%M")
    return t("card.reserved_until", agent=settings.agent_name(holder), until=until)


def thread_line(item: TimelineItem, t: Texts, settings: Settings, contact_name: str) -> Line:
    """describe.line, with the customer's name instead of the word "Contact", and the lines
    the whole team reads in a topic for an automatic assignment and a reservation (describe
    words the reservation for the agent it is reserved for)."""
    d = item.data
    if item.kind is EventKind.CLAIMED and d.get("automatic"):
        return Line(
            "", t("event.assigned", agent=d.get("agent_name") or d.get("agent")), system=True
        )
    if item.kind is EventKind.RESERVED and d.get("agent"):
        agent = d.get("agent_name") or d["agent"]
        return Line(
            "", t("event.reserved", agent=agent, minutes=d.get("minutes", "?")), system=True
        )
    described = line(item, t, settings)
    if item.kind is EventKind.MESSAGE and item.actor.author is Author.CUSTOMER:
        return Line(contact_name or described.author, described.text)
    return described


def line_messages(described: Line, limit: int = TEXT_LIMIT) -> list[Html]:
    """One thread line as HTML messages: notes marked 🔒, system lines in italics."""
    if described.system:
        lock = text("🔒 ") if described.internal else Html()
        return pieces(lock, described.text, limit, style="i")
    icon = "🔒 " if described.internal else ""
    head = text(icon) + bold(described.author) + text(": " if described.text else "")
    return pieces(head, described.text, limit)


def item_messages(
    item: TimelineItem, t: Texts, settings: Settings, contact_name: str, limit: int = TEXT_LIMIT
) -> list[Html]:
    """A timeline item as the messages that show it in a topic (without its files)."""
    return line_messages(thread_line(item, t, settings, contact_name), limit)


def edited_html(item: TimelineItem, t: Texts) -> Html:
    """Our copy of a message after its author edited (new text) or deleted it."""
    author = item.actor.name or item.actor.id
    icon = text("🔒 ") if item.data.get("internal") == "1" else Html()
    if item.kind is EventKind.DELETED:
        return icon + bold(author) + text(" ") + italic(t("event.deleted"))
    body = clip(item.text, EDIT_LIMIT)
    return icon + bold(author) + text(": " + body + " ") + italic(t("event.edited"))


def transcript(
    title: str,
    items: Sequence[TimelineItem],
    t: Texts,
    settings: Settings,
    contact_name: str,
) -> list[Html]:
    """A run of timeline items as few messages as possible, under a bold title."""
    parts = [bold(title)]
    for item in items:
        parts += item_messages(item, t, settings, contact_name)
        parts += [text(f"📎 {a.name}") for a in item.attachments]
    return pack(parts)
