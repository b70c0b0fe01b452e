"""The fallback where WebSockets are blocked: server frames as Server-Sent Events
(GET /widget/sse) and client frames as POST /widget/send. The POST is stateless, so it may
reach any daemon process; the stream is woken by the doorbell like a WebSocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import ConversationId, parse_conversation_id
from bridge.lifecycle import stop_task
from widget.channel import WidgetChannel
from widget.context import WidgetContext
from widget.operations import Operations, explain
from widget.protocol import BadFrame, Frame, decode, encode, error
from widget.session import Overflow, Session
from widget.ws import client_ip


class SseEndpoint:
    def __init__(self, ctx: WidgetContext, channel: WidgetChannel) -> None:
        self._ctx, self._channel, self._ops = ctx, channel, Operations(ctx)
        self._streams: set[asyncio.Task[None]] = set()

    async def stream(self, request: web.Request) -> web.StreamResponse:
        origin = self._ctx.origins.check(request)
        q = request.query
        hello = Frame(
            "hello",
            {
                "visitor": q.get("visitor", ""),
                "conversation": q.get("conversation", ""),
                "last": q.get("last", ""),
                "page": {
                    "url": q.get("url", ""),
                    "title": q.get("title", ""),
                    "referrer": q.get("referrer", ""),
                },
            },
        )
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
                **self._ctx.origins.cors(origin),
            }
        )
        await response.prepare(request)
        session = Session(self._ctx, client_ip(request), on_switch=self._channel.moved)

        async def write(text: str) -> None:
            data = text if text.startswith(":") else f"data: {text}\n\n"
            await response.write(data.encode())

        sender = asyncio.create_task(session.run_sender(write, keepalive=write), name="widget-sse")
        self._streams.add(sender)
        try:
            await self._serve(hello, session)
            # the sender ends when the browser goes away (a write fails) or at shutdown
            await asyncio.wait({sender})
        except (Overflow, ConnectionError):
            pass
        finally:
            self._streams.discard(sender)
            self._channel.remove(session)
            await stop_task(sender)
        return response

    async def close_all(self, app: web.Application) -> None:
        """On shutdown: end every open stream (EventSource reconnects, elsewhere)."""
        for sender in list(self._streams):
            await stop_task(sender)

    async def _serve(self, hello: Frame, session: Session) -> None:
        try:
            await session.hello(hello)
        except (BadFrame, BridgeError) as e:
            session.send(explain(e) if isinstance(e, BridgeError) else error(e.code, e.message))
            return
        self._channel.add(session)
        await session.pump(force_state=True)

    async def send(self, request: web.Request) -> web.Response:
        origin = self._ctx.origins.check(request)
        headers = self._ctx.origins.cors(origin)
        raw = await request.read()
        frames = await self._apply(raw, client_ip(request))
        return web.Response(
            text=encode({"frames": frames}), content_type="application/json", headers=headers
        )

    async def _apply(self, raw: bytes, ip: str) -> list[dict[str, Any]]:
        if len(raw) > self._ctx.max_frame * 2:
            return [error("too_large", "the request is too large")]
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError
            vid = self._ctx.sign.visitor(body.get("visitor"))
            cid = _conversation(body.get("conversation"))
            frame = decode(json.dumps(body.get("frame")), self._ctx.max_frame)
        except ValueError:
            return [error("bad_frame", "send {visitor, conversation, frame} as JSON")]
        except InvalidInput as e:
            return [error("bad_visitor" if e.field == "visitor" else "invalid", e.message)]
        except BadFrame as e:
            return [error(e.code, e.message)]
        site = self._ctx.site(str(body.get("site") or "default"))
        reply = await self._ops.run(vid, cid, frame, ip, site)
        return [*reply.frames, {"t": "conversation", "id": reply.conversation}]

    async def preflight(self, request: web.Request) -> web.Response:
        origin = self._ctx.origins.check(request)
        headers = {
            **self._ctx.origins.cors(origin),
            "Access-Control-Allow-Methods": "POST, GET",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        }
        return web.Response(status=204, headers=headers)


def _conversation(value: object) -> ConversationId | None:
    return parse_conversation_id(value) if value else None
