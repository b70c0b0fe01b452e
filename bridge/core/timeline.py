"""Builds the events the store appends, stamped with the clock's time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bridge.domain.events import EventKind
from bridge.domain.model import ActorRef, Attachment
from bridge.store.codec import event_json
from bridge.store.scripts import EventSpec

LOG_ONLY = ""
TO_THREAD = "post:*"  # delivered to the department's agent channels (not in the automatic stage)
OPEN_THREAD = "open:*"
CLOSE_THREAD = "close:*"


def event(
    kind: EventKind,
    at: datetime,
    actor: ActorRef,
    routing: str = LOG_ONLY,
    *,
    text: str = "",
    attachments: tuple[Attachment, ...] = (),
    data: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> EventSpec:
    body = event_json(kind, at, actor, text=text, attachments=attachments, data=data, form=form)
    return EventSpec(body, kind, routing)


def moved(old: str | None, new: str) -> str:
    """Routing of a transfer: the old thread learns where it went; the new department opens one."""
    if not old:
        return f"open:{new}"
    if old == new:
        return TO_THREAD
    return f"moved:{old},open:{new}"
