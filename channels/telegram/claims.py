"""Claiming (the Claim button, /claim, a reservation notice's button), with a refusal for a
conversation reserved for another agent said plainly: for whom and until when.

Why a look before the claim: channels.common.actions.explain does not know the core's
Reserved error yet and would show its raw words. The look reads the same state the claim
script checks; the script still decides (a reservation that ends in between lets it through)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bridge.domain.access import can_access
from bridge.domain.errors import NotFound
from bridge.domain.ids import ConversationId
from bridge.domain.model import Conversation, ConversationState
from channels.common.actions import Outcome
from channels.telegram.context import Context


def local_time(ctx: Context, department: str | None, moment: datetime) -> str:
    """HH:MM in the department's time zone."""
    found = ctx.core.settings.department(department) if department else None
    zone = ZoneInfo(found.timezone) if found else UTC
    return moment.astimezone(zone).strftime("%H:%M")


async def claim(ctx: Context, user: int, cid: str) -> Outcome:
    agent = ctx.actions.agent(user)
    if agent is not None:
        try:
            c = await ctx.core.conversations.get(ConversationId(cid))
        except NotFound:
            c = None
        refused = _reserved(ctx, c, agent.id) if c and can_access(agent, c.department_id) else None
        if refused is not None:
            return refused
    return await ctx.actions.claim(user, cid)


def _reserved(ctx: Context, c: Conversation, agent: str) -> Outcome | None:
    holder, until = c.reserved_at(ctx.core.clock.now()), c.reserved_until
    if c.state is not ConversationState.QUEUED or holder in (None, agent) or until is None:
        return None
    text = ctx.t(
        "claim.reserved",
        number=c.number,
        agent=ctx.core.settings.agent_name(holder),
        until=local_time(ctx, c.department_id, until),
    )
    return Outcome(False, text, c)
