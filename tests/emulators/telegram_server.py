"""The HTTP face of the Telegram emulator: /bot<token>/<method> and /file/bot<token>/<path>
on 127.0.0.1, answering like the Bot API server (PROTOCOLS B1, B2): method names are
case-insensitive, replies are always JSON, the HTTP status equals error_code, and a 429
carries Retry-After. Every method request is recorded as a Call."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable

from aiohttp import web

from tests.emulators.telegram_faults import Faults
from tests.emulators.telegram_files import FileStore
from tests.emulators.telegram_wire import (
    ApiError,
    Call,
    Handler,
    JsonDict,
    Params,
    read_params,
)

MAX_REQUEST_BYTES = 64 << 20
SHUTDOWN_SECONDS = 2.0


class CallLog:
    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = asyncio.Condition()

    async def record(self, call: Call) -> None:
        async with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def calls(self, method: str | None = None) -> list[Call]:
        return [call for call in self._calls if method is None or call.method == method]

    async def wait_for(
        self, method: str, predicate: Callable[[Call], bool] | None, seconds: float
    ) -> Call:
        """The first recorded call (earlier or later) of `method` matching `predicate`."""

        def find() -> Call | None:
            matching = (c for c in self.calls(method) if predicate is None or predicate(c))
            return next(matching, None)

        try:
            async with self._changed, asyncio.timeout(seconds):
                await self._changed.wait_for(lambda: find() is not None)
        except TimeoutError:
            seen = [call.method for call in self._calls]
            raise TimeoutError(f"no matching {method} call in {seconds}s; calls: {seen}") from None
        found = find()
        if found is None:  # wait_for returned, so a match exists
            raise AssertionError("unreachable: matching call vanished")
        return found


def _json_error(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status)


class BotApiServer:
    def __init__(
        self,
        token: str,
        routes: dict[str, Handler],
        faults: Faults,
        log: CallLog,
        files: FileStore,
    ) -> None:
        self._token = token
        self._routes = routes
        self._canonical = {name.lower(): name for name in routes}
        self._faults = faults
        self._log = log
        self._files = files
        self._runner: web.AppRunner | None = None

    def canonical(self, method: str) -> str:
        name = self._canonical.get(method.lower())
        if name is None:
            raise ValueError(f"the emulator does not implement {method!r}")
        return name

    async def start(self) -> str:
        """Listen on a free port; returns the root URL."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _on_method(self, request: web.Request) -> web.Response:
        asked = request.match_info["method"]
        method = self._canonical.get(asked.lower(), asked)
        params = Params({})
        headers: dict[str, str] = {}
        try:
            params = await _read(request)
            result = await self._invoke(request.match_info["token"], method, params)
            reply: JsonDict = {"ok": True, "result": copy.deepcopy(result)}
            status = 200
        except ApiError as error:
            reply, status, headers = error.body(), error.error_code, error.headers()
        await self._log.record(Call(method, params.values, params.files, status, reply))
        return web.json_response(reply, status=status, headers=headers)

    async def _invoke(self, token: str, method: str, params: Params) -> object:
        if token != self._token:
            raise ApiError(401, "Unauthorized")
        handler = self._routes.get(method)
        if handler is None:
            raise ApiError(404, "Not Found")
        await self._faults.before(method, params)
        result = await handler(params)
        self._faults.after(method, params)
        return result

    async def _on_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._token:
            return _json_error(401, "Unauthorized")
        stored = self._files.by_path(request.match_info["path"])
        if stored is None:
            return _json_error(404, "Not Found")
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.content, headers={"Content-Type": content_type})


async def _read(request: web.Request) -> Params:
    try:
        return await read_params(request)
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "Request Entity Too Large") from None
