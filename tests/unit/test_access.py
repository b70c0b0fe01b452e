from datetime import UTC, datetime

import pytest

from bridge.domain.access import ThreadMessage, can_access, thread_message_outcome
from bridge.domain.ids import AgentId, ContactId, ConversationId, DepartmentId
from bridge.domain.model import AgentActor, Conversation, ConversationState, Role

VENDAS = DepartmentId("vendas")


def agent(
    role: Role = Role.AGENT, depts: tuple[str, ...] = ("vendas",), cap: int = 2
) -> AgentActor:
    return AgentActor(AgentId("ana"), "Ana", role, frozenset(DepartmentId(d) for d in depts), cap)


def conversation(
    state: ConversationState, assignee: str | None = None, dept: str = "vendas"
) -> Conversation:
    return Conversation(
        ConversationId("c_" + "a" * 22),
        1,
        ContactId("k_" + "a" * 22),
        None,
        state,
        DepartmentId(dept),
        AgentId(assignee) if assignee else None,
        datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_agents_reach_only_their_departments_supervisors_all() -> None:
    assert can_access(agent(), VENDAS)
    assert not can_access(agent(), DepartmentId("suporte"))
    assert can_access(agent(Role.SUPERVISOR, ()), DepartmentId("suporte"))
    assert can_access(agent(Role.ADMIN, ()), DepartmentId("suporte"))
    assert not can_access(agent(), None)


@pytest.mark.parametrize(
    ("state", "assignee", "as_note", "auto", "active", "expected"),
    [
        (ConversationState.IN_SERVICE, "ana", False, True, 0, ThreadMessage.REPLY),
        (ConversationState.IN_SERVICE, "ana", True, True, 0, ThreadMessage.NOTE),
        (ConversationState.IN_SERVICE, "bia", False, True, 0, ThreadMessage.NOTE),
        (ConversationState.QUEUED, None, False, True, 0, ThreadMessage.CLAIM_AND_REPLY),
        (ConversationState.QUEUED, None, False, False, 0, ThreadMessage.NOTE),
        (ConversationState.QUEUED, None, False, True, 2, ThreadMessage.NOTE),
        (ConversationState.CLOSED, "ana", False, True, 0, ThreadMessage.NOTE),
    ],
)
def test_only_the_holder_talks_to_the_customer(
    state: ConversationState,
    assignee: str | None,
    as_note: bool,
    auto: bool,
    active: int,
    expected: ThreadMessage,
) -> None:
    outcome = thread_message_outcome(
        agent(),
        conversation(state, assignee),
        as_note=as_note,
        auto_claim=auto,
        active_chats=active,
    )
    assert outcome is expected


def test_a_non_agent_always_writes_a_note() -> None:
    c = conversation(ConversationState.QUEUED)
    assert thread_message_outcome(None, c, as_note=False, auto_claim=True, active_chats=0) is (
        ThreadMessage.NOTE
    )


def test_no_access_means_no_auto_claim() -> None:
    c = conversation(ConversationState.QUEUED, dept="suporte")
    outcome = thread_message_outcome(agent(), c, as_note=False, auto_claim=True, active_chats=0)
    assert outcome is ThreadMessage.NOTE


def test_a_reserved_chat_is_not_claimed_by_someone_elses_reply() -> None:
    from dataclasses import replace
    from datetime import timedelta

    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    c = replace(
        conversation(ConversationState.QUEUED),
        reserved_for=AgentId("bia"),
        reserved_until=now + timedelta(minutes=5),
    )
    outcome = thread_message_outcome(
        agent(), c, as_note=False, auto_claim=True, active_chats=0, now=now
    )
    assert outcome is ThreadMessage.NOTE
    later = now + timedelta(minutes=6)
    assert (
        thread_message_outcome(
            agent(), c, as_note=False, auto_claim=True, active_chats=0, now=later
        )
        is ThreadMessage.CLAIM_AND_REPLY
    )
