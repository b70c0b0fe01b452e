"""Structured logs: one JSON line per event, with the conversation id, secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from datetime import UTC, datetime

from aiohttp import web

CONVERSATION: ContextVar[str] = ContextVar("conversation", default="")
REQUEST: ContextVar[str] = ContextVar("request", default="")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_TOKENS = re.compile(r"\b(xox[abprs]-[\w-]+|xapp-[\w-]+|\d{6,12}:[\w-]{30,})")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object; known secrets and token shapes become ***."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        cid = getattr(record, "cid", "") or CONVERSATION.get()
        if cid:
            body["cid"] = cid
        if REQUEST.get():
            body["request"] = REQUEST.get()
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in body and key != "cid":
                body[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            body["error"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(body, ensure_ascii=False))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _TOKENS.sub("***", text)


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Tag every log line of a request with a request id (and, where known, the conversation)."""
    token = REQUEST.set(request.headers.get("X-Request-Id", "")[:64] or f"r{id(request):x}")
    try:
        return await handler(request)
    finally:
        REQUEST.reset(token)
