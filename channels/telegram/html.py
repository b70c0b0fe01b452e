"""Telegram HTML (parse_mode=HTML, PROTOCOLS B8) built from raw strings, so every string a
customer or agent typed is escaped exactly once, and the length Telegram counts after parsing
is known before sending. Long texts are split on line boundaries into messages that fit."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Telegram counts 4096 characters of text and 1024 of caption after parsing entities; whether
# it counts UTF-16 units or code points is unverified (B8), so we count UTF-16 units (never
# fewer) and keep a margin.
TEXT_LIMIT = 4000
CAPTION_LIMIT = 1000


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Html:
    """Markup for parse_mode=HTML and the length of the text it shows."""

    markup: str = ""
    length: int = 0

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup, self.length + other.length)

    def __bool__(self) -> bool:
        return bool(self.markup)


def text(value: str) -> Html:
    return Html(html.escape(value, quote=False), utf16_len(value))


def bold(value: str) -> Html:
    return _tag("b", value)


def italic(value: str) -> Html:
    return _tag("i", value)


def code(value: str) -> Html:
    return _tag("code", value)


def _tag(tag: str, value: str) -> Html:
    if not value:
        return Html()
    return Html(f"<{tag}>{html.escape(value, quote=False)}</{tag}>", utf16_len(value))


NEWLINE = text("\n")


def join(parts: Iterable[Html], separator: Html = NEWLINE) -> Html:
    out = Html()
    for n, part in enumerate(parts):
        out = out + separator + part if n else part
    return out


def split_text(value: str, limit: int) -> list[str]:
    """`value` in pieces of at most `limit` UTF-16 units, cut at line ends where possible,
    else at a space, else anywhere. Empty text gives no pieces."""
    pieces: list[str] = []
    current = ""
    for line in value.splitlines(keepends=True):
        for part in _cut(line, limit):
            if current and utf16_len(current) + utf16_len(part) > limit:
                pieces.append(current)
                current = ""
            current += part
    if current:
        pieces.append(current)
    return [p.rstrip().lstrip("\n") for p in pieces if p.strip()]


def _cut(line: str, limit: int) -> list[str]:
    parts: list[str] = []
    while utf16_len(line) > limit:
        head = line[:limit]
        while utf16_len(head) > limit:  # astral characters count twice
            head = head[:-1]
        space = head.rfind(" ")
        if space > limit // 2:
            head = head[: space + 1]
        parts.append(head)
        line = line[len(head) :]
    return [*parts, line] if line else parts


def pieces(head: Html, body: str, limit: int = TEXT_LIMIT, *, style: str = "") -> list[Html]:
    """`head` followed by `body` (raw), as messages within `limit`: the head opens the first."""
    shown = _tag(style, body) if style else text(body)
    if head.length + shown.length <= limit:
        return [head + shown]
    chunks = split_text(body, max(1, limit - head.length))
    styled = [(_tag(style, c) if style else text(c)) for c in chunks]
    return [head + styled[0], *styled[1:]] if styled else [head]


def pack(parts: Sequence[Html], limit: int = TEXT_LIMIT) -> list[Html]:
    """Greedily join parts (each already within `limit`) one per line into messages."""
    messages: list[Html] = []
    current = Html()
    for part in parts:
        if current and current.length + 1 + part.length > limit:
            messages.append(current)
            current = Html()
        current = current + NEWLINE + part if current else part
    if current:
        messages.append(current)
    return messages


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
