"""The agent actions both channels offer, as core calls whose errors become texts.

Every function returns an Outcome: what to tell the agent (ephemerally in Slack, as a toast in
Telegram) and, on success, the conversation as it is now. Errors are translated from their
fields, never by parsing messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bridge.core import Core
from bridge.domain.access import ThreadMessage
from bridge.domain.errors import (
    AlreadyClaimed,
    BridgeError,
    CapacityReached,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    Reserved,
    Unavailable,
)
from bridge.domain.ids import AgentId, ContactId, ConversationId, DepartmentId, VisitorId
from bridge.domain.model import AgentActor, Attachment, ChannelKind, Conversation, Presence
from bridge.domain.refs import ExternalRef
from bridge.domain.views import Peek
from channels.common.identity import agent_for, language
from channels.common.texts import Texts


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    text: str
    conversation: Conversation | None = None
    peek: Peek | None = None
    kept_internal: bool = False  # a thread message that became an internal note


def explain(error: BridgeError, t: Texts, conversation: Conversation | None = None) -> str:
    """The text for a domain error, built from its fields."""
    number = conversation.number if conversation else "?"
    match error:
        case AlreadyClaimed():
            return t("claim.taken", number=number, winner=error.winner)
        case Reserved():
            return t("claim.reserved", number=number, agent=error.agent, until=error.until)
        case CapacityReached():
            return t("claim.capacity", limit=error.limit)
        case Forbidden():
            return t("forbidden", reason=error.reason)
        case IllegalTransition():
            return t("illegal", state=t(f"state.{error.current}"))
        case NotFound():
            return t("not_found", what=f"{error.what} {error.ident}")
        case InvalidInput():
            return t("invalid", message=error.message)
        case Unavailable():
            return t("unavailable")
        case _:
            return str(error)


def local_time(core: Core, conversation: Conversation | None, ms: str) -> str:
    """Epoch milliseconds as HH:MM in the conversation's department's time zone."""
    dept = (
        core.directory.department(conversation.department_id)
        if conversation and conversation.department_id
        else None
    )
    zone = ZoneInfo(dept.timezone) if dept else UTC
    try:
        return datetime.fromtimestamp(int(ms) / 1000, tz=UTC).astimezone(zone).strftime("%H:%M")
    except ValueError:
        return ms


class Actions:
    """Bound to one channel kind: maps its user ids to agents and speaks its language."""

    def __init__(self, core: Core, kind: ChannelKind) -> None:
        self.core, self.kind = core, kind
        self.t = Texts(language(core, kind))

    def agent(self, user: str | int) -> AgentActor | None:
        return agent_for(self.core, self.kind, user)

    def _refused(self, error: BridgeError, conversation: Conversation | None = None) -> Outcome:
        if isinstance(error, AlreadyClaimed):
            error = AlreadyClaimed(
                error.conversation_id, self.core.settings.agent_name(error.winner)
            )
        if isinstance(error, Reserved):
            until = local_time(self.core, conversation, error.until)
            name = self.core.settings.agent_name(error.agent)
            error = Reserved(error.conversation_id, name, until)
        return Outcome(False, explain(error, self.t, conversation), conversation)

    async def _conversation(self, cid: str) -> Conversation | None:
        try:
            return await self.core.conversations.get(ConversationId(cid))
        except NotFound:
            return None

    async def claim(self, user: str | int, cid: str) -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        before = await self._conversation(cid)
        try:
            after = await self.core.conversations.claim(ConversationId(cid), agent)
        except BridgeError as e:
            return self._refused(e, before)
        return Outcome(True, self.t("claim.won", number=after.number), after)

    async def peek(self, user: str | int, cid: str, limit: int = 10) -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        try:
            peek = await self.core.conversations.peek(ConversationId(cid), agent, limit)
        except BridgeError as e:
            return self._refused(e, await self._conversation(cid))
        c = peek.conversation
        title = self.t("peek.title", number=c.number, state=self.t(f"state.{c.state.value}"))
        return Outcome(True, title, c, peek)

    async def transfer(
        self,
        user: str | int,
        cid: str,
        *,
        department: str | None = None,
        agent: str | None = None,
        note: str = "",
    ) -> Outcome:
        actor = self.agent(user)
        if actor is None:
            return Outcome(False, self.t("not_agent"))
        try:
            after = await self.core.conversations.transfer(
                ConversationId(cid),
                actor,
                note=note,
                department=DepartmentId(department) if department else None,
                agent=AgentId(agent) if agent else None,
            )
        except BridgeError as e:
            return self._refused(e, await self._conversation(cid))
        target = (
            self.core.settings.agent_name(agent)
            if agent
            else self.core.settings.department_name(department)
        )
        return Outcome(True, self.t("transfer.done", number=after.number, target=target), after)

    async def close(self, user: str | int, cid: str, reason: str = "") -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        try:
            after = await self.core.conversations.close(ConversationId(cid), agent, reason)
        except BridgeError as e:
            return self._refused(e, await self._conversation(cid))
        return Outcome(True, self.t("close.done", number=after.number), after)

    async def thread_message(
        self,
        user: str | int,
        user_name: str,
        cid: str,
        text: str,
        *,
        source: ExternalRef,
        event_key: str | None,
        attachments: tuple[Attachment, ...] = (),
    ) -> Outcome:
        """A message in a conversation's thread: reply, note, or claim-and-reply (see core)."""
        agent = self.agent(user)
        prefix = self._note_prefix()
        as_note = text.lstrip().startswith(prefix)
        body = text.lstrip()[len(prefix) :].lstrip() if as_note else text
        try:
            written = await self.core.conversations.thread_message(
                ConversationId(cid),
                agent,
                body,
                author_name=agent.name if agent else user_name,
                source=source,
                event_key=event_key,
                as_note=as_note,
                attachments=attachments,
            )
        except BridgeError as e:
            return self._refused(e, await self._conversation(cid))
        if written.outcome is ThreadMessage.NOTE:
            return Outcome(True, self.t("note.kept"), kept_internal=True)
        return Outcome(True, self.t("reply.sent") if written.outcome else "")

    def _note_prefix(self) -> str:
        s = self.core.settings
        return (s.slack if self.kind is ChannelKind.SLACK else s.telegram).note_prefix

    async def start_with_lead(self, user: str | int, visitor: str, text: str) -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        try:
            c = await self.core.customers.start_by_agent(agent, VisitorId(visitor), text)
        except BridgeError as e:
            return self._refused(e)
        return Outcome(True, self.t("chat.started", number=c.number, name=visitor), c)

    async def start_with_contact(self, user: str | int, contact: str, text: str) -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        try:
            c = await self.core.customers.start_with_contact(agent, ContactId(contact), text)
            found = await self.core.contacts.get(ContactId(contact))
        except BridgeError as e:
            return self._refused(e)
        return Outcome(True, self.t("chat.started", number=c.number, name=found.display_name), c)

    async def set_status(self, user: str | int, status: str) -> Outcome:
        """`status online|away|offline` (empty: tell the current one)."""
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        if not status:
            current = await self.core.agents.presence(agent)
            return Outcome(
                True, self.t("status.current", status=self.t(f"presence.{current.value}"))
            )
        try:
            presence = Presence(status.strip().lower())
        except ValueError:
            return Outcome(False, self.t("status.bad", status=status))
        await self.core.agents.set_presence(agent, presence)
        return Outcome(True, self.t("status.set", status=self.t(f"presence.{presence.value}")))

    async def quick_reply(self, user: str | int, cid: str, name: str) -> Outcome:
        """Send quick reply `name` in conversation `cid` (the agent must hold it)."""
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        c = await self._conversation(cid)
        try:
            await self.core.quick_replies.send(ConversationId(cid), agent, name)
        except NotFound:
            names = ", ".join(
                r.name for r in self.core.quick_replies.available(c.department_id if c else None)
            )
            return Outcome(False, self.t("reply.unknown", name=name, names=names or "—"))
        except BridgeError as e:
            return self._refused(e, c)
        return Outcome(
            True, self.t("reply.quick_sent", name=name, number=c.number if c else "?"), c
        )

    async def internal(self, user: str | int, recipient: str, text: str) -> Outcome:
        agent = self.agent(user)
        if agent is None:
            return Outcome(False, self.t("not_agent"))
        try:
            await self.core.agents.send_internal(agent, AgentId(recipient), text)
        except BridgeError as e:
            return self._refused(e)
        return Outcome(True, self.t("internal.sent", name=self.core.settings.agent_name(recipient)))
