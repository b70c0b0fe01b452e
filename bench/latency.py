"""Latency samples for the benchmarks: an open-loop pacer, nearest-rank percentiles, a table.

The pacer is open loop: message i is due at start + i / rate whatever happened to the earlier
ones, so a slow server shows up as latency, not as a lower offered rate (no coordinated
omission). When the sender itself falls behind, the achieved rate says so.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted samples; NaN when there are none."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Summary:
    """Milliseconds; `lost` counts samples that never completed within the timeout."""

    name: str
    rate: float  # offered, per second
    achieved: float  # what the sender managed, per second
    count: int
    lost: int
    p50: float
    p90: float
    p99: float
    worst: float

    @classmethod
    def of(
        cls, name: str, rate: float, achieved: float, seconds: Sequence[float], lost: int = 0
    ) -> Summary:
        ms = [s * 1000 for s in seconds]
        return cls(
            name,
            rate,
            achieved,
            len(ms),
            lost,
            percentile(ms, 50),
            percentile(ms, 90),
            percentile(ms, 99),
            max(ms, default=math.nan),
        )


def table(rows: Iterable[Summary]) -> str:
    lines = [
        f"{'what':<42} {'rate/s':>7} {'sent/s':>7} {'n':>6} {'lost':>5} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    ]
    for r in rows:
        lines.append(
            f"{r.name:<42} {r.rate:>7.0f} {r.achieved:>7.1f} {r.count:>6} {r.lost:>5} "
            f"{r.p50:>8.2f} {r.p90:>8.2f} {r.p99:>8.2f} {r.worst:>8.1f}"
        )
    return "\n".join(lines)


async def paced(rate: float, seconds: float, fire: Callable[[int], None]) -> float:
    """Call fire(0), fire(1), … at `rate` per second for `seconds`; returns the achieved rate.
    `fire` must not block: it starts the work (a send, a task) and returns."""
    total = max(1, round(rate * seconds))
    start = time.perf_counter()
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        fire(i)
    elapsed = time.perf_counter() - start
    return (total - 1) / elapsed if total > 1 and elapsed > 0 else rate


def rates(text: str) -> list[float]:
    """A command-line list of rates: "20,50" -> [20.0, 50.0]."""
    return [float(r) for r in text.split(",") if r]
