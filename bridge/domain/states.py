"""The conversation state machine, as a table. The Lua scripts enforce the same table."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from bridge.domain.errors import IllegalTransition
from bridge.domain.model import ConversationState

AUTOMATIC = ConversationState.AUTOMATIC
QUEUED = ConversationState.QUEUED
IN_SERVICE = ConversationState.IN_SERVICE
CLOSED = ConversationState.CLOSED


class Action(StrEnum):
    CUSTOMER_MESSAGE = "customer_message"
    CHOOSE_DEPARTMENT = "choose_department"
    SUBMIT_FORM = "submit_form"
    BOT_STEP = "bot_step"
    ENQUEUE = "enqueue"
    CLAIM = "claim"
    REPLY = "reply"
    NOTE = "note"
    PEEK = "peek"
    TRANSFER_TO_DEPARTMENT = "transfer_to_department"
    TRANSFER_TO_AGENT = "transfer_to_agent"
    CLOSE = "close"
    RATE = "rate"
    EDIT = "edit"
    SYSTEM_NOTICE = "system_notice"
    REOPEN = "reopen"
    REOPEN_TO_AGENT = "reopen_to_agent"


NEXT: Final[Mapping[tuple[ConversationState, Action], ConversationState]] = {
    (AUTOMATIC, Action.CUSTOMER_MESSAGE): AUTOMATIC,
    (AUTOMATIC, Action.CHOOSE_DEPARTMENT): AUTOMATIC,
    (AUTOMATIC, Action.SUBMIT_FORM): AUTOMATIC,
    (AUTOMATIC, Action.BOT_STEP): AUTOMATIC,
    (AUTOMATIC, Action.ENQUEUE): QUEUED,
    (AUTOMATIC, Action.NOTE): AUTOMATIC,
    (AUTOMATIC, Action.PEEK): AUTOMATIC,
    (AUTOMATIC, Action.TRANSFER_TO_DEPARTMENT): QUEUED,
    (AUTOMATIC, Action.TRANSFER_TO_AGENT): IN_SERVICE,
    (AUTOMATIC, Action.CLOSE): CLOSED,
    (QUEUED, Action.CUSTOMER_MESSAGE): QUEUED,
    (QUEUED, Action.CLAIM): IN_SERVICE,
    (QUEUED, Action.NOTE): QUEUED,
    (QUEUED, Action.PEEK): QUEUED,
    (QUEUED, Action.TRANSFER_TO_DEPARTMENT): QUEUED,
    (QUEUED, Action.TRANSFER_TO_AGENT): IN_SERVICE,
    (QUEUED, Action.CLOSE): CLOSED,
    (IN_SERVICE, Action.CUSTOMER_MESSAGE): IN_SERVICE,
    (IN_SERVICE, Action.REPLY): IN_SERVICE,
    (IN_SERVICE, Action.NOTE): IN_SERVICE,
    (IN_SERVICE, Action.PEEK): IN_SERVICE,
    (IN_SERVICE, Action.EDIT): IN_SERVICE,
    (IN_SERVICE, Action.TRANSFER_TO_DEPARTMENT): QUEUED,
    (IN_SERVICE, Action.TRANSFER_TO_AGENT): IN_SERVICE,
    (IN_SERVICE, Action.CLOSE): CLOSED,
    (CLOSED, Action.RATE): CLOSED,
    (CLOSED, Action.NOTE): CLOSED,
    (CLOSED, Action.EDIT): CLOSED,
    (AUTOMATIC, Action.SYSTEM_NOTICE): AUTOMATIC,
    (QUEUED, Action.SYSTEM_NOTICE): QUEUED,
    (IN_SERVICE, Action.SYSTEM_NOTICE): IN_SERVICE,
    (CLOSED, Action.SYSTEM_NOTICE): CLOSED,
    (CLOSED, Action.REOPEN): QUEUED,
    (CLOSED, Action.REOPEN_TO_AGENT): IN_SERVICE,
}


def allowed_from(action: Action) -> tuple[ConversationState, ...]:
    return tuple(state for (state, act) in NEXT if act is action)


def next_state(
    conversation_id: str, current: ConversationState, action: Action
) -> ConversationState:
    try:
        return NEXT[(current, action)]
    except KeyError:
        expected = " or ".join(s.value for s in allowed_from(action))
        raise IllegalTransition(conversation_id, current.value, action.value, expected) from None


def lua_table() -> str:
    """The table as a Lua literal, prepended to every transition script (see store/scripts.py)."""
    rows = ", ".join(f'["{s.value}|{a.value}"]="{n.value}"' for (s, a), n in NEXT.items())
    return "{" + rows + "}"
