"""Visitors (leads): what page they are on, for how long, and whether they are online."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bridge.domain.ids import ContactId, ConversationId, VisitorId
from bridge.domain.model import Visitor
from bridge.store import replies
from bridge.store.codec import visitor_from
from bridge.store.keys import Keys

PAGES_KEPT = 50
TOUCH_CHUNK = 1000  # visitors per pipeline when heartbeats are written together


@dataclass(frozen=True, slots=True)
class PageView:
    url: str
    title: str
    referrer: str
    new_page: bool  # a navigation, not a heartbeat on the same page


class VisitorStore:
    def __init__(self, redis: Redis, keys: Keys, ttl_seconds: int) -> None:
        self._redis, self._keys, self._ttl = redis, keys, ttl_seconds

    async def touch(self, vid: VisitorId, now_ms: int, view: PageView) -> None:
        """Record a page view (or a refresh of the page), atomically (MULTI), and mark the
        visitor online."""
        k = self._keys
        key, pages = k.visitor(vid), k.visitor_pages(vid)
        async with self._redis.pipeline(transaction=True) as pipe:
            self._stamp(pipe, vid, now_ms)
            pipe.hset(key, mapping={"url": view.url, "title": view.title})
            if view.referrer:
                pipe.hsetnx(key, "ref", view.referrer)
            if view.new_page:
                pipe.hincrby(key, "pages", 1)
                pipe.lpush(pages, f"{now_ms}|{view.url}|{view.title}")
                pipe.ltrim(pages, 0, PAGES_KEPT - 1)
                pipe.expire(pages, self._ttl)
            pipe.zadd(k.leads_online(), {vid: now_ms})
            await pipe.execute()

    async def touch_many(self, vids: Collection[VisitorId], now_ms: int) -> None:
        """Heartbeats of many visitors at once: one pipeline (no MULTI: each visitor's fields
        stand alone) and one ZADD for the online set, in chunks."""
        ordered = list(vids)
        for start in range(0, len(ordered), TOUCH_CHUNK):
            chunk = ordered[start : start + TOUCH_CHUNK]
            async with self._redis.pipeline(transaction=False) as pipe:
                for vid in chunk:
                    self._stamp(pipe, vid, now_ms)
                pipe.zadd(self._keys.leads_online(), dict.fromkeys(chunk, now_ms))
                await pipe.execute()

    def _stamp(self, pipe: Pipeline, vid: VisitorId, now_ms: int) -> None:
        """First and last seen, and the expiry they renew."""
        key = self._keys.visitor(vid)
        pipe.hsetnx(key, "first", now_ms)
        pipe.hset(key, mapping={"id": vid, "last": now_ms})
        pipe.expire(key, self._ttl)

    async def get(self, vid: VisitorId, online_since_ms: int) -> Visitor | None:
        found = await self.get_many([vid], online_since_ms)
        return found.get(vid)

    async def get_many(
        self, vids: Sequence[VisitorId], online_since_ms: int
    ) -> dict[VisitorId, Visitor]:
        if not vids:
            return {}
        async with self._redis.pipeline(transaction=False) as pipe:
            for vid in vids:
                pipe.hgetall(self._keys.visitor(vid))
                pipe.zscore(self._keys.leads_online(), vid)
            rows = await pipe.execute()
        out: dict[VisitorId, Visitor] = {}
        for i in range(0, len(rows), 2):
            body, seen = replies.fields(rows[i]), rows[i + 1]
            if body:
                visitor = visitor_from(body, seen is not None and seen >= online_since_ms)
                out[visitor.id] = visitor
        return out

    async def online(self, since_ms: int, limit: int) -> list[VisitorId]:
        """Visitors seen since `since_ms`, most recent first; older entries are pruned."""
        key = self._keys.leads_online()
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", f"({since_ms}")
            pipe.zrevrange(key, 0, limit - 1)
            _, rows = await pipe.execute()
        return [VisitorId(r) for r in replies.texts(rows)]

    async def online_count(self, since_ms: int) -> int:
        return int(await self._redis.zcount(self._keys.leads_online(), since_ms, "+inf"))

    async def link_contact(self, vid: VisitorId, contact: ContactId) -> ContactId:
        """The visitor's contact: the existing one, or `contact` when it had none (HSETNX)."""
        key = self._keys.visitor(vid)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hsetnx(key, "contact", contact)
            pipe.hget(key, "contact")
            pipe.expire(key, self._ttl)
            _, current, _ = await pipe.execute()
        return ContactId(replies.text(current))

    async def move_to_contact(
        self, vid: VisitorId, contact: ContactId, open_conversation: tuple[str, int] | None
    ) -> None:
        """The visitor (and its open conversation, given as (cid, created ms)) now belong to
        `contact`, atomically (MULTI)."""
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(k.visitor(vid), "contact", contact)
            if open_conversation is not None:
                cid, created = open_conversation
                pipe.hset(k.conversation(ConversationId(cid)), "contact", contact)
                pipe.zadd(k.contact_conversations(contact), {cid: created})
            await pipe.execute()

    async def pages(self, vid: VisitorId, limit: int = PAGES_KEPT) -> list[tuple[int, str, str]]:
        raw = await self._redis.lrange(self._keys.visitor_pages(vid), 0, limit - 1)
        out = []
        for row in replies.texts(raw):
            ms, _, rest = row.partition("|")
            url, _, title = rest.partition("|")
            out.append((int(ms), url, title))
        return out
