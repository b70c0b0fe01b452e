"""Business hours in a department's time zone. Takes `now`; never reads the clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bridge.domain.holidays import Holiday, holiday_at

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Interval:
    start: time
    end: time  # exclusive; 24:00 is written as time.max

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Open intervals per weekday (0 = Monday), minus holidays. No days means always open."""

    zone: ZoneInfo
    days: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)
    holidays: tuple[Holiday, ...] = ()

    @property
    def always_open(self) -> bool:
        return not self.days

    def holiday(self, now: datetime) -> Holiday | None:
        return holiday_at(self.holidays, now.astimezone(self.zone))

    def is_open(self, now: datetime) -> bool:
        if self.holiday(now) is not None:
            return False
        if self.always_open:
            return True
        local = now.astimezone(self.zone)
        return any(i.contains(local.time()) for i in self.days.get(local.weekday(), ()))

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment the department opens, within a week; None when always open."""
        if self.always_open:
            return None
        local = now.astimezone(self.zone)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            for interval in self.days.get(day.weekday(), ()):
                start = datetime.combine(day, interval.start, tzinfo=self.zone)
                if start > local:
                    return start
        return None


def parse_interval(text: str) -> Interval:
    """'09:00-18:00' -> Interval. Raises ValueError with the reason."""
    try:
        left, right = (part.strip() for part in text.split("-"))
    except ValueError:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}") from None
    start = _parse_time(left)
    end = time.max if right == "24:00" else _parse_time(right)
    if end <= start:
        raise ValueError(f"interval {text!r} ends before it starts")
    return Interval(start, end)


def _parse_time(text: str) -> time:
    try:
        return time.fromisoformat(text if len(text) == 5 else text.zfill(5))
    except ValueError:
        raise ValueError(f"expected HH:MM, got {text!r}") from None
