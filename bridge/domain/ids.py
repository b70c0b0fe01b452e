"""Typed identifiers. Ids end up inside Redis keys, so every id from outside is parsed first."""

from __future__ import annotations

import re
import secrets
from typing import NewType

from bridge.domain.errors import InvalidInput

ConversationId = NewType("ConversationId", str)
ContactId = NewType("ContactId", str)
VisitorId = NewType("VisitorId", str)
AgentId = NewType("AgentId", str)
DepartmentId = NewType("DepartmentId", str)
EventId = NewType("EventId", str)
AttachmentId = NewType("AttachmentId", str)

_RANDOM = r"[A-Za-z0-9_-]{22}"
_CONVERSATION = re.compile(rf"c_{_RANDOM}")
_CONTACT = re.compile(rf"k_{_RANDOM}")
_VISITOR = re.compile(rf"v_{_RANDOM}")
_ATTACHMENT = re.compile(rf"a_{_RANDOM}")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_EVENT = re.compile(r"\d{1,20}-\d{1,20}")


def _random() -> str:
    return secrets.token_urlsafe(16)  # 128 bits, 22 url-safe characters


def new_conversation_id() -> ConversationId:
    return ConversationId("c_" + _random())


def new_contact_id() -> ContactId:
    return ContactId("k_" + _random())


def new_visitor_id() -> VisitorId:
    return VisitorId("v_" + _random())


def new_attachment_id() -> AttachmentId:
    return AttachmentId("a_" + _random())


def _check(pattern: re.Pattern[str], value: object, field: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidInput(field, f"not a valid {field}: {str(value)[:60]!r}")
    return value


def parse_conversation_id(value: object) -> ConversationId:
    return ConversationId(_check(_CONVERSATION, value, "conversation id"))


def parse_contact_id(value: object) -> ContactId:
    return ContactId(_check(_CONTACT, value, "contact id"))


def parse_visitor_id(value: object) -> VisitorId:
    return VisitorId(_check(_VISITOR, value, "visitor id"))


def parse_attachment_id(value: object) -> AttachmentId:
    return AttachmentId(_check(_ATTACHMENT, value, "attachment id"))


def parse_event_id(value: object) -> EventId:
    return EventId(_check(_EVENT, value, "event id"))


def parse_agent_id(value: object) -> AgentId:
    return AgentId(_check(_NAME, value, "agent id"))


def parse_department_id(value: object) -> DepartmentId:
    return DepartmentId(_check(_NAME, value, "department id"))


def is_name_id(value: str) -> bool:
    """True when `value` may be an agent or department id (lowercase, digits, _ and -)."""
    return _NAME.fullmatch(value) is not None


def event_id_key(event_id: str) -> tuple[int, int]:
    """Sort key of a stream id: stream ids compare as (milliseconds, sequence)."""
    ms, _, seq = event_id.partition("-")
    return int(ms), int(seq or 0)
