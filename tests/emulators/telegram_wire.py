"""Wire pieces of the Telegram emulator: API errors, decoded request parameters, upload parts
and the record of one Bot API call.

Bot API clients send parameters as query strings, urlencoded forms, JSON bodies or multipart
forms (PROTOCOLS B1). Everything is decoded here into one typed mapping, so method handlers
never see the transport."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

JsonDict = dict[str, Any]

# Parameters whose value is a JSON document; PTB sends them JSON-encoded inside forms.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "entities",
        "caption_entities",
        "media",
        "permissions",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "message_thread_id",
        "user_id",
        "offset",
        "limit",
        "icon_color",
        "cache_time",
        "max_connections",
        "duration",
        "width",
        "height",
    }
)
BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
    }
)
_INT_TEXT = re.compile(r"-?\d+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0", ""})


class ApiError(Exception):
    """A Bot API failure: HTTP status == error_code, as the real server answers (B2)."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body

    def headers(self) -> dict[str, str]:
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(self.retry_after)}


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


def forbidden(text: str) -> ApiError:
    return ApiError(403, f"Forbidden: {text}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One multipart file part as the client sent it."""

    field_name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class Call:
    """One Bot API request as the emulator answered it. `reply` is the whole JSON envelope."""

    method: str
    params: JsonDict
    files: dict[str, UploadedFile]
    status: int
    reply: JsonDict

    @property
    def result(self) -> Any:
        return self.reply.get("result")


@dataclass(frozen=True, slots=True)
class Params:
    """Decoded parameters of one request, with typed accessors raising Bot API errors."""

    values: JsonDict
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def need_text(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise bad_request(f"{name} is empty")
        return value

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f'field "{name}" must be a valid Number')
        return value

    def need_integer(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def chat_id(self) -> int | str:
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        return value if isinstance(value, int) else str(value)

    def number(self, name: str, default: float) -> float:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a valid Number') from None

    def flag(self, name: str) -> bool:
        return self.values.get(name) is True

    def json(self, name: str) -> Any:
        return self.values.get(name)


Handler = Callable[[Params], Awaitable[Any]]


def decode_value(name: str, value: Any) -> Any:
    """Turn a transport value into its JSON type; JSON values are passed through."""
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        return _decode_json(name, value)
    if name in INT_FIELDS and _INT_TEXT.fullmatch(value.strip()):
        return int(value)
    if name in BOOL_FIELDS and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    return value


def _decode_json(name: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {name} JSON object") from None


async def read_params(request: web.Request) -> Params:
    """Merge query and body parameters; file parts go to `files`."""
    raw: JsonDict = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            raw.update(await _json_body(request))
        else:
            _merge_form(await request.post(), raw, files)
    values = {name: decode_value(name, value) for name, value in raw.items()}
    return Params(values=values, files=files)


async def _json_body(request: web.Request) -> JsonDict:
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("can't parse JSON encoded request") from None
    if not isinstance(body, dict):
        raise bad_request("JSON object expected")
    return body


def _merge_form(
    form: MultiDictProxy[str | bytes | bytearray | web.FileField],
    raw: JsonDict,
    files: dict[str, UploadedFile],
) -> None:
    for name, value in form.items():
        if isinstance(value, web.FileField):
            files[name] = UploadedFile(
                field_name=name,
                filename=value.filename,
                content_type=value.content_type,
                data=value.file.read(),
            )
        elif isinstance(value, bytes | bytearray):
            raw[name] = bytes(value).decode("utf-8", "replace")
        else:
            raw[name] = value
