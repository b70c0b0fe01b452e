"""Close reasons (tabulação), quick replies (atalhos), holidays and the statistics report."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bridge.core import Core
from bridge.core.queries import HistoryFilter
from bridge.domain.errors import Forbidden, InvalidInput, NotFound
from bridge.domain.model import ChannelKind, ConversationState
from bridge.settings import Settings
from channels.common.actions import Actions
from channels.common.reports import stats_view
from channels.common.texts import Texts
from tests.fakes import FakeClock
from tests.scenario import Scenario
from tests.settings_factory import make_settings

TODAY = date(2026, 11, 25)
CHANGES: dict[str, Any] = {
    "rules": {"close_reasons": ["resolvido", "sem resposta", "venda feita"]},
    "departments": [
        {
            "id": "vendas",
            "name": "Vendas",
            "slack_channel": "C0VENDAS",
            "rules": {"close_reason_required": True},
        },
        {
            "id": "suporte",
            "name": "Suporte",
            "slack_channel": "C0SUPORTE",
            "holidays": [
                {
                    "start": "2026-12-24",
                    "end": "2026-12-26",
                    "yearly": True,
                    "from": "12:00",
                    "message": "Feliz Natal! Voltamos dia 27.",
                }
            ],
        },
        {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
    ],
    "quick_replies": [
        {"name": "ola", "text": "Olá {contact.name}, aqui é {agent.name} de {department.name}!"},
        {
            "name": "pix",
            "text": "Chave Pix: loja@aurora.com ({conversation.number})",
            "departments": ["financeiro"],
        },
    ],
}


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    return make_settings(prefix, {**CHANGES, "widget": {"uploads": {"dir": str(tmp_path)}}})


async def test_close_reasons_are_checked_stored_and_filterable(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana", "vendas")
    ana = scenario.agent("ana")
    with pytest.raises(InvalidInput, match="choose a close reason"):
        await core.conversations.close(c.id, ana)
    with pytest.raises(InvalidInput, match="unknown close reason 'whatever'"):
        await core.conversations.close(c.id, ana, "whatever")
    closed = await core.conversations.close(c.id, ana, "venda feita")
    assert closed.close_reason == "venda feita"
    other = await scenario.in_service("ana", "vendas")
    await core.conversations.close(other.id, ana, "resolvido")
    found = await core.queries.history(ana, HistoryFilter(reason="venda feita"))
    assert [s.conversation.id for s in found.items] == [c.id]


async def test_close_reasons_are_counted_in_metrics(
    daemon: Any, scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana", "vendas")
    await core.conversations.close(c.id, scenario.agent("ana"), "resolvido")
    text = await (await daemon.get("/metrics")).text()
    # the core of this test process observed it (metrics count in the process that acted)
    assert "ponte_conversations_closed_total" in text


async def test_quick_replies_fill_placeholders_and_reach_the_customer(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("bruno", "suporte", name="Maria")
    written = await core.quick_replies.send(c.id, scenario.agent("bruno"), "ola")
    assert written.outcome is not None
    assert c.visitor_id is not None
    texts = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert "Olá Maria, aqui é Bruno de Suporte!" in texts
    with pytest.raises(NotFound, match="available: ola"):
        await core.quick_replies.send(c.id, scenario.agent("bruno"), "pix")  # not for suporte
    with pytest.raises(Forbidden, match="held by Bruno"):
        await core.quick_replies.send(c.id, scenario.agent("elisa"), "ola")


async def test_quick_reply_and_status_through_the_shared_actions(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("diego", "financeiro")
    telegram = Actions(core, ChannelKind.TELEGRAM)
    sent = await telegram.quick_reply(1004, c.id, "pix")
    assert sent.text == f"Quick reply 'pix' sent in #{c.number}."
    missing = await telegram.quick_reply(1004, c.id, "nope")
    assert missing.text == "No quick reply 'nope'. Available: ola, pix."
    assert (await telegram.set_status(1004, "away")).text == "Your status is now away."
    assert (await telegram.set_status(1004, "")).text.startswith("Your status is away.")
    assert (await telegram.set_status(1004, "sleeping")).text.startswith(
        "Unknown status 'sleeping'"
    )


async def test_a_holiday_shows_its_message_and_the_chat_still_queues(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    from datetime import UTC, datetime

    clock.set(datetime(2027, 12, 25, 15, 0, tzinfo=UTC))  # Christmas, any year
    assert not core.directory.is_open(core.directory.department_ids[1], clock.now())
    c = await scenario.queued("suporte")
    assert c.state is ConversationState.QUEUED
    assert c.visitor_id is not None
    texts = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert "Feliz Natal! Voltamos dia 27." in texts
    clock.set(datetime(2027, 12, 24, 14, 0, tzinfo=UTC))  # 11:00 in São Paulo: before "from"
    assert core.directory.holiday_message(core.directory.department_ids[1], clock.now()) is None


async def test_the_report_counts_waits_first_responses_ratings_and_reasons(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    from bridge.domain.model import ChannelKind as Kind
    from bridge.domain.refs import ExternalRef

    for n, (wait, reason, rating) in enumerate(
        [(20, "resolvido", 5), (200, "resolvido", 4), (4000, "sem resposta", 0)]
    ):
        c = await scenario.queued("suporte", f"C{n}")
        clock.advance(wait)
        await core.conversations.claim(c.id, scenario.agent("bruno"))
        clock.advance(30)
        src = ExternalRef(Kind.SLACK, "C0SUPORTE", f"{n}.1")
        await core.conversations.thread_message(
            c.id, scenario.agent("bruno"), "oi", author_name="Bruno", source=src
        )
        await core.conversations.close(c.id, scenario.agent("bruno"), reason)
        if rating:
            assert c.visitor_id is not None
            await core.customers.rate(c.visitor_id, c.id, rating)
    report = await core.stats.report(core.directory.department_ids[1], 7)
    assert (report.queued, report.claimed, report.closed) == (3, 3, 3)
    assert report.median_wait == 300.0  # the bucket holding the middle wait (200 s)
    assert report.p90_wait == 7200.0  # 4000 s falls in the "≤ 2 h" bucket
    assert report.reasons == {"resolvido": 2, "sem resposta": 1}
    assert (report.ratings, report.average_rating) == (2, 4.5)
    view = await stats_view(core, scenario.agent("bruno"), Texts("en"))
    suporte = next(r for r in view.rows if r.title == "Suporte")
    assert suporte.details[1].startswith("last 7 days: 3 conversations, 3 closed")
