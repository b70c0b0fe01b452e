"""Decoding of redis-py replies at the wire. The clients use decode_responses=True, so every
value is a str; these helpers check that once and give the rest of the store precise types."""

from __future__ import annotations

from typing import Any

Row = tuple[str, dict[str, str]]


def text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return str(value)


def fields(value: Any) -> dict[str, str]:
    """A hash (HGETALL) or stream entry's fields."""
    if not value:
        return {}
    body = dict(value)
    if all(type(k) is str and type(v) is str for k, v in body.items()):
        return body  # decode_responses=True: already text (the hot path)
    return {text(k): text(v) for k, v in body.items()}


def rows(value: Any) -> list[Row]:
    """Stream entries (XRANGE, XREVRANGE, one stream of XREAD): [(id, fields)]."""
    return [(text(entry_id), fields(body)) for entry_id, body in (value or ())]


def texts(value: Any) -> list[str]:
    return [text(v) for v in (value or ())]


def scored(value: Any) -> list[tuple[str, float]]:
    return [(text(member), float(score)) for member, score in (value or ())]
