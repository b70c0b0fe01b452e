"""Fixtures for the Telegram channel: the Bot API emulator with the departments' groups and the
agents' Telegram users, settings pointing at it, and the real daemon (create_app) with the real
Telegram adapter (python-telegram-bot) served on a local port, a widget tab for the customer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

from bridge.core import Core
from bridge.delivery.policy import RetryPolicy
from bridge.settings import Settings
from channels.telegram.adapter import TelegramAdapter
from tests.channels.telegram.helpers import (
    AGENT_USERS,
    FINANCEIRO,
    VENDAS,
    Daemon,
    telegram_changes,
)
from tests.emulators.telegram import TelegramEmulator
from tests.emulators.telegram_webhook import WebhookRetryPolicy
from tests.fakes import FakeClock
from tests.settings_factory import make_settings, merge


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB_TIMEDELTA: PTB warns on RetryAfter.retry_after unless opted in (PROTOCOLS B10);
    # httpx must not send local calls through a proxy from the environment.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(webhook_retry=WebhookRetryPolicy(initial_delay=0.01)) as emulator:
        emulator.add_group(VENDAS, "Vendas")
        emulator.add_group(FINANCEIRO, "Financeiro")
        for user_id, name in AGENT_USERS.items():
            emulator.add_user(user_id, name)
        yield emulator


@pytest.fixture
def changes() -> dict[str, Any]:
    """Per-test settings changes; a test overrides it with pytest.mark.parametrize."""
    return {}


@pytest.fixture
def settings(
    prefix: str, tmp_path: Path, emu: TelegramEmulator, changes: dict[str, Any]
) -> Settings:
    """The shared test settings, with Telegram pointed at the emulator."""
    return make_settings(prefix, merge(telegram_changes(emu, tmp_path), changes))


@pytest.fixture
async def make_daemon(
    settings: Settings,
    core: Core,
    clock: FakeClock,
    redis_url: str,
    emu: TelegramEmulator,
    aiohttp_client: AiohttpClient,
) -> AsyncIterator[Callable[[], Awaitable[Daemon]]]:
    """Starts the daemon with the Telegram adapter only: the Slack side is left to its outbox,
    so these tests depend neither on the Slack adapter nor on slack.com."""
    from bridge.daemon.app import create_app

    started: list[Daemon] = []

    async def start() -> Daemon:
        built: list[TelegramAdapter] = []

        def adapters(app_core: Core) -> list[TelegramAdapter]:  # on the daemon's own core
            built.append(TelegramAdapter(app_core))
            return built

        retry = RetryPolicy(base=0.01, max_delay=0.05, max_attempts=4, max_retry_after=0.05)
        app = create_app(
            settings, env={"REDIS_URL": redis_url}, clock=clock, adapters=adapters, retry=retry
        )
        client = await aiohttp_client(app)
        started.append(Daemon(client, built[0], emu, core))
        return started[-1]

    yield start
    for daemon in started:
        for tab in daemon.tabs:  # an open socket would hold the server's shutdown
            await tab.tab.close()


@pytest.fixture
async def daemon(make_daemon: Callable[[], Awaitable[Daemon]]) -> Daemon:
    return await make_daemon()
