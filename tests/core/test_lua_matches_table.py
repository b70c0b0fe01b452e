"""Every (state, action) pair through the Lua scripts agrees with domain.states.NEXT."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bridge.core.timeline import event
from bridge.domain.errors import BridgeError
from bridge.domain.events import EventKind
from bridge.domain.ids import DepartmentId
from bridge.domain.model import BOT, AgentActor, Conversation, ConversationState
from bridge.domain.states import NEXT, Action
from bridge.store import Store
from bridge.store.assignment import NotHolder
from bridge.store.codec import to_ms
from tests.fakes import FakeClock
from tests.scenario import Scenario

Op = Callable[[Store, Conversation, AgentActor, int], Awaitable[object]]


def spec(kind: EventKind = EventKind.NOTE):  # type: ignore[no-untyped-def]
    return event(kind, FakeClock().now(), BOT)


async def _append(action: Action) -> Op:
    async def op(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
        return await store.conversations.append(c.id, action, [spec()], now)

    return op


async def _enqueue(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.conversations.enqueue(c.id, DepartmentId("vendas"), [spec()], now)


async def _claim(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.assignment.claim(c, agent, True, [spec()], now)


async def _reply(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    events = (spec(EventKind.MESSAGE), spec(), spec(EventKind.CLAIMED))
    return await store.assignment.agent_message(
        c,
        agent,
        mode="reply",
        auto_claim=False,
        access=True,
        events=events,
        routing="",
        dedupe=None,
        now_ms=now,
    )


async def _to_dept(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    target = DepartmentId("suporte")
    return await store.assignment.transfer(
        c, department=target, agent=None, allowed=True, events=[spec()], now_ms=now
    )


async def _to_agent(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.assignment.transfer(
        c, department=DepartmentId("vendas"), agent=agent, allowed=True, events=[spec()], now_ms=now
    )


async def _reopen(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.assignment.reopen(c, agent=None, events=[spec()], now_ms=now)


async def _reopen_to(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.assignment.reopen(c, agent=agent, events=[spec()], now_ms=now)


async def _close(store: Store, c: Conversation, agent: AgentActor, now: int) -> object:
    return await store.conversations.close(
        c, by="x", reason="", events=[spec()], now_ms=now, retention_seconds=3600
    )


async def op_for(action: Action) -> Op:
    special: dict[Action, Op] = {
        Action.ENQUEUE: _enqueue,
        Action.CLAIM: _claim,
        Action.REPLY: _reply,
        Action.TRANSFER_TO_DEPARTMENT: _to_dept,
        Action.TRANSFER_TO_AGENT: _to_agent,
        Action.CLOSE: _close,
        Action.REOPEN: _reopen,
        Action.REOPEN_TO_AGENT: _reopen_to,
    }
    return special.get(action) or await _append(action)


async def in_state(scenario: Scenario, state: ConversationState) -> Conversation:
    match state:
        case ConversationState.AUTOMATIC:
            return await scenario.automatic()
        case ConversationState.QUEUED:
            return await scenario.queued()
        case ConversationState.IN_SERVICE:
            return await scenario.in_service("bruno")
        case ConversationState.CLOSED:
            return await scenario.closed("bruno")


async def _release(scenario: Scenario, c: Conversation) -> None:
    """Close what the check left open, so agents keep free capacity for the next one."""
    current = await scenario.core.conversations.get(c.id)
    if current.state is not ConversationState.CLOSED:
        await scenario.core.conversations.close(c.id, None)


@pytest.mark.parametrize("state", list(ConversationState))
async def test_scripts_allow_exactly_what_the_table_allows(
    state: ConversationState, scenario: Scenario, store: Store, clock: FakeClock
) -> None:
    disagreements = []
    for action in Action:
        c = await in_state(scenario, state)
        # the holder replies; someone else claims or takes a transfer
        agent = scenario.agent("bruno" if action is Action.REPLY else "elisa")
        op = await op_for(action)
        try:
            await op(store, c, agent, to_ms(clock.now()))
            allowed = True
        except (BridgeError, NotHolder):
            allowed = False
        if allowed != ((state, action) in NEXT):
            disagreements.append((state.value, action.value, allowed))
        await _release(scenario, c)
    assert disagreements == []
