"""The statistics command (`/ponte stats`, `/stats`): per department the agent may access,
today and the last 7 days, from the daily counts kept in Redis."""

from __future__ import annotations

from bridge.core import Core
from bridge.core.stats import Report
from bridge.domain.model import AgentActor
from channels.common.commands import Command, Name
from channels.common.describe import minutes
from channels.common.lists import ListView, Row
from channels.common.texts import Texts


def duration(seconds: float | None, t: Texts) -> str:
    """A bucket bound as text: "≤ 2 min"; beyond the last bucket "> 2 h"."""
    if seconds is None:
        return t("stats.none")
    if seconds == float("inf"):
        return "> 2 h"
    return "≤ " + minutes(int(seconds))


def _line(report: Report, period: str, t: Texts) -> str:
    rating = (
        f"{report.average_rating:.1f} ({report.ratings})"
        if report.average_rating
        else t("stats.none")
    )
    text = t(
        "stats.line",
        period=period,
        queued=report.queued,
        closed=report.closed,
        wait=duration(report.median_wait, t),
        p90=duration(report.p90_wait, t),
        first=duration(report.median_first_response, t),
        rating=rating,
    )
    if report.reasons:
        reasons = ", ".join(
            f"{r} {n}" for r, n in sorted(report.reasons.items(), key=lambda x: -x[1])
        )
        text += "; " + t("stats.reasons", reasons=reasons)
    return text


async def stats_view(core: Core, agent: AgentActor, t: Texts) -> ListView:
    rows = []
    for dept in core.directory.departments_of(agent):
        today = await core.stats.report(dept, 1)
        week = await core.stats.report(dept, 7)
        details = (_line(today, t("stats.today"), t), _line(week, t("stats.week"), t))
        rows.append(Row(core.settings.department_name(dept), details))
    return ListView(t("stats.title"), rows, Command(Name.STATS), None, t("list.empty"))
