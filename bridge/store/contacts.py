"""Contacts and their accent-insensitive prefix index (one sorted set, ZRANGEBYLEX)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.asyncio import Redis

from bridge.domain.errors import NotFound
from bridge.domain.ids import ContactId
from bridge.domain.model import Contact
from bridge.domain.text import search_tokens
from bridge.store import replies
from bridge.store.codec import contact_fields, contact_from, dumps, to_ms
from bridge.store.keys import Keys
from bridge.store.scripts import Scripts

SEARCH_SCAN = 500  # index entries read per word: bounds every search


def _tokens(c: Contact) -> list[str]:
    return sorted(search_tokens(c.name, c.email, c.phone, *c.tags, *c.fields.values()))


class ContactStore:
    def __init__(self, redis: Redis, keys: Keys, scripts: Scripts) -> None:
        self._redis, self._keys, self._scripts = redis, keys, scripts

    async def create(self, contact: Contact) -> None:
        created = to_ms(contact.created_at) if contact.created_at else 0
        await self._write(contact, contact_fields(contact), created, create=True)

    async def save(self, contact: Contact) -> None:
        """Overwrite a contact's fields and re-index it."""
        fields = contact_fields(contact)
        fields.pop("created")
        fields.pop("id")
        await self._write(contact, fields, 0, create=False)

    async def _write(
        self, contact: Contact, fields: Mapping[str, str], created: int, *, create: bool
    ) -> None:
        k = self._keys
        keys = [k.contact(contact.id), k.contacts_index(), k.contacts_all()]
        args: list[str | int] = [
            contact.id,
            dumps(dict(fields)),
            dumps(_tokens(contact)),
            created,
            "1" if create else "",
        ]
        reply = await self._scripts.run("contact", keys, args)
        if reply[0] == "missing":
            raise NotFound("contact", contact.id)

    async def get(self, kid: ContactId) -> Contact | None:
        body = replies.fields(await self._redis.hgetall(self._keys.contact(kid)))
        return contact_from(body) if body else None

    async def get_many(self, kids: Sequence[ContactId]) -> dict[ContactId, Contact]:
        if not kids:
            return {}
        async with self._redis.pipeline(transaction=False) as pipe:
            for kid in kids:
                pipe.hgetall(self._keys.contact(kid))
            rows = await pipe.execute()
        return {c.id: c for c in (contact_from(replies.fields(r)) for r in rows if r)}

    async def search(self, words: Sequence[str]) -> list[ContactId]:
        """Contacts having, for every word, a token starting with it. Bounded per word."""
        found: set[ContactId] | None = None
        for word in words:
            members = await self._redis.zrangebylex(
                self._keys.contacts_index(), f"[{word}", f"[{word}\xff", start=0, num=SEARCH_SCAN
            )
            ids = {ContactId(m.rpartition("|")[2]) for m in replies.texts(members)}
            found = ids if found is None else found & ids
        return sorted(found or ())

    async def claim_external(self, key: str, candidate: ContactId) -> ContactId:
        """The contact of an external identity: the existing one, or `candidate` (SET NX)."""
        name = self._keys.contact_external(key)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(name, candidate, nx=True)
            pipe.get(name)
            _, current = await pipe.execute()
        return ContactId(replies.text(current))

    async def recent(self, offset: int, limit: int) -> list[ContactId]:
        rows = await self._redis.zrevrange(self._keys.contacts_all(), offset, offset + limit - 1)
        return [ContactId(r) for r in replies.texts(rows)]

    async def total(self) -> int:
        return int(await self._redis.zcard(self._keys.contacts_all()))
