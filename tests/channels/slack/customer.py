"""The customer side of the Slack tests, in one place: a browser tab of the widget over a real
WebSocket (tests/widget_client.py), plus the widget's upload and file endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp

from bridge.domain.ids import ConversationId
from tests.widget_client import Frame, WidgetClient

ORIGIN = "http://shop.test"


class Customer:
    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self._http, self._base = http, base.rstrip("/")
        self.tab = WidgetClient(http, base, ORIGIN)

    @property
    def conversation(self) -> ConversationId:
        assert self.tab.conversation is not None
        return ConversationId(self.tab.conversation)

    async def arrive(
        self,
        department: str = "vendas",
        name: str = "Maria",
        email: str = "maria@x.com",
        page: str = "https://shop.test/tenis",
    ) -> ConversationId:
        """Open the widget on `page`, choose the department, fill the form: queued."""
        await self.tab.connect(url=page, title="Tênis")
        await self.tab.queued(department, name, email)
        return self.conversation

    async def say(self, text: str, attachments: list[str] | None = None) -> Frame:
        ack = await self.tab.say(text, attachments)
        assert ack["t"] == "ack", ack
        return ack

    async def upload(self, name: str, data: bytes, mime: str) -> str:
        """A file through POST /widget/upload; returns its attachment id."""
        form = aiohttp.FormData()
        form.add_field("visitor", self.tab.visitor or "")
        form.add_field("conversation", self.conversation)
        form.add_field("file", data, filename=name, content_type=mime)
        url = f"{self._base}/widget/upload"
        async with self._http.post(url, data=form, headers={"Origin": ORIGIN}) as response:
            frame: dict[str, Any] = await response.json()
        assert response.status == 200, frame
        return str(frame["attachment"]["id"])

    async def download(self, url: str) -> bytes:
        """A file from an event frame's signed URL, as the browser fetches it."""
        full = url if url.startswith("http") else self._base + url
        async with self._http.get(full, headers={"Origin": ORIGIN}) as response:
            assert response.status == 200, await response.text()
            return await response.read()

    async def rate(self, rating: int, comment: str = "") -> None:
        await self.tab.send({"t": "rate", "rating": rating, "comment": comment})

    async def sees(self, predicate: Callable[[Frame], bool], within: float = 5.0) -> Frame:
        """The first event (already shown, or coming) that matches."""
        return await self.tab.wait_event(predicate, within)

    async def sees_text(self, text: str) -> Frame:
        return await self.sees(lambda e: e["kind"] == "message" and e["text"] == text)

    def texts(self) -> list[str]:
        return self.tab.texts()

    async def close(self) -> None:
        await self.tab.close()
