"""Who may do what to which conversation. Pure rules; the Lua scripts enforce them atomically."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bridge.domain.errors import Forbidden
from bridge.domain.ids import DepartmentId
from bridge.domain.model import AgentActor, Conversation, ConversationState


def can_access(agent: AgentActor, department: DepartmentId | None) -> bool:
    """Supervisors and admins reach every department; agents only their own."""
    if agent.sees_everything:
        return True
    return department is not None and department in agent.departments


def require_access(agent: AgentActor, conversation: Conversation, action: str) -> None:
    if not can_access(agent, conversation.department_id):
        dept = conversation.department_id or "no department yet"
        raise Forbidden(agent.id, f"{action} {conversation.id}", f"no access to {dept}")


class ThreadMessage(StrEnum):
    """What a message an agent writes in a conversation's thread becomes."""

    REPLY = "reply"  # sent to the customer
    CLAIM_AND_REPLY = "claim_reply"  # claims the waiting chat first, then sent
    NOTE = "note"  # internal: never reaches the customer


def thread_message_outcome(
    agent: AgentActor | None,
    conversation: Conversation,
    *,
    as_note: bool,
    auto_claim: bool,
    active_chats: int,
    now: datetime | None = None,
) -> ThreadMessage:
    """The rule the reply script applies: only the holder talks to the customer.

    A thread reply from the agent holding the chat is a reply; with the note prefix it is a note.
    From an agent with access, in a waiting chat, with `auto_claim` and free capacity, it claims
    the chat and is sent (unless it is reserved for its last agent, someone else, at `now`).
    From anyone else it stays an internal note.
    """
    if as_note or agent is None:
        return ThreadMessage.NOTE
    state = conversation.state
    if state is ConversationState.IN_SERVICE and conversation.assignee == agent.id:
        return ThreadMessage.REPLY
    claimable = state is ConversationState.QUEUED and can_access(agent, conversation.department_id)
    reserved = conversation.reserved_at(now) if now else None
    claimable = claimable and reserved in (None, agent.id)
    if claimable and auto_claim and active_chats < agent.max_chats:
        return ThreadMessage.CLAIM_AND_REPLY
    return ThreadMessage.NOTE
