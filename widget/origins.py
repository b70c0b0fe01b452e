"""The origin allow-list, checked on every request and connection (not only by CORS)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp import web


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


class Origins:
    def __init__(self, allowed: Iterable[str]) -> None:
        self._allowed = {origin_of(o) or o.lower() for o in allowed}

    def allows(self, origin: str) -> bool:
        return origin.lower() in self._allowed

    def check(self, request: web.Request) -> str:
        """The request's allowed origin, or raises 403 with a JSON reason. Browsers send no
        Origin on a same-origin GET (the daemon's own demo page); Sec-Fetch-Site, which pages
        cannot set, says so, and the daemon's own origin must then be on the list too."""
        origin = request.headers.get("Origin", "")
        if not origin and request.headers.get("Sec-Fetch-Site") == "same-origin":
            origin = f"{request.scheme}://{request.host}"
        if origin and self.allows(origin):
            return origin
        raise web.HTTPForbidden(
            text=f'{{"error": "origin_not_allowed", "origin": "{_safe(origin)}"}}',
            content_type="application/json",
        )

    def cors(self, origin: str) -> dict[str, str]:
        return {
            "Access-Control-Allow-Origin": origin,
            "Vary": "Origin",
            "Access-Control-Allow-Credentials": "false",
        }


def _safe(origin: str) -> str:
    return "".join(c for c in origin[:200] if c.isprintable() and c not in '"\\')
