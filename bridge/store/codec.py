"""Domain values <-> Redis fields. JSON for nested values, never pickle; times as epoch ms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.ids import (
    AgentId,
    ContactId,
    ConversationId,
    DepartmentId,
    EventId,
    VisitorId,
)
from bridge.domain.model import (
    ActorRef,
    Attachment,
    ChannelKind,
    Contact,
    Conversation,
    ConversationState,
    Visitor,
)

VERSION = "1"


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: str | int | None) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _req_ms(value: str | int | None) -> datetime:
    moment = from_ms(value)
    return moment if moment is not None else datetime.fromtimestamp(0, tz=UTC)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- conversations ---------------------------------------------------------------------------


def conversation_fields(c: Conversation) -> dict[str, str]:
    """The hash written when a conversation is created."""
    return {
        "v": VERSION,
        "id": c.id,
        "n": str(c.number),
        "contact": c.contact_id,
        "visitor": c.visitor_id or "",
        "state": c.state.value,
        "dept": c.department_id or "",
        "assignee": c.assignee or "",
        "created": str(to_ms(c.created_at)),
        "channel": c.channel.value,
        "step": c.flow_step,
        "form": dumps(dict(c.form)),
        "prev": c.previous_id or "",
        "page": c.page_url,
        "offline": "1" if c.offline_message else "",
    }


def conversation_from(fields: Mapping[str, str]) -> Conversation:
    rating = fields.get("rating", "")
    return Conversation(
        id=ConversationId(fields["id"]),
        number=int(fields.get("n", "0") or 0),
        contact_id=ContactId(fields.get("contact", "")),
        visitor_id=VisitorId(fields["visitor"]) if fields.get("visitor") else None,
        state=ConversationState(fields["state"]),
        department_id=DepartmentId(fields["dept"]) if fields.get("dept") else None,
        assignee=AgentId(fields["assignee"]) if fields.get("assignee") else None,
        created_at=_req_ms(fields.get("created")),
        channel=ChannelKind(fields.get("channel") or "widget"),
        flow_step=fields.get("step", ""),
        form=json.loads(fields.get("form") or "{}"),
        queued_at=from_ms(fields.get("queued")),
        claimed_at=from_ms(fields.get("claimed")),
        first_response_at=from_ms(fields.get("first_resp")),
        closed_at=from_ms(fields.get("closed")),
        closed_by=fields.get("closed_by", ""),
        close_reason=fields.get("reason", ""),
        rating=int(rating) if rating else None,
        rating_comment=fields.get("rating_comment", ""),
        previous_id=ConversationId(fields["prev"]) if fields.get("prev") else None,
        last_customer_at=from_ms(fields.get("last_cust")),
        page_url=fields.get("page", ""),
        offline_message=fields.get("offline") == "1",
        last_event_id=EventId(fields["last_eid"]) if fields.get("last_eid") else None,
        reserved_for=AgentId(fields["reserved"]) if fields.get("reserved") else None,
        reserved_until=from_ms(fields.get("reserved_until")),
        reopened=int(fields.get("reopened", "0") or 0),
        warned_at=from_ms(fields.get("warned")),
    )


# -- timeline events ---------------------------------------------------------------------------


def event_json(
    kind: EventKind,
    at: datetime,
    actor: ActorRef,
    *,
    text: str = "",
    attachments: tuple[Attachment, ...] = (),
    data: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> str:
    body: dict[str, Any] = {"k": kind.value, "at": to_ms(at), "ac": actor.to_json()}
    if text:
        body["tx"] = text
    if attachments:
        body["att"] = [a.to_json() for a in attachments]
    if data:
        body["d"] = dict(data)
    if form:
        body["f"] = dict(form)
    return dumps(body)


def event_from(event_id: str, raw: str) -> TimelineItem:
    body = json.loads(raw)
    return TimelineItem(
        id=EventId(event_id),
        kind=EventKind(body["k"]),
        at=_req_ms(body.get("at")),
        actor=ActorRef.from_json(body.get("ac") or {"a": "system"}),
        text=body.get("tx", ""),
        attachments=tuple(Attachment.from_json(a) for a in body.get("att", ())),
        data={str(k): str(v) for k, v in (body.get("d") or {}).items()},
        form={str(k): str(v) for k, v in (body.get("f") or {}).items()},
    )


# -- contacts and visitors --------------------------------------------------------------------


def contact_fields(c: Contact) -> dict[str, str]:
    return {
        "v": VERSION,
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "fields": dumps(dict(c.fields)),
        "tags": dumps(list(c.tags)),
        "ids": dumps(dict(c.identities)),
        "created": str(to_ms(c.created_at)) if c.created_at else "",
    }


def contact_from(fields: Mapping[str, str]) -> Contact:
    return Contact(
        id=ContactId(fields["id"]),
        name=fields.get("name", ""),
        email=fields.get("email", ""),
        phone=fields.get("phone", ""),
        fields=json.loads(fields.get("fields") or "{}"),
        tags=tuple(json.loads(fields.get("tags") or "[]")),
        identities=json.loads(fields.get("ids") or "{}"),
        created_at=from_ms(fields.get("created")),
    )


def visitor_from(fields: Mapping[str, str], online: bool) -> Visitor:
    return Visitor(
        id=VisitorId(fields["id"]),
        contact_id=ContactId(fields["contact"]) if fields.get("contact") else None,
        first_seen=_req_ms(fields.get("first")),
        last_seen=_req_ms(fields.get("last")),
        page_url=fields.get("url", ""),
        page_title=fields.get("title", ""),
        referrer=fields.get("ref", ""),
        pages_viewed=int(fields.get("pages", "0") or 0),
        conversation_id=ConversationId(fields["conv"]) if fields.get("conv") else None,
        online=online,
        chatting=bool(fields.get("open")),
    )
