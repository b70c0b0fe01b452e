"""Holidays (feriados): date ranges, one-off or every year, with optional start and end times
in the department's time zone. Pure: takes the local moment, never reads the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class Holiday:
    start: date
    end: date  # inclusive
    yearly: bool = False
    from_time: time | None = None  # on the first day, closed from this time
    to_time: time | None = None  # on the last day, closed until this time
    message: str = ""

    def covers(self, local: datetime) -> bool:
        """True when `local` (in the department's zone) falls in this holiday."""
        day = local.date()
        if not self._covers_day(day):
            return False
        first, last = self._first_and_last(day)
        if self.from_time is not None and day == first and local.time() < self.from_time:
            return False
        return not (self.to_time is not None and day == last and local.time() >= self.to_time)

    def _covers_day(self, day: date) -> bool:
        if not self.yearly:
            return self.start <= day <= self.end
        md, start, end = (day.month, day.day), _md(self.start), _md(self.end)
        if start <= end:
            return start <= md <= end
        return md >= start or md <= end  # wraps the new year: 24 Dec - 2 Jan

    def _first_and_last(self, day: date) -> tuple[date, date]:
        if not self.yearly:
            return self.start, self.end
        year = day.year
        start = self.start.replace(year=year)
        end = self.end.replace(year=year)
        if end < start:  # wraps the new year
            if day >= start:
                end = end.replace(year=year + 1)
            else:
                start = start.replace(year=year - 1)
        return start, end


def _md(d: date) -> tuple[int, int]:
    return d.month, d.day


def holiday_at(holidays: tuple[Holiday, ...], local: datetime) -> Holiday | None:
    return next((h for h in holidays if h.covers(local)), None)
