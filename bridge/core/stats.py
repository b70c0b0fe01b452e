"""Daily counts per department, kept in Redis by the same scripts that change the state, and
the reports read from them (fast for months: a handful of small hashes per day)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bridge.domain.ids import DepartmentId
from bridge.domain.model import Conversation
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.scripts import Tally

# Upper bounds (seconds) of the wait and first-response buckets; beyond the last: "inf".
BUCKETS = (10, 30, 60, 120, 300, 600, 1800, 3600, 7200)


def bucket(seconds: float) -> str:
    return next((str(b) for b in BUCKETS if seconds <= b), "inf")


@dataclass(frozen=True, slots=True)
class Report:
    """One department over some days. Times are bucket upper bounds in seconds (None: no data,
    inf: beyond two hours)."""

    department: DepartmentId
    days: int
    queued: int = 0
    claimed: int = 0
    closed: int = 0
    median_wait: float | None = None
    p90_wait: float | None = None
    median_first_response: float | None = None
    ratings: int = 0
    average_rating: float | None = None
    reasons: Mapping[str, int] = field(default_factory=dict)


class Stats:
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock

    def _day(self, department: str, moment: datetime) -> date:
        zone = ZoneInfo(self._directory.require_department(department).timezone)
        return moment.astimezone(zone).date()

    def tally(self, department: str | None, *fields: str) -> Tally | None:
        if not department or self._directory.department(department) is None:
            return None
        return Tally(department, self._day(department, self._clock.now()).isoformat(), fields)

    def claimed(self, c: Conversation) -> Tally | None:
        waited = (self._clock.now() - (c.queued_at or c.created_at)).total_seconds()
        return self.tally(c.department_id, "claimed", f"wait:{bucket(waited)}")

    def first_response(self, c: Conversation) -> Tally | None:
        since = c.queued_at or c.created_at
        return self.tally(
            c.department_id, f"first:{bucket((self._clock.now() - since).total_seconds())}"
        )

    async def report(self, department: DepartmentId, days: int) -> Report:
        """Today (days=1) or the last `days` days including today, in the department's zone."""
        today = self._day(department, self._clock.now())
        keys = [
            self._store.keys.stats(department, (today - timedelta(n)).isoformat())
            for n in range(days)
        ]
        async with self._store.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hgetall(key)
            rows: Sequence[Mapping[str, str]] = await pipe.execute()
        totals: dict[str, int] = {}
        for row in rows:
            for name, value in row.items():
                totals[name] = totals.get(name, 0) + int(value)
        return _report(department, days, totals)


def _report(department: DepartmentId, days: int, t: Mapping[str, int]) -> Report:
    ratings = t.get("rated", 0)
    stars = sum(n * t.get(f"stars:{n}", 0) for n in range(1, 6))
    reasons = {k.removeprefix("reason:"): v for k, v in t.items() if k.startswith("reason:")}
    return Report(
        department,
        days,
        t.get("queued", 0),
        t.get("claimed", 0),
        t.get("closed", 0),
        _quantile(t, "wait", 0.5),
        _quantile(t, "wait", 0.9),
        _quantile(t, "first", 0.5),
        ratings,
        stars / ratings if ratings else None,
        reasons,
    )


def _quantile(t: Mapping[str, int], name: str, q: float) -> float | None:
    counts = [(b, t.get(f"{name}:{b}", 0)) for b in (*map(str, BUCKETS), "inf")]
    total = sum(n for _, n in counts)
    if not total:
        return None
    seen = 0
    for upper, n in counts:
        seen += n
        if seen >= q * total:
            return float(upper)
    return float("inf")
