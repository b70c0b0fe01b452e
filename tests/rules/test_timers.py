"""Durable timers driven by a fake clock: the automatic stage's limit, customer inactivity, the
waiting alert."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bridge.core import Core
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.events import EventKind
from bridge.domain.flow import FlowStep
from bridge.domain.model import Author, ConversationState
from bridge.settings import Settings
from tests.fakes import FakeClock, RecordingAgentChannel
from tests.helpers.daemons import start_helper
from tests.scenario import Scenario
from tests.settings_factory import make_settings

RULES = {
    "rules": {
        "max_automatic_minutes": 10,
        "inactivity_warn_minutes": 10,
        "inactivity_close_minutes": 5,
    },
    "departments": [
        {
            "id": "vendas",
            "name": "Vendas",
            "slack_channel": "C0VENDAS",
            "telegram_chat": -1001,
            "rules": {"waiting_alert_minutes": 5},
        },
        {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE"},
        {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
    ],
    "flow": {"default_department": "suporte"},
}


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    return make_settings(prefix, {**RULES, "widget": {"uploads": {"dir": str(tmp_path)}}})


async def test_a_customer_stuck_in_the_automatic_stage_reaches_the_default_queue(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.automatic()
    assert c.flow_step == FlowStep.DEPARTMENT.value
    clock.advance(9 * 60)
    assert await core.timers.run_due() == 0
    clock.advance(2 * 60)
    assert await core.timers.run_due() == 1
    queued = await core.conversations.get(c.id)
    assert (queued.state, queued.department_id) == (ConversationState.QUEUED, "suporte")
    clock.advance(60 * 60)
    assert await core.timers.run_due() == 0  # fired once


async def test_a_customer_who_finished_in_time_is_left_alone(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.queued("vendas")
    clock.advance(11 * 60)
    await core.timers.run_due()
    assert (await core.conversations.get(c.id)).department_id == "vendas"


async def test_a_silent_customer_is_warned_then_the_chat_closes(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.in_service("bruno", "suporte")
    assert c.visitor_id is not None
    clock.advance(9 * 60)
    await core.timers.run_due()
    assert (await core.conversations.get(c.id)).warned_at is None
    clock.advance(2 * 60)
    await core.timers.run_due()
    log = await core.customers.log(c.visitor_id, c.id, None)
    warning = [i for i in log if i.data.get("notice") == "inactivity_warning"]
    assert len(warning) == 1
    assert warning[0].actor.author is Author.SYSTEM
    clock.advance(5 * 60)
    await core.timers.run_due()
    closed = await core.conversations.get(c.id)
    assert (closed.state, closed.close_reason, closed.closed_by) == (
        ConversationState.CLOSED,
        "inactivity",
        "system",
    )


async def test_an_answer_after_the_warning_keeps_the_chat_open(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.in_service("bruno", "suporte")
    clock.advance(11 * 60)
    await core.timers.run_due()
    clock.advance(60)
    await scenario.say(c, "ainda estou aqui")
    clock.advance(5 * 60)
    await core.timers.run_due()
    assert (await core.conversations.get(c.id)).state is ConversationState.IN_SERVICE
    clock.advance(5 * 60)  # ten minutes after the answer: a new warning, not a close
    await core.timers.run_due()
    after = await core.conversations.get(c.id)
    assert after.state is ConversationState.IN_SERVICE
    assert after.warned_at == clock.now()


async def test_the_waiting_alert_fires_once_per_period_while_it_lasts(
    scenario: Scenario,
    core: Core,
    clock: FakeClock,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
) -> None:
    await core.timers.prime()
    c = await scenario.queued("vendas")
    clock.advance(4 * 60)
    await core.timers.run_due()
    await worker.run_until_idle()
    assert slack.of("alert") == []
    clock.advance(2 * 60)
    await core.timers.run_due()
    await worker.run_until_idle()
    [to_channel] = [a for a in slack.of("alert") if a.extra["department"] == "vendas"]
    assert to_channel.item is not None
    assert to_channel.item.data["notice"] == "waiting"
    assert to_channel.item.data["waiting"] == "1"
    supervisors = [
        a.extra["agent"] for a in slack.of("alert") + telegram.of("alert") if a.extra["agent"]
    ]
    assert sorted(supervisors) == ["elisa", "elisa"]  # Elisa is on Slack and Telegram
    clock.advance(3 * 60)
    await core.timers.run_due()
    await worker.run_until_idle()
    assert len([a for a in slack.of("alert") if a.extra["department"]]) == 1  # at most every 5 min
    clock.advance(3 * 60)
    await core.timers.run_due()
    await worker.run_until_idle()
    assert len([a for a in slack.of("alert") if a.extra["department"]]) == 2  # still waiting
    await core.conversations.claim(c.id, scenario.agent("ana"))
    clock.advance(10 * 60)
    await core.timers.run_due()
    await worker.run_until_idle()
    assert len([a for a in slack.of("alert") if a.extra["department"]]) == 2  # over


async def test_timers_survive_a_restart(
    scenario: Scenario, core: Core, clock: FakeClock, store: object, settings: Settings
) -> None:
    from bridge.core import Core as Fresh
    from bridge.store import Store

    assert isinstance(store, Store)
    c = await scenario.automatic()
    restarted = Fresh.build(store, settings, clock)  # a new process: nothing in memory
    clock.advance(11 * 60)
    assert await restarted.timers.run_due() == 1
    assert (await restarted.conversations.get(c.id)).state is ConversationState.QUEUED
    assert EventKind.QUEUED


async def test_each_timer_fires_once_with_two_processes(
    store: object, redis: Redis, redis_url: str, prefix: str
) -> None:
    from bridge.store import Store
    from bridge.store.codec import to_ms

    assert isinstance(store, Store)
    due = to_ms(datetime.now(UTC))
    for n in range(200):
        await store.timers.schedule(f"probe|{n}", due)
    workers = [
        await start_helper("rules_process", redis_url, prefix, "timers", "3") for _ in range(2)
    ]
    for worker in workers:
        assert await worker.wait() == 0
    fired = await redis.lrange(f"{prefix}test:fired", 0, -1)
    assert sorted(fired, key=int) == [str(n) for n in range(200)]  # each once, none lost
    assert await store.timers.next_due() is None
