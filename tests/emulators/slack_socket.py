"""Socket Mode: apps.connections.open tickets and the `/link/` websocket (PROTOCOLS A13)."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid

from aiohttp import WSMsgType, web

from tests.emulators.slack_api import Handler
from tests.emulators.slack_assets import Urls
from tests.emulators.slack_records import Delivery, JsonDict, Kind, Reply


class SocketLink:
    """Connections from Socket Mode clients. Envelopes go to the newest open connection; the
    client's ack `{"envelope_id", "payload"?}` resolves the waiting sender."""

    def __init__(self, urls: Urls, app_id: str, ack_timeout: float) -> None:
        self._urls = urls
        self._app_id = app_id
        self._ack_timeout = ack_timeout
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._pending: dict[str, asyncio.Future[JsonDict]] = {}
        self._changed = asyncio.Condition()
        self.accepted = 0

    def methods(self) -> dict[str, Handler]:
        return {"apps.connections.open": self.connections_open}

    def connections_open(self, params: JsonDict) -> Reply:
        ticket = secrets.token_hex(16)
        self._tickets.add(ticket)
        return Reply({"ok": True, "url": self._urls.socket(ticket)})

    @property
    def connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    async def wait_connected(self, count: int) -> None:
        """Until `count` connections were accepted in total and one is open."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.accepted >= count and self.connected)

    async def _set(self, ws: web.WebSocketResponse, *, attach: bool) -> None:
        async with self._changed:
            if attach:
                self._sockets.append(ws)
                self.accepted += 1
            else:
                self._sockets.remove(ws)
            self._changed.notify_all()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json(self._hello())
        await self._set(ws, attach=True)
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    self._on_ack(message.data)
        finally:
            await self._set(ws, attach=False)
        return ws

    def _hello(self) -> JsonDict:
        return {
            "type": "hello",
            "num_connections": len(self._sockets) + 1,
            "debug_info": {"host": "applink-emulator", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self._app_id},
        }

    def _on_ack(self, data: str) -> None:
        ack = json.loads(data)
        envelope_id = ack.get("envelope_id") if isinstance(ack, dict) else None
        waiter = self._pending.get(envelope_id) if isinstance(envelope_id, str) else None
        if waiter is not None and not waiter.done():
            waiter.set_result(ack)

    def _current(self) -> web.WebSocketResponse:
        for ws in reversed(self._sockets):
            if not ws.closed:
                return ws
        raise ConnectionError("no Socket Mode client is connected")

    @staticmethod
    def _envelope(kind: Kind, payload: JsonDict, retry_num: int, retry_reason: str) -> JsonDict:
        envelope: JsonDict = {
            "envelope_id": str(uuid.uuid4()),
            "type": kind.value,
            "payload": payload,
            "accepts_response_payload": kind is not Kind.EVENTS_API,
        }
        if kind is Kind.EVENTS_API:
            envelope.update(retry_attempt=retry_num, retry_reason=retry_reason)
        return envelope

    async def request(self, kind: Kind, payload: JsonDict, retry: tuple[int, str]) -> Delivery:
        """Send one envelope and wait for its ack (TimeoutError when none comes in time)."""
        envelope = self._envelope(kind, payload, *retry)
        envelope_id: str = envelope["envelope_id"]
        waiter: asyncio.Future[JsonDict] = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = waiter
        try:
            await self._current().send_json(envelope)
            async with asyncio.timeout(self._ack_timeout):
                ack = await waiter
        finally:
            del self._pending[envelope_id]
        body = json.dumps(ack["payload"]) if "payload" in ack else ""
        return Delivery(200, body, {"envelope_id": envelope_id})

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask connected clients to reconnect, as Slack does before recycling a connection."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink"}}
        for ws in list(self._sockets):
            if not ws.closed:
                await ws.send_json(message)

    async def close(self) -> None:
        for waiter in self._pending.values():
            if not waiter.done():
                waiter.set_exception(ConnectionError("the Slack emulator closed"))
        for ws in list(self._sockets):
            await ws.close()
