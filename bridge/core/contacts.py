"""Editing contacts (name, e-mail, phone, tags, custom fields), validated like the form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bridge.core.timeline import TO_THREAD, event
from bridge.domain.errors import InvalidInput, NotFound
from bridge.domain.events import EventKind
from bridge.domain.ids import ContactId
from bridge.domain.model import SYSTEM, ActorRef, AgentActor, Contact, ConversationState
from bridge.domain.states import Action
from bridge.domain.text import clean_message
from bridge.ports import Clock
from bridge.store import Store
from bridge.store.codec import to_ms

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TAG = re.compile(r"[\w-]{1,30}")
MAX_TAGS = 20


class Contacts:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store, self._clock = store, clock

    async def get(self, kid: ContactId) -> Contact:
        found = await self._store.contacts.get(kid)
        if found is None:
            raise NotFound("contact", kid)
        return found

    async def update(
        self,
        kid: ContactId,
        *,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        tags: Sequence[str] | None = None,
        fields: Mapping[str, str] | None = None,
        by: AgentActor | None = None,
    ) -> Contact:
        """Change what is given; every value is checked first, so a bad one changes nothing.
        The contact's open conversations get a timeline entry, which refreshes their cards."""
        contact = await self.get(kid)
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = clean_message(name, limit=120, field="name")
        if email is not None:
            changes["email"] = check_email(email)
        if phone is not None:
            changes["phone"] = check_phone(phone)
        if tags is not None:
            changes["tags"] = _tags(tags)
        if fields is not None:
            clean = {k: clean_message(v, limit=500, field=k) for k, v in fields.items()}
            changes["fields"] = {**contact.fields, **clean}
        updated = replace(contact, **changes)  # type: ignore[arg-type]  # checked above
        await self._store.contacts.save(updated)
        await self._announce(kid, sorted(changes), by)
        return updated

    async def _announce(self, kid: ContactId, changed: list[str], by: AgentActor | None) -> None:
        scored = await self._store.indexes.contact_conversations(kid, limit=20)
        conversations = await self._store.conversations.get_many(
            [s.conversation_id for s in scored]
        )
        now = self._clock.now()
        actor = ActorRef.agent(by) if by else SYSTEM
        spec = event(
            EventKind.CONTACT_UPDATED, now, actor, TO_THREAD, data={"fields": ",".join(changed)}
        )
        for c in conversations:
            if c.state is not ConversationState.CLOSED:
                await self._store.conversations.append(
                    c.id, Action.SYSTEM_NOTICE, [spec], to_ms(now)
                )

    async def save(self, contact: Contact) -> None:
        await self._store.contacts.save(contact)


def check_email(value: str) -> str:
    value = value.strip()
    if value and not _EMAIL.fullmatch(value):
        raise InvalidInput("email", f"not an e-mail address: {value[:60]!r}")
    return value


def check_phone(value: str) -> str:
    value = value.strip()
    digits = sum(c.isdigit() for c in value)
    if value and (not 8 <= digits <= 15 or any(not (c.isdigit() or c in "+-() .") for c in value)):
        raise InvalidInput("phone", f"not a phone number: {value[:40]!r}")
    return value


def _tags(values: Sequence[str]) -> tuple[str, ...]:
    tags = tuple(dict.fromkeys(t.strip().lower() for t in values if t.strip()))
    bad = [t for t in tags if not _TAG.fullmatch(t)]
    if bad or len(tags) > MAX_TAGS:
        raise InvalidInput("tags", f"tags are up to {MAX_TAGS} words of letters, digits, _ and -")
    return tags
