"""Service rules of a department, resolved from the config: timers, reopening, the last agent,
distribution, close reasons. Pure decisions over them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Distribution(StrEnum):
    MANUAL = "manual"  # agents claim
    AUTOMATIC = "automatic"  # assigned to the least busy online agent with room


class Reopen(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    WITHIN = "within"


@dataclass(frozen=True, slots=True)
class Rules:
    max_automatic_minutes: int = 0  # 0: no limit
    inactivity_warn_minutes: int = 0  # 0: no inactivity rule
    inactivity_close_minutes: int = 5
    waiting_alert_minutes: int = 0  # 0: no alert
    reopen: Reopen = Reopen.NEVER
    reopen_minutes: int = 0
    last_agent_minutes: int = 0  # 0: no priority for the last agent
    distribution: Distribution = Distribution.MANUAL
    close_reasons: tuple[str, ...] = ()
    close_reason_required: bool = False

    def reopens(self, closed_at: datetime | None, now: datetime) -> bool:
        """Whether a customer writing now reopens the conversation closed at `closed_at`."""
        match self.reopen:
            case Reopen.ALWAYS:
                return True
            case Reopen.NEVER:
                return False
            case Reopen.WITHIN:
                return closed_at is not None and now - closed_at <= timedelta(
                    minutes=self.reopen_minutes
                )

    def check_reason(self, reason: str) -> str | None:
        """None when the reason is acceptable, else why not."""
        if not reason:
            return (
                "choose a close reason"
                if self.close_reason_required and self.close_reasons
                else None
            )
        if self.close_reasons and reason not in self.close_reasons:
            return (
                f"unknown close reason {reason!r}; choose one of: {', '.join(self.close_reasons)}"
            )
        return None


def least_busy(candidates: Sequence[tuple[str, int, int]]) -> list[str]:
    """Agents in the order automatic distribution tries them: fewest active chats first, then
    the longest idle (oldest last assignment). Candidates are (agent id, active, last ms)."""
    return [agent for agent, _, _ in sorted(candidates, key=lambda c: (c[1], c[2], c[0]))]
