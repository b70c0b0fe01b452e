"""channels.common: commands, actions and lists both Slack and Telegram use."""

import pytest

from bridge.core import Core
from bridge.domain.errors import InvalidInput
from bridge.domain.model import ChannelKind, ConversationState
from channels.common.actions import Actions
from channels.common.commands import Name, chat_filter, history_filter, lead_filter, parse
from channels.common.lists import Act, Lists
from tests.fakes import FakeClock
from tests.scenario import Scenario


def test_commands_parse_names_aliases_filters_and_text() -> None:
    cmd = parse('history dept:vendas since:2026-11-01 "tênis azul"')
    assert cmd.name is Name.HISTORY
    assert cmd.filters == {"dept": "vendas", "since": "2026-11-01"}
    f = history_filter(cmd)
    assert (f.department, f.text) == ("vendas", "tênis azul")
    assert f.since is not None
    assert f.since.day == 1
    assert parse("fila").name is Name.QUEUE
    assert parse("").name is Name.HELP
    assert chat_filter(parse("chats agent:ana tag:vip maria")).tag == "vip"
    assert lead_filter(parse("leads chat:no min:5")).min_seconds == 300


def test_bad_commands_and_filters_say_what_is_wrong() -> None:
    with pytest.raises(InvalidInput, match="unknown command 'bogus'"):
        parse("bogus")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        history_filter(parse("history since:yesterday"))
    with pytest.raises(InvalidInput, match="yes or no"):
        lead_filter(parse("leads chat:maybe"))


async def test_claim_outcomes_name_the_winner_or_the_reason(scenario: Scenario, core: Core) -> None:
    slack = Actions(core, ChannelKind.SLACK)
    c = await scenario.queued("vendas")
    won = await slack.claim("U0ANA", c.id)
    assert won.ok
    assert won.text == f"You claimed conversation #{c.number}."
    lost = await slack.claim("U0BRUNO", c.id)
    assert not lost.ok
    assert lost.text == f"Too late: #{c.number} was already claimed by Ana."
    stranger = await slack.claim("U0NOBODY", c.id)
    assert stranger.text == "You are not registered as a Ponte agent."
    other = await scenario.queued("financeiro")
    refused = await Actions(core, ChannelKind.TELEGRAM).claim(1003, other.id)  # carla: suporte
    assert refused.text == "You may not do that: no access to its department."
    assert (await core.conversations.get(other.id)).state is ConversationState.QUEUED


async def test_the_note_prefix_keeps_a_message_internal(scenario: Scenario, core: Core) -> None:
    from bridge.domain.refs import ExternalRef

    c = await scenario.in_service("ana")
    slack = Actions(core, ChannelKind.SLACK)
    src = ExternalRef(ChannelKind.SLACK, "C0VENDAS", "5.5")
    outcome = await slack.thread_message(
        "U0ANA", "ana", c.id, "// ligar amanhã", source=src, event_key="Ev5"
    )
    assert outcome.text == "Internal note: not sent to the customer."
    assert c.visitor_id is not None
    seen = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert "ligar amanhã" not in seen
    assert "// ligar amanhã" not in seen


async def test_queue_list_rows_carry_claim_and_peek(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    first = await scenario.queued("vendas", "Primeira")
    clock.advance(120)
    await scenario.queued("suporte", "Segunda")
    view = await Lists(core, ChannelKind.SLACK).run(scenario.agent("ana"), parse("queue"))
    assert view.title == "Queue — 1 waiting"
    assert [r.title for r in view.rows] == [f"1. #{first.number} Primeira — Vendas"]
    assert [(b.action, b.value) for b in view.rows[0].buttons] == [
        (Act.CLAIM, first.id),
        (Act.PEEK, first.id),
    ]
    assert "Waited: 2 min" in view.rows[0].details


async def test_agents_list_offers_internal_chat_to_others(scenario: Scenario, core: Core) -> None:
    view = await Lists(core, ChannelKind.TELEGRAM).run(scenario.agent("carla"), parse("agents"))
    rows = {r.title: r for r in view.rows}
    assert rows["Carla"].buttons == ()
    assert [b.action for b in rows["Ana"].buttons] == [Act.INTERNAL]


async def test_a_reserved_claim_names_the_agent_and_the_local_time(
    scenario: Scenario, core: Core
) -> None:
    from bridge.domain.errors import Reserved

    c = await scenario.queued("vendas")
    until = "1764086400000"  # 2025-11-25 16:00 UTC = 13:00 in São Paulo
    outcome = Actions(core, ChannelKind.SLACK)._refused(Reserved(c.id, "ana", until), c)
    assert (
        outcome.text
        == f"#{c.number} is reserved for Ana until 13:00: they served this customer before."
    )
