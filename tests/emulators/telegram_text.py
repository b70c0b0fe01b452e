"""The text of a message as the server keeps it: parse_mode applied (or explicit entities
taken), then surrounding whitespace trimmed, before any length check."""

from __future__ import annotations

from tests.emulators.telegram_html import (
    FormattedText,
    HtmlError,
    UserLookup,
    parse_html,
    utf16_len,
)
from tests.emulators.telegram_wire import JsonDict, bad_request

_TRIM = " \t\r\n"


def format_text(
    text: str, parse_mode: str | None, entities: object, users: UserLookup
) -> FormattedText:
    """Apply parse_mode (or explicit entities) and trim surrounding whitespace, as the
    server does before checking lengths. Markdown modes pass the text through unparsed."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(text, users)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        parsed = FormattedText(text, _explicit_entities(entities) if mode == "" else ())
    else:
        raise bad_request("unsupported parse_mode")
    return _trim(parsed)


def _explicit_entities(entities: object) -> tuple[JsonDict, ...]:
    if entities is None:
        return ()
    if not isinstance(entities, list) or not all(_is_entity(e) for e in entities):
        raise bad_request("can't parse entities: wrong entities format")
    return tuple(entities)


def _is_entity(entity: object) -> bool:
    if not isinstance(entity, dict):
        return False
    fields = (entity.get("type"), entity.get("offset"), entity.get("length"))
    return isinstance(fields[0], str) and isinstance(fields[1], int) and isinstance(fields[2], int)


def _trim(parsed: FormattedText) -> FormattedText:
    left = parsed.text.lstrip(_TRIM)
    lead = utf16_len(parsed.text) - utf16_len(left)
    body = left.rstrip(_TRIM)
    end = lead + utf16_len(body)
    clipped = (_clip(entity, lead, end) for entity in parsed.entities)
    return FormattedText(body, tuple(e for e in clipped if e is not None))


def _clip(entity: JsonDict, low: int, high: int) -> JsonDict | None:
    start = max(entity["offset"], low)
    stop = min(entity["offset"] + entity["length"], high)
    if stop <= start:
        return None
    return {**entity, "offset": start - low, "length": stop - start}
