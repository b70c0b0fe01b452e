"""GET /widget/ws: the WebSocket endpoint. Origin checked before the upgrade; compression off
(permessage-deflate costs ~100 KiB per connection); the first frame must be hello."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import WSMsgType, web

from bridge.domain.errors import BridgeError
from bridge.lifecycle import stop_task
from widget.channel import WidgetChannel
from widget.context import WidgetContext
from widget.operations import explain
from widget.protocol import BadFrame, decode, encode, error
from widget.session import Overflow, Session

log = logging.getLogger("ponte.widget")

HELLO_TIMEOUT = 15.0


def client_ip(request: web.Request) -> str:
    return request.remote or "unknown"


class WebSocketEndpoint:
    def __init__(self, ctx: WidgetContext, channel: WidgetChannel) -> None:
        self._ctx, self._channel = ctx, channel
        self._open: set[web.WebSocketResponse] = set()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self._ctx.origins.check(request)
        ws = web.WebSocketResponse(
            heartbeat=30.0, compress=False, max_msg_size=self._ctx.max_frame * 4
        )
        await ws.prepare(request)
        self._open.add(ws)
        session = Session(self._ctx, client_ip(request), on_switch=self._channel.moved)
        sender = asyncio.create_task(session.run_sender(ws.send_str), name="widget-sender")
        try:
            await self._serve(ws, session)
        except Overflow:
            await ws.close(code=4000, message=b"slow consumer: reconnect and resume")
        finally:
            self._channel.remove(session)
            self._open.discard(ws)
            await stop_task(sender)
        return ws

    async def _serve(self, ws: web.WebSocketResponse, session: Session) -> None:
        if not await self._hello(ws, session):
            return
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                if message.type is WSMsgType.BINARY:
                    session.send(error("bad_frame", "frames are JSON text"))
                continue
            try:
                await session.handle(decode(message.data, self._ctx.max_frame))
            except BadFrame as e:
                session.send(error(e.code, e.message))

    async def _hello(self, ws: web.WebSocketResponse, session: Session) -> bool:
        try:
            async with asyncio.timeout(HELLO_TIMEOUT):
                message = await ws.receive()
        except TimeoutError:
            await ws.close(code=4001, message=b"no hello")
            return False
        if message.type is not WSMsgType.TEXT:
            return False
        try:
            frame = decode(message.data, self._ctx.max_frame)
            if frame.t != "hello":
                raise BadFrame("bad_frame", "the first frame must be hello")
            await session.hello(frame)
        except BadFrame as e:
            await ws.send_str(encode(error(e.code, e.message)))
            await ws.close(code=4002, message=b"bad hello")
            return False
        except BridgeError as e:
            await ws.send_str(encode(explain(e)))
            await ws.close(code=1011, message=b"try again")
            return False
        self._channel.add(session)
        await session.pump(force_state=True)
        return True

    async def close_all(self, app: web.Application) -> None:
        """On shutdown: tell every browser we are going away; they reconnect elsewhere."""
        for ws in list(self._open):
            await ws.close(code=1001, message=b"server shutdown")
        log.info("widget.closed", extra={"sockets": len(self._open)})
