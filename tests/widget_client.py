"""A Python client of the widget protocol (docs/widget-protocol.md), for tests: what a browser
tab does, over a real WebSocket."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp

Frame = dict[str, Any]


class WidgetClient:
    def __init__(
        self, http: aiohttp.ClientSession, base: str, origin: str = "http://shop.test"
    ) -> None:
        self.http, self.base, self.origin = http, base.rstrip("/"), origin
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.frames: list[Frame] = []
        self.events: dict[str, Frame] = {}  # by event id: what the tab shows
        self.order: list[str] = []
        self.visitor: str | None = None
        self.conversation: str | None = None
        self.state: Frame | None = None
        self._unread = 0

    async def connect(
        self,
        *,
        visitor: str | None = None,
        conversation: str | None = None,
        last: str | None = None,
        url: str = "http://shop.test/",
        title: str = "Shop",
    ) -> Frame:
        self.ws = await self.http.ws_connect(
            f"{self.base}/widget/ws", headers={"Origin": self.origin}
        )
        await self.send(
            {
                "t": "hello",
                "visitor": visitor or self.visitor,
                "site": "default",
                "conversation": conversation,
                "last": last,
                "page": {"url": url, "title": title, "referrer": ""},
            }
        )
        welcome = await self.wait_for(lambda f: f["t"] == "welcome")
        self.visitor = welcome["visitor"]
        return welcome

    async def send(self, frame: Frame) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(frame))

    async def send_raw(self, text: str) -> None:
        assert self.ws is not None
        await self.ws.send_str(text)

    async def _receive(self, within: float) -> Frame:
        assert self.ws is not None
        message = await self.ws.receive(timeout=within)
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"websocket closed: {message.type} {message.data!r}")
        frame: Frame = json.loads(message.data)
        self._record(frame)
        return frame

    def _record(self, frame: Frame) -> None:
        self.frames.append(frame)
        if frame["t"] == "event" and frame["id"] not in self.events:
            self.events[frame["id"]] = frame
            self.order.append(frame["id"])
        elif frame["t"] == "state":
            self.state = frame["conversation"]
            self.conversation = frame["conversation"]["id"]
        elif frame["t"] == "welcome" and frame.get("conversation"):
            self.conversation = frame["conversation"]["id"]

    async def wait_for(self, predicate: Callable[[Frame], bool], within: float = 5.0) -> Frame:
        """The first frame (already received or coming) that matches."""
        for frame in self.frames:
            if predicate(frame):
                self.frames.remove(frame)
                return frame
        async with asyncio.timeout(within):
            while True:
                frame = await self._receive(within)
                if predicate(frame):
                    self.frames.remove(frame)
                    return frame

    async def wait_event(self, predicate: Callable[[Frame], bool], within: float = 5.0) -> Frame:
        for event_id in self.order:
            if predicate(self.events[event_id]):
                return self.events[event_id]
        return await self.wait_for(lambda f: f["t"] == "event" and predicate(f), within)

    async def wait_state(self, predicate: Callable[[Frame], bool], within: float = 5.0) -> Frame:
        if self.state is not None and predicate(self.state):
            return self.state
        frame = await self.wait_for(
            lambda f: f["t"] == "state" and predicate(f["conversation"]), within
        )
        return frame["conversation"]  # type: ignore[no-any-return]

    def texts(self) -> list[str]:
        return [self.events[i]["text"] for i in self.order if self.events[i]["kind"] == "message"]

    @property
    def last(self) -> str | None:
        return self.order[-1] if self.order else None

    # -- what a customer does -----------------------------------------------------------------

    async def start(self) -> Frame:
        await self.send({"t": "start"})
        return await self.wait_state(lambda c: c["state"] == "automatic")

    async def queued(
        self, department: str = "vendas", name: str = "Maria", email: str = "maria@x.com"
    ) -> Frame:
        await self.start()
        await self.send({"t": "department", "department": department})
        await self.wait_state(lambda c: c["step"] == "form")
        await self.send({"t": "form", "values": {"name": name, "email": email}})
        return await self.wait_state(lambda c: c["state"] == "queued")

    async def say(self, text: str, attachments: list[str] | None = None) -> Frame:
        client_id = uuid.uuid4().hex
        await self.send(
            {"t": "say", "id": client_id, "text": text, "attachments": attachments or []}
        )
        return await self.wait_for(
            lambda f: f["t"] in ("ack", "error") and f.get("id", f.get("ref")) == client_id
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
