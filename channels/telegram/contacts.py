"""Changing a conversation's contact from Telegram: /contact_edit <field> <value> in the topic,
or the contact section's buttons (a prompt answered by a reply). Only agents who may see the
conversation may change its contact."""

from __future__ import annotations

import re

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import ContactId, ConversationId
from channels.common.actions import explain
from channels.telegram.context import Context

ALIASES = {
    "name": "name",
    "nome": "name",
    "email": "email",
    "e-mail": "email",
    "phone": "phone",
    "telefone": "phone",
    "fone": "phone",
    "tags": "tags",
}
_TAG_SEPARATORS = re.compile(r"[,\s]+")


def parse_edit(args: str) -> tuple[str, str] | None:
    """'email maria@x.com' -> ('email', 'maria@x.com'); None when the field is unknown."""
    head, _, value = args.strip().partition(" ")
    field = ALIASES.get(head.lower())
    return (field, value.strip()) if field else None


class ContactEditor:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def update(self, user: int, cid: str, field: str, value: str) -> str:
        """Change one field; returns what to tell the agent (done, or why not)."""
        ctx, t = self._ctx, self._ctx.t
        agent = ctx.actions.agent(user)
        if agent is None:
            return t("not_agent")
        try:
            details = await ctx.core.queries.details(ConversationId(cid), agent, timeline_limit=1)
            await self._apply(details.contact.id, field, value)
        except BridgeError as e:
            return explain(e, t)
        return t("contact.updated", field=t(f"contact.field.{field}"), value=value)

    async def _apply(self, kid: ContactId, field: str, value: str) -> None:
        contacts = self._ctx.core.contacts
        match field:
            case "name":
                await contacts.update(kid, name=value)
            case "email":
                await contacts.update(kid, email=value)
            case "phone":
                await contacts.update(kid, phone=value)
            case "tags":
                tags = [tag for tag in _TAG_SEPARATORS.split(value.replace("#", " ")) if tag]
                await contacts.update(kid, tags=tags)
            case _:
                raise InvalidInput("field", f"unknown contact field {field!r}")
