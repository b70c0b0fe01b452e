"""Widget frames: decoding with checks (type, size, fields) and encoding. See
docs/widget-protocol.md. A bad frame raises BadFrame and changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bridge.domain.events import TimelineItem
from bridge.domain.model import Conversation

CLIENT_TYPES = frozenset(
    {
        "hello",
        "page",
        "start",
        "department",
        "form",
        "pick",
        "say",
        "typing",
        "rate",
        "close",
        "ping",
        "identify",
    }
)


class BadFrame(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class Frame:
    t: str
    body: dict[str, Any]

    def text(self, key: str, limit: int = 4096, default: str = "") -> str:
        value = self.body.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise BadFrame("bad_frame", f"{key} must be text")
        if len(value) > limit:
            raise BadFrame("too_large", f"{key} is longer than {limit} characters")
        return value

    def mapping(self, key: str) -> dict[str, str]:
        value = self.body.get(key) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise BadFrame("bad_frame", f"{key} must map names to text")
        return value

    def mapping_any(self, key: str) -> dict[str, Any]:
        value = self.body.get(key) or {}
        if not isinstance(value, dict):
            raise BadFrame("bad_frame", f"{key} must be an object")
        return value

    def strings(self, key: str, limit: int = 10) -> list[str]:
        value = self.body.get(key) or []
        if (
            not isinstance(value, list)
            or len(value) > limit
            or not all(isinstance(v, str) for v in value)
        ):
            raise BadFrame("bad_frame", f"{key} must be a list of at most {limit} ids")
        return value


def decode(raw: str | bytes, max_bytes: int) -> Frame:
    if len(raw) > max_bytes:
        raise BadFrame("too_large", f"frames are limited to {max_bytes} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadFrame("bad_frame", "frames are JSON objects") from None
    if not isinstance(body, dict) or body.get("t") not in CLIENT_TYPES:
        raise BadFrame("bad_frame", "unknown frame type")
    return Frame(str(body["t"]), body)


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def error(code: str, message: str, *, field: str = "", ref: str = "") -> dict[str, Any]:
    frame: dict[str, Any] = {"t": "error", "code": code, "message": message}
    if field:
        frame["field"] = field
    if ref:
        frame["ref"] = ref
    return frame


def state_frame(c: Conversation, position: int | None) -> dict[str, Any]:
    return {
        "t": "state",
        "conversation": {
            "id": c.id,
            "number": c.number,
            "state": c.state.value,
            "step": c.flow_step,
            "department": c.department_id,
            "position": position,
            "rated": c.rating is not None,
            "offline": c.offline_message,
        },
    }


def event_frame(item: TimelineItem, cid: str, file_url: Any) -> dict[str, Any]:
    """One customer-visible item. `file_url(attachment)` makes the signed download URL."""
    return {
        "t": "event",
        "conversation": cid,
        "id": item.id,
        "kind": item.kind.value,
        "at": int(item.at.timestamp() * 1000),
        "author": item.actor.author.value,
        "name": item.actor.name if item.actor.author.value == "agent" else "",
        "text": item.text,
        "attachments": [
            {"id": a.id, "name": a.name, "mime": a.mime, "size": a.size, "url": file_url(a)}
            for a in item.attachments
        ],
        "data": {k: v for k, v in item.data.items() if k in _PUBLIC_DATA},
    }


# What of an item's data the customer may see (not source refs, reasons of failures…).
_PUBLIC_DATA = frozenset(
    {
        "agent_name",
        "department",
        "options",
        "target",
        "rating",
        "offline",
        "delivery_failed",
        "notice",
        "automatic",
    }
)
