"""Channel-neutral words for timeline items and cards. Plain text: vendors escape it."""

from __future__ import annotations

from dataclasses import dataclass

from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.model import Author
from bridge.domain.views import ConversationCard
from bridge.settings import Settings
from channels.common.texts import Texts


@dataclass(frozen=True, slots=True)
class Line:
    """One thread line: who speaks (empty for system lines) and the text."""

    author: str
    text: str
    internal: bool = False
    system: bool = False


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def line(item: TimelineItem, t: Texts, settings: Settings) -> Line:
    """How a timeline item reads in a thread."""
    actor = item.actor.name or item.actor.id
    d = item.data
    match item.kind:
        case EventKind.RESERVED:  # the thread line, read by the whole team
            who = d.get("agent_name") or d.get("agent", "")
            return _system(t("event.reserved", agent=who, minutes=d.get("minutes", "?")))
        case EventKind.MESSAGE if d.get("notice"):
            return _system(notice_text(item, t, settings))
        case EventKind.REOPENED:
            agent = d.get("agent_name")
            return _system(t("event.reopened_agent", agent=agent) if agent else t("event.reopened"))
        case EventKind.MESSAGE if item.actor.author is Author.SYSTEM and d.get("delivery_failed"):
            text = t(
                "event.delivery_failed", channel=d.get("channel", ""), reason=d.get("reason", "")
            )
            return Line("", text, internal=item.internal, system=True)
        case EventKind.MESSAGE:
            who = {Author.CUSTOMER: t("card.contact"), Author.BOT: "Bot"}.get(
                item.actor.author, actor
            )
            return Line(who, item.text)
        case EventKind.NOTE:
            return Line(t("event.note", actor=actor), item.text, internal=True)
        case _:
            return _system(_event_text(item, t, settings, actor))


def _event_text(item: TimelineItem, t: Texts, settings: Settings, actor: str) -> str:
    """The text of a system line (a change of the conversation, not a message)."""
    d = item.data
    match item.kind:
        case EventKind.CLAIMED if d.get("automatic"):
            return t("event.assigned", agent=d.get("agent_name") or actor)
        case EventKind.CLAIMED:
            return t("event.claimed", agent=d.get("agent_name") or actor)
        case EventKind.TRANSFERRED:
            return _transferred(item, t, settings, actor)
        case EventKind.CLOSED:
            reason = d.get("reason")
            key = "event.closed_reason" if reason else "event.closed"
            return t(
                key,
                actor=actor if d.get("by") != "customer" else t("card.contact"),
                reason=reason,
            )
        case EventKind.RATED:
            rating = int(d.get("rating", "0") or 0)
            text = t("event.rated", stars=stars(rating)) + (f": {item.text}" if item.text else "")
            return text
        case EventKind.QUEUED:
            return t("event.queued", department=settings.department_name(d.get("department")))
        case EventKind.FORM_SUBMITTED:
            return t("event.form") + ": " + ", ".join(f"{k}: {v}" for k, v in item.form.items())
        case _:
            return item.kind.value.replace("_", " ")


def notice_text(item: TimelineItem, t: Texts, settings: Settings) -> str:
    """A notice from Ponte itself (data["notice"]): a waiting alert, a reservation, a warning."""
    d = item.data
    department = settings.department_name(d.get("department"))
    match d.get("notice"):
        case "waiting":
            waited = minutes(int(d.get("waited_seconds", "0") or 0))
            return t(
                "notice.waiting",
                waiting=d.get("waiting", "?"),
                department=department,
                minutes=waited,
            )
        case "reserved":
            return t(
                "notice.reserved",
                number=d.get("number", "?"),
                department=department,
                minutes=d.get("minutes", "?"),
            )
        case "inactivity_warning":
            return t("notice.inactivity_warning")
        case _:
            return item.text or str(d.get("notice", ""))


def _system(text: str) -> Line:
    return Line("", text, system=True)


def _transferred(item: TimelineItem, t: Texts, settings: Settings, actor: str) -> str:
    d = item.data
    if d.get("agent"):
        text = t("event.transferred_agent", actor=actor, agent=d.get("agent_name") or d["agent"])
    else:
        text = t(
            "event.transferred_department",
            actor=actor,
            department=settings.department_name(d.get("department")),
        )
    return text + (f" — {item.text}" if item.text else "")


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


def card_facts(card: ConversationCard, t: Texts) -> list[Fact]:
    """What the root message shows, in order; empty values left out."""
    c, contact = card.conversation, card.contact
    state = t(f"state.{c.state.value}")
    if card.assignee_name and c.state.value == "in_service":
        state += f" — {card.assignee_name}"
    facts = [
        Fact(t("card.contact"), contact.display_name),
        Fact(t("card.email"), contact.email),
        Fact(t("card.phone"), contact.phone),
        Fact(t("card.department"), card.department_name),
        Fact(t("card.state"), state),
        Fact(t("card.page"), card.page_title or card.page_url),
        Fact(t("card.waited"), minutes(card.waited_seconds)),
    ]
    facts += [
        Fact(label, value)
        for label, value in card.form
        if label.lower() not in ("name", "nome", "e-mail", "email")
    ]
    if c.offline_message:
        facts.append(Fact(t("card.offline"), "✓"))
    if c.rating:
        facts.append(Fact(t("card.rating"), stars(c.rating)))
    if c.close_reason:
        facts.append(Fact(t("card.reason"), c.close_reason))
    if card.moved_to:
        facts.append(Fact(t("card.state"), t("card.moved", department=card.moved_to)))
    return [f for f in facts if f.value]


def minutes(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
