"""Telegram and Slack agents on the same conversations, with both real adapters in one daemon
(built from the configuration by build_agent_adapters) against both emulators: a claim race
between a Slack agent and a Telegram agent, and a transfer from a Telegram department to a
Slack one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

from bridge.core import Core
from bridge.delivery.policy import RetryPolicy
from bridge.domain.model import ConversationState
from bridge.settings import Settings
from tests.channels.telegram.helpers import (
    DIEGO,
    ELISA,
    FINANCEIRO,
    VENDAS,
    Daemon,
    telegram_changes,
)
from tests.emulators.slack import Call, SlackEmulator
from tests.emulators.telegram import TelegramEmulator
from tests.fakes import FakeClock
from tests.settings_factory import make_settings, merge

ANA = "U0ANA"


@pytest.fixture(autouse=True)
def _no_slack_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk reads these even with proxy="" (PROTOCOLS A6)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def slack() -> AsyncIterator[SlackEmulator]:
    async with SlackEmulator() as emulator:
        emulator.add_user(ANA, "ana", real_name="Ana")
        emulator.add_user("U0BRUNO", "bruno", real_name="Bruno")
        emulator.add_channel("C0VENDAS", "vendas", members=[ANA, "U0BRUNO"])
        emulator.add_channel("C0SUPORTE", "suporte", members=["U0BRUNO"])
        yield emulator


@pytest.fixture
def settings(prefix: str, tmp_path: Path, emu: TelegramEmulator, slack: SlackEmulator) -> Settings:
    pace = {"messages_per_second": 50, "messages_burst": 100, "home_refresh_seconds": 0}
    changes = {"slack": {"api_url": slack.api_url, **pace}}
    return make_settings(prefix, merge(telegram_changes(emu, tmp_path), changes))


@pytest.fixture
async def both(
    settings: Settings,
    core: Core,
    clock: FakeClock,
    redis_url: str,
    emu: TelegramEmulator,
    slack: SlackEmulator,
    aiohttp_client: AiohttpClient,
) -> AsyncIterator[Daemon]:
    from bridge.daemon.app import AgentAdapter, build_agent_adapters, create_app
    from channels.telegram.adapter import TelegramAdapter

    built: list[AgentAdapter] = []

    def adapters(app_core: Core) -> list[AgentAdapter]:  # what the daemon builds from the config
        built.extend(build_agent_adapters(settings, app_core))
        return built

    retry = RetryPolicy(base=0.01, max_delay=0.05, max_attempts=8, max_retry_after=0.02)
    app = create_app(
        settings, env={"REDIS_URL": redis_url}, clock=clock, adapters=adapters, retry=retry
    )
    assert [a.kind.value for a in built] == ["slack", "telegram"]
    telegram = built[1]
    assert isinstance(telegram, TelegramAdapter)
    client = await aiohttp_client(app)
    slack.request_url = str(client.make_url("/slack/events"))
    daemon = Daemon(client, telegram, emu, core)
    yield daemon
    for tab in daemon.tabs:
        await tab.tab.close()


def slack_card(cid: str) -> Any:
    def match(call: Call) -> bool:
        blocks = call.params.get("blocks") or []
        return call.reply.get("ok") is True and any(
            b.get("block_id") == f"card:{cid}" for b in blocks
        )

    return match


async def test_claim_race_between_a_slack_and_a_telegram_agent(
    both: Daemon, slack: SlackEmulator, core: Core
) -> None:
    customer = both.customer()
    cid, number = await customer.queue("vendas")
    topic = await both.topic(VENDAS, number)
    root = await slack.wait_for_call("chat.postMessage", slack_card(cid))
    ts = str(root.reply["ts"])

    _, press = await asyncio.gather(
        slack.click_button(ANA, action_id="claim", value=cid, channel="C0VENDAS", message_ts=ts),
        both.emu.press_button(ELISA, VENDAS, topic.header, f"c:{cid}"),
    )
    toast = await both.answer(press)
    c = await core.conversations.get(cid)
    assert c.state is ConversationState.IN_SERVICE
    winner = {"ana": "Ana", "elisa": "Elisa"}[str(c.assignee)]
    if winner == "Elisa":
        assert toast["text"] == f"You claimed conversation #{number}."
        told = f"Too late: #{number} was already claimed by Elisa."
    else:
        assert toast["text"] == f"Too late: #{number} was already claimed by Ana."
        told = f"You claimed conversation #{number}."
    await slack.wait_for_call("response_url", lambda call: told in str(call.params.get("text")))
    # both cards show the winner; the customer sees one claim
    await both.edited(VENDAS, topic.header, f"in service — {winner}")
    await slack.wait_for_call(
        "chat.update",
        lambda call: call.params.get("ts") == ts and winner in json.dumps(call.params["blocks"]),
    )
    await customer.tab.wait_event(lambda e: e["kind"] == "claimed")
    claims = [e for e in customer.tab.events.values() if e["kind"] == "claimed"]
    assert [e["data"]["agent_name"] for e in claims] == [winner]


async def test_transfer_from_telegram_to_a_slack_department(
    both: Daemon, slack: SlackEmulator, core: Core
) -> None:
    customer = both.customer()
    cid, number = await customer.queue("financeiro")
    topic = await both.topic(FINANCEIRO, number)
    emu = both.emu
    await both.answer(await emu.press_button(DIEGO, FINANCEIRO, topic.header, f"t:{cid}"))
    menu = await both.posted(FINANCEIRO, topic.thread, "to which department?")
    menu_id = menu.result["message_id"]
    await both.answer(await emu.press_button(DIEGO, FINANCEIRO, menu_id, f"td:{cid}:1"))
    await both.answer(await emu.press_button(DIEGO, FINANCEIRO, menu_id, f"tq:{cid}:1"))

    root = await slack.wait_for_call("chat.postMessage", slack_card(cid))
    assert root.params["channel"] == "C0SUPORTE"
    await both.edited(FINANCEIRO, topic.header, "Moved to Suporte")
    assert (await core.conversations.get(cid)).department_id == "suporte"
    # Bruno takes it in Slack; the Telegram topic no longer offers actions
    ts = str(root.reply["ts"])
    await slack.click_button(
        "U0BRUNO", action_id="claim", value=cid, channel="C0SUPORTE", message_ts=ts
    )
    await customer.tab.wait_event(
        lambda e: e["kind"] == "claimed" and e["data"]["agent_name"] == "Bruno"
    )
