"""The agent commands both channels offer (`/ponte queue`, `/queue`, …) and their filters."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum

from bridge.core.leads import LeadFilter
from bridge.core.queries import ChatFilter, HistoryFilter
from bridge.domain.errors import InvalidInput
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ChannelKind


class Name(StrEnum):
    QUEUE = "queue"
    CHATS = "chats"
    AUTO = "auto"
    CONTACTS = "contacts"
    AGENTS = "agents"
    HISTORY = "history"
    LEADS = "leads"
    STATS = "stats"
    STATUS = "status"  # status online|away|offline
    REPLY = "reply"  # reply <quick reply name> [#conversation number]
    HELP = "help"


ALIASES = {
    "fila": Name.QUEUE,
    "estatisticas": Name.STATS,
    "relatorio": Name.STATS,
    "r": Name.REPLY,
    "atendimentos": Name.CHATS,
    "automatico": Name.AUTO,
    "contatos": Name.CONTACTS,
    "agentes": Name.AGENTS,
    "historico": Name.HISTORY,
}


@dataclass(frozen=True, slots=True)
class Command:
    name: Name
    filters: dict[str, str] = field(default_factory=dict)  # key:value words
    text: str = ""  # everything else, joined


def parse(text: str) -> Command:
    """'history dept:vendas since:2026-11-01 tênis azul' -> Command(HISTORY, {...}, 'tênis azul').
    Raises InvalidInput for an unknown command or unbalanced quotes."""
    try:
        words = shlex.split(text.strip())
    except ValueError:
        raise InvalidInput("command", "unbalanced quotes") from None
    if not words:
        return Command(Name.HELP)
    head = words[0].lower().lstrip("/")
    name = ALIASES.get(head) or _name(head)
    filters, rest = {}, []
    for word in words[1:]:
        key, sep, value = word.partition(":")
        if sep and key.lower() in FILTER_KEYS and value:
            filters[key.lower()] = value
        else:
            rest.append(word)
    return Command(name, filters, " ".join(rest))


def _name(head: str) -> Name:
    try:
        return Name(head)
    except ValueError:
        raise InvalidInput("command", f"unknown command {head!r}") from None


FILTER_KEYS = {"dept", "agent", "tag", "channel", "since", "until", "page", "min", "chat", "reason"}


def chat_filter(cmd: Command) -> ChatFilter:
    f = cmd.filters
    return ChatFilter(
        department=DepartmentId(f["dept"]) if "dept" in f else None,
        agent=AgentId(f["agent"]) if "agent" in f else None,
        channel=_channel(f["channel"]) if "channel" in f else None,
        tag=f.get("tag", ""),
        text=cmd.text,
    )


def history_filter(cmd: Command) -> HistoryFilter:
    f = cmd.filters
    return HistoryFilter(
        since=_date(f["since"], time.min) if "since" in f else None,
        until=_date(f["until"], time.max) if "until" in f else None,
        department=DepartmentId(f["dept"]) if "dept" in f else None,
        agent=AgentId(f["agent"]) if "agent" in f else None,
        reason=f.get("reason", "").replace("_", " "),
        text=cmd.text,
    )


def lead_filter(cmd: Command) -> LeadFilter:
    f = cmd.filters
    chat = f.get("chat", "").lower()
    if chat not in ("", "yes", "no", "sim", "nao", "não"):
        raise InvalidInput("chat", "chat: takes yes or no")
    minutes = f.get("min", "0")
    if not minutes.isdigit():
        raise InvalidInput("min", "min: takes a number of minutes")
    return LeadFilter(
        page=f.get("page", cmd.text),
        min_seconds=int(minutes) * 60,
        has_chat=None if not chat else chat in ("yes", "sim"),
    )


def _date(value: str, at: time) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput("date", f"dates are written YYYY-MM-DD, not {value!r}") from None
    return datetime.combine(day, at, tzinfo=UTC)


def _channel(value: str) -> ChannelKind:
    try:
        return ChannelKind(value.lower())
    except ValueError:
        raise InvalidInput("channel", f"unknown channel {value!r}") from None
