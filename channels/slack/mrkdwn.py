"""Slack's text format both ways: escaping what we post, reading what agents write.

Outgoing: only `&`, `<` and `>` are control characters in mrkdwn. Every string a customer (or
anyone outside Slack) wrote goes through `escape`, so `<!channel>` typed in the widget reaches
Slack as text and pings nobody. We never post with `link_names` or `parse=full`.

Incoming: Slack sends message text escaped (`&amp; &lt; &gt;`) and with references in angle
brackets (`<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`); `to_plain` turns them into what a
customer should read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_REFERENCE = re.compile(r"<([^<>\n]*)>")


def escape(text: str) -> str:
    """Text as mrkdwn that shows exactly these characters and links or pings nothing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """One pass, so `&amp;lt;` (a typed `&lt;`) becomes `&lt;`, not `<`."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def to_plain(text: str, user_name: Callable[[str], str | None]) -> str:
    """An agent's Slack message as the customer reads it. `user_name` names a Slack user id
    (None: unknown, the id is shown)."""

    def reference(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        match target[:1]:
            case "@":
                return "@" + (label or user_name(target[1:]) or target[1:])
            case "#":
                return "#" + (label or target[1:])
            case "!":
                return label or "@" + target[1:].split("^", 1)[0]
            case _:
                return _link(target, label)

    return unescape(_REFERENCE.sub(reference, text))


def _link(url: str, label: str) -> str:
    if url.startswith("mailto:"):
        return label or url.removeprefix("mailto:")
    if label and label != url:
        return f"{label} ({url})"
    return url


def link(url: str, label: str) -> str:
    """A mrkdwn link; `url` comes from Slack (a permalink), `label` is escaped here."""
    return f"<{url}|{escape(label)}>"


def clip(text: str, limit: int) -> str:
    """Cut to `limit` characters for a Block Kit field, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
