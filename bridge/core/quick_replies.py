"""Quick replies (atalhos): configured texts with placeholders, sent as the agent's reply."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bridge.core.base import ConversationOps, Deps
from bridge.core.conversations import Conversations, Written
from bridge.core.files import Files, sniff
from bridge.domain.errors import InvalidInput, NotFound
from bridge.domain.ids import ConversationId
from bridge.domain.model import AgentActor, Attachment, Contact, Conversation
from bridge.settings.rules import QuickReplySettings

_PLACEHOLDER = re.compile(r"\{(contact|agent|department|conversation)\.(\w+)\}")


class QuickReplies(ConversationOps):
    def __init__(self, deps: Deps, conversations: Conversations) -> None:
        super().__init__(deps)
        self._conversations = conversations

    def available(self, cid_department: str | None) -> list[QuickReplySettings]:
        return self._directory.quick_replies(cid_department)

    async def send(self, cid: ConversationId, by: AgentActor, name: str) -> Written:
        """Reply with quick reply `name`, placeholders filled, as if the agent typed it (the
        agent must hold the conversation)."""
        c = await self.get(cid)
        reply = next((r for r in self.available(c.department_id) if r.name == name), None)
        if reply is None:
            names = ", ".join(r.name for r in self.available(c.department_id)) or "none"
            raise NotFound("quick reply", f"{name} (available: {names})")
        contact = await self._store.contacts.get(c.contact_id) or Contact(c.contact_id)
        text = self.fill(reply.text, c, contact, by)
        attachments: tuple[Attachment, ...] = ()
        if reply.file:
            attachments = (await self._attachment(c, reply.file),)
        return await self._conversations.reply(cid, by, text, attachments=attachments)

    def fill(self, text: str, c: Conversation, contact: Contact, agent: AgentActor) -> str:
        """{contact.name}, {contact.email}, {contact.phone}, {agent.name}, {department.name},
        {conversation.number}; an unknown placeholder is left as written."""
        values = {
            "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone},
            "agent": {"name": agent.name, "id": agent.id},
            "department": {
                "name": self._directory.settings.department_name(c.department_id),
                "id": c.department_id or "",
            },
            "conversation": {"number": str(c.number)},
        }

        def swap(match: re.Match[str]) -> str:
            found = values.get(match.group(1), {}).get(match.group(2))
            return found if found is not None else match.group(0)

        return _PLACEHOLDER.sub(swap, text)

    async def _attachment(self, c: Conversation, path: str) -> Attachment:
        file = Path(path)
        try:
            data = await asyncio.to_thread(file.read_bytes)
        except OSError as e:
            raise InvalidInput(
                "file", f"the quick reply's file cannot be read: {e.strerror}"
            ) from None
        mime = sniff(data, "text/plain")
        return await Files(self._store, self._directory.settings).save(c.id, data, file.name, mime)
