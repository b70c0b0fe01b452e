"""Leads: every visitor of a page carrying the widget, followed live."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from redis.exceptions import RedisError

from bridge.domain.errors import NotFound
from bridge.domain.ids import VisitorId
from bridge.domain.model import Visitor
from bridge.domain.text import fold
from bridge.domain.views import Lead, Page
from bridge.lifecycle import stop_task
from bridge.ports import Clock
from bridge.store import Store
from bridge.store.codec import to_ms
from bridge.store.visitors import PageView

log = logging.getLogger("ponte.leads")

ONLINE_WINDOW = timedelta(seconds=60)  # offline within a minute of the last tab closing
LEADS_SCAN = 1000
ALIVE_FLUSH_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class LeadFilter:
    page: str = ""  # part of the URL or title
    min_seconds: int = 0  # time on site
    has_chat: bool | None = None


def _clip(text: str, limit: int) -> str:
    return text[:limit] if isinstance(text, str) else ""


class Leads:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store, self._clock = store, clock
        self._alive: set[VisitorId] = set()

    async def visit(
        self, vid: VisitorId, *, url: str, title: str, referrer: str = "", new_page: bool = True
    ) -> None:
        """A page view (new_page) or a refresh of what the visitor is looking at."""
        view = PageView(_clip(url, 2000), _clip(title, 300), _clip(referrer, 2000), new_page)
        await self._store.visitors.touch(vid, to_ms(self._clock.now()), view)

    # -- the widget's pings, batched ----------------------------------------------------------

    def alive(self, vid: VisitorId) -> None:
        """A widget ping: the visitor is still here. Buffered, and written for every visitor
        heard once a second in one pipeline (`lifespan` owns the flusher): with 10,000 open
        tabs pinging every 25 s that is one write a second instead of 400. Online status is
        a 60 s window, so a second's delay changes nothing anyone sees."""
        self._alive.add(vid)

    async def flush(self) -> int:
        """Write the buffered pings now; returns how many visitors. On a Redis error they stay
        buffered for the next flush."""
        if not self._alive:
            return 0
        vids, self._alive = self._alive, set()
        try:
            await self._store.visitors.touch_many(vids, to_ms(self._clock.now()))
        except BaseException:
            self._alive |= vids
            raise
        return len(vids)

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        task = asyncio.create_task(self._flush_loop(), name="leads-alive")
        try:
            yield
        finally:
            await stop_task(task)
            with suppress(RedisError, OSError):
                await self.flush()  # what the last second heard

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(ALIVE_FLUSH_SECONDS)
            try:
                await self.flush()
            except (RedisError, OSError) as e:
                log.warning("leads.flush_failed", extra={"error": str(e)})

    async def visitor(self, vid: VisitorId) -> Visitor:
        found = await self._store.visitors.get(vid, self._since())
        if found is None:
            raise NotFound("visitor", vid)
        return found

    def _since(self) -> int:
        return to_ms(self._clock.now() - ONLINE_WINDOW)

    async def online(
        self, filters: LeadFilter = LeadFilter(), cursor: str | None = None, limit: int = 10
    ) -> Page[Lead]:
        """Online visitors, most recently active first, filtered by page, time and chat."""
        vids = await self._store.visitors.online(self._since(), LEADS_SCAN)
        visitors = await self._store.visitors.get_many(vids, self._since())
        chosen = [v for vid in vids if (v := visitors.get(vid)) and _matches(v, filters)]
        offset = int(cursor) if cursor and cursor.isdigit() else 0
        window = chosen[offset : offset + limit]
        contacts = await self._store.contacts.get_many(
            [v.contact_id for v in window if v.contact_id]
        )
        convs = await self._store.conversations.get_many(
            [v.conversation_id for v in window if v.conversation_id]
        )
        by_id = {c.id: c for c in convs}
        leads = [
            Lead(
                v,
                contacts.get(v.contact_id) if v.contact_id else None,
                by_id.get(v.conversation_id) if v.conversation_id else None,
            )
            for v in window
        ]
        more = offset + limit < len(chosen)
        return Page(leads, str(offset + limit) if more else None, len(chosen))

    async def online_count(self) -> int:
        return await self._store.visitors.online_count(self._since())

    async def pages(self, vid: VisitorId) -> list[tuple[int, str, str]]:
        return await self._store.visitors.pages(vid)


def _matches(v: Visitor, f: LeadFilter) -> bool:
    if f.page and fold(f.page) not in fold(f"{v.page_url} {v.page_title}"):
        return False
    if v.time_on_site_seconds < f.min_seconds:
        return False
    return f.has_chat is None or v.chatting == f.has_chat
