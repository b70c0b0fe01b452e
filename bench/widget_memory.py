"""Memory per idle connection: a crowd (bench/widget_crowd.py) opened in steps against a server
process, whose RSS and USS (psutil) are read after each step once it has settled."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bench.services import Helper, rss

KIB = 1024


@dataclass
class Growth:
    """A server's memory as idle connections were added: (connections, RSS, USS) in bytes."""

    server: str
    rows: list[tuple[int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def per_connection(self) -> float:
        """RSS KiB per connection from none to all (NaN without connections)."""
        (_, rss0, _), (n, rss_n, _) = self.rows[0], self.rows[-1]
        return (rss_n - rss0) / n / KIB if n else float("nan")

    def report(self) -> str:
        (_, _, uss0), (n, rss_n, uss_n) = self.rows[0], self.rows[-1]
        lines = [f"{'idle connections':>16} {self.server + ' RSS MiB':>18} {'USS MiB':>9}"]
        lines += [f"{c:>16} {r / KIB**2:>18.1f} {u / KIB**2:>9.1f}" for c, r, u in self.rows]
        if n:
            lines.append(
                f"per idle connection: RSS {self.per_connection:.1f} KiB, "
                f"USS {(uss_n - uss0) / n / KIB:.1f} KiB (from 0 to {n})"
            )
        if len(self.rows) > 2 and n > self.rows[1][0]:
            c1, r1, _ = self.rows[1]
            marginal = (rss_n - r1) / (n - c1) / KIB
            lines.append(f"  marginal RSS from {c1} to {n}: {marginal:.1f} KiB per connection")
        return "\n".join([*lines, *self.notes])


async def grow(
    server: str, pid: int, crowd: Helper, total: int, steps: int, settle: float
) -> Growth:
    """Open `total` connections in `steps` equal steps, reading the memory before and after
    each step (after `settle` seconds)."""
    growth = Growth(server)
    await asyncio.sleep(settle)
    growth.rows.append((0, *rss(pid)))
    for _ in range(steps if total else 0):
        answer = await crowd.ask({"open": total // steps})
        growth.notes.append(
            f"  {answer['open']} open after {answer['seconds']} s "
            f"({answer['failed']} failed to open so far, {answer['dropped']} dropped)"
        )
        await asyncio.sleep(settle)
        growth.rows.append((int(answer["open"]), *rss(pid)))
    return growth
