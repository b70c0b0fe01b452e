"""A logged-in customer, identified by the site that embeds the widget. The widget checks the
site's HMAC first; here the visitor joins the contact of that user (history follows the user
across devices) and the contact's details are updated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from bridge.core.contacts import Contacts, check_email, check_phone
from bridge.core.customer_base import CustomerOps
from bridge.domain.errors import InvalidInput
from bridge.domain.ids import ContactId, VisitorId, new_contact_id
from bridge.domain.model import ChannelKind, Contact, ConversationState
from bridge.store.codec import to_ms

_USER = re.compile(r"[A-Za-z0-9._@:+-]{1,128}")


class Identity(CustomerOps):
    async def identify(
        self,
        vid: VisitorId,
        site: str,
        user_id: str,
        *,
        name: str = "",
        email: str = "",
        phone: str = "",
        fields: Mapping[str, str] | None = None,
    ) -> Contact:
        """Only for identities the site vouched for (a valid HMAC, checked by the widget)."""
        if not _USER.fullmatch(user_id) or not _USER.fullmatch(site):
            raise InvalidInput("user", "a user id is 1 to 128 letters, digits or ._@:+-")
        check_email(email)  # every detail is checked before anything changes
        check_phone(phone)
        contact = await self._contact_of(site, user_id)
        await self._remember_visitor(contact, vid, site, user_id)
        current = await self._store.conversations.visitor_conversation(vid)
        c = await self._store.conversations.get(current) if current else None
        moving = (
            c if c and c.state is not ConversationState.CLOSED and c.contact_id != contact else None
        )
        opened = (moving.id, to_ms(moving.created_at)) if moving else None
        await self._store.visitors.move_to_contact(vid, contact, opened)
        updated = await Contacts(self._store, self._clock).update(
            contact, name=name or None, email=email or None, phone=phone or None, fields=fields
        )
        return updated

    async def _remember_visitor(
        self, kid: ContactId, vid: VisitorId, site: str, user_id: str
    ) -> None:
        """The contact's widget identity is its latest visitor (proactive chats reach it)."""
        found = await self._store.contacts.get(kid)
        if found is not None:
            identities = {
                **found.identities,
                ChannelKind.WIDGET.value: vid,
                f"site:{site}": user_id,
            }
            await self._store.contacts.save(replace(found, identities=identities))

    async def _contact_of(self, site: str, user_id: str) -> ContactId:
        candidate = new_contact_id()
        contact = await self._store.contacts.claim_external(f"{site}:{user_id}", candidate)
        if contact == candidate:
            await self._store.contacts.create(Contact(candidate, created_at=self._clock.now()))
        return contact
