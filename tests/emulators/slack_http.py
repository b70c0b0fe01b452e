"""The emulator's HTTP surface: Web API dispatch, upload URL, file downloads, response_url."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from tests.emulators.slack_api import Handler
from tests.emulators.slack_assets import Files
from tests.emulators.slack_control import Faults, Recorder
from tests.emulators.slack_records import (
    ApiError,
    BotIdentity,
    Call,
    JsonDict,
    Reply,
    error_reply,
)
from tests.emulators.slack_state import Workspace

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
JSON_STRING_FIELDS = ("blocks", "view", "files", "attachments", "metadata")
LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"


async def read_params(request: web.Request) -> JsonDict:
    """Query string, then the form or JSON body on top; JSON-string fields decoded."""
    params: JsonDict = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ApiError("invalid_json")
            params.update(body)
        else:
            form = await request.post()
            params.update({key: value for key, value in form.items() if isinstance(value, str)})
    for name in JSON_STRING_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            params[name] = json.loads(value)
    return params


def bearer(headers: Mapping[str, str]) -> str | None:
    scheme, _, token = headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True, slots=True)
class ResponseContext:
    """Who interacted, and the (channel, ts) of the message they acted on, if any."""

    user: str
    target: tuple[str, str] | None


@dataclass(slots=True)
class ResponseUrls:
    """Issued `response_url` tokens with their context, and what was POSTed to them."""

    contexts: dict[str, ResponseContext] = field(default_factory=dict)
    posted: list[JsonDict] = field(default_factory=list)


class HttpSurface:
    """Request pipeline: unknown method → injected failure → auth → rate limit → handler.
    Every request is recorded before the (optionally delayed) answer is written; echoes of
    bot messages are handed to `echo` without waiting for their delivery."""

    def __init__(
        self,
        workspace: Workspace,
        handlers: dict[str, Handler],
        controls: tuple[Faults, Recorder],
        files: Files,
        echo: Callable[[JsonDict], None],
        ephemerals: list[JsonDict],
    ) -> None:
        self._ws = workspace
        self._identity: BotIdentity = workspace.identity
        self._handlers = handlers
        self._faults, self._recorder = controls
        self._files = files
        self._echo = echo
        self.responses = ResponseUrls()
        self._ephemerals = ephemerals
        self.closing = asyncio.Event()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/api/{method}", self.api),
            web.post("/upload/v1/{file_id}", self.upload),
            web.get("/files-pri/{team_file}/{name}", self.download),
            web.get("/files-pri/{team_file}/download/{name}", self.download),
            web.post("/actions/{team}/{token}", self.response_url),
        ]

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except (ApiError, json.JSONDecodeError):
            params = {}
            reply = error_reply("invalid_json")
        else:
            reply = self._answer(method, params, request.headers)
        await self._recorder.add(
            Call(method, params, dict(request.headers), reply.status, reply.body)
        )
        for event in reply.echoes:
            self._echo(event)
        await self._hold(self._faults.delay(method))
        return web.json_response(reply.body, status=reply.status, headers=dict(reply.headers))

    def _answer(self, method: str, params: JsonDict, headers: Mapping[str, str]) -> Reply:
        handler = self._handlers.get(method)
        if handler is None:
            return error_reply("unknown_method")
        injected = self._faults.take_failure(method)
        if injected is not None:
            return injected
        try:
            self._authorize(method, params, headers)
            limited = self._faults.rate_limited(method, str(params.get("channel", "")))
            return limited if limited is not None else handler(params)
        except ApiError as exc:
            return error_reply(exc.code, **exc.extra)

    def _authorize(self, method: str, params: JsonDict, headers: Mapping[str, str]) -> None:
        token = bearer(headers) or params.get("token")
        if not token:
            raise ApiError("not_authed")
        me = self._identity
        expected = me.app_token if method in APP_TOKEN_METHODS else me.bot_token
        if token == expected:
            return
        if token in (me.bot_token, me.app_token):
            raise ApiError("not_allowed_token_type")
        raise ApiError("invalid_auth")

    async def _hold(self, seconds: float) -> None:
        """A slow answer that close() cuts short (an event wait, not a poll)."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), seconds)

    async def upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        injected = self._faults.take_failure("upload_url")
        status, text = (200, f"OK - {len(data)}") if injected is None else (injected.status, "")
        if injected is None:
            try:
                self._files.receive(file_id, data)
            except KeyError:
                status, text = 404, "Not Found"
        params = {"file_id": file_id, "size": len(data)}
        await self._recorder.add(
            Call("upload_url", params, dict(request.headers), status, {"text": text})
        )
        return web.Response(status=status, text=text, content_type="text/plain")

    async def download(self, request: web.Request) -> web.Response:
        if bearer(request.headers) != self._identity.bot_token:
            return web.Response(text=LOGIN_PAGE, content_type="text/html")
        file_id = request.match_info["team_file"].partition("-")[2]
        found = self._files.lookup(file_id)
        if found is None:
            return web.Response(status=404, text="file_not_found", content_type="text/plain")
        meta, content = found
        return web.Response(body=content, content_type=meta["mimetype"])

    async def response_url(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        body = await read_params(request)
        if "payload" in body and isinstance(body["payload"], str):
            body = json.loads(body["payload"])
        context = self.responses.contexts.get(token)
        reply: JsonDict
        if context is None:
            status, reply = 404, {"ok": False, "error": "expired_url"}
        else:
            self.responses.posted.append(copy.deepcopy(body))
            self._apply_response(context, body)
            status, reply = 200, {"ok": True}
        await self._recorder.add(Call("response_url", body, dict(request.headers), status, reply))
        return web.json_response(reply, status=status)

    def _apply_response(self, context: ResponseContext, body: JsonDict) -> None:
        target = context.target
        replacing = body.get("replace_original") in (True, "true")
        if body.get("delete_original") in (True, "true") and target is not None:
            with contextlib.suppress(ApiError):
                self._ws.remove(*target)
        elif replacing and target is not None:
            message = self._ws.find(*target)
            if message is not None:
                message.update({k: body[k] for k in ("text", "blocks") if k in body})
        elif body.get("response_type", "ephemeral") == "ephemeral" and not replacing:
            record = {"source": "response_url", "user": context.user, **copy.deepcopy(body)}
            self._ephemerals.append(record)
