"""The real daemon (create_app) with the Slack adapter, talking to the Slack emulator over HTTP;
customers are widget tabs on the same daemon; Redis is the real one of the test session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bridge.daemon.app import create_app
from bridge.delivery.policy import RetryPolicy
from bridge.settings import Settings
from tests.channels.slack.customer import Customer
from tests.channels.slack.emulator import PonteSlack
from tests.channels.slack.helpers import Bed
from tests.fakes import FakeClock
from tests.settings_factory import make_settings

# The worker's waits, shortened: a 429's Retry-After (1 s from the emulator) and back-off.
FAST_RETRY = RetryPolicy(base=0.01, max_delay=0.05, max_attempts=8, max_retry_after=0.02)

ANA, BRUNO, ELISA, STRANGER = "U0ANA", "U0BRUNO", "U0ELISA", "U0STRANGER"
VENDAS, SUPORTE = "C0VENDAS", "C0SUPORTE"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk reads these even with proxy="" (PROTOCOLS A6): keep traffic on 127.0.0.1.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def emu() -> AsyncIterator[PonteSlack]:
    async with PonteSlack() as slack:
        slack.add_user(ANA, "ana", email="ana@loja.test", real_name="Ana")
        slack.add_user(BRUNO, "bruno", real_name="Bruno")
        slack.add_user(ELISA, "elisa", real_name="Elisa")
        slack.add_user(STRANGER, "visitante", real_name="Zé de Fora")
        slack.add_channel(VENDAS, "vendas", members=[ANA, BRUNO, ELISA, STRANGER])
        # The bot is not in #suporte yet: its first post there joins it (conversations.join).
        slack.add_channel(SUPORTE, "suporte", bot_is_member=False, members=[BRUNO, ELISA])
        yield slack


def slack_settings(emu: PonteSlack, **slack: Any) -> dict[str, Any]:
    return {
        "api_url": emu.api_url,
        "messages_per_second": 50,
        "messages_burst": 100,
        "home_refresh_seconds": 0,
        **slack,
    }


@pytest.fixture
def slack_changes() -> dict[str, Any]:
    """Extra `slack:` settings of one test module (override the fixture)."""
    return {}


@pytest.fixture
def settings_changes() -> dict[str, Any]:
    """Other settings of one test module (override the fixture); lists replace whole lists."""
    return {}


@pytest.fixture
def settings(
    prefix: str,
    tmp_path: Path,
    emu: PonteSlack,
    slack_changes: dict[str, Any],
    settings_changes: dict[str, Any],
) -> Settings:
    changes = {
        "widget": {"uploads": {"dir": str(tmp_path / "uploads")}},
        "slack": slack_settings(emu, **slack_changes),
        # Telegram is another adapter with its own tests; off here so only Slack is served.
        "telegram": {"enabled": False},
        **settings_changes,
    }
    return make_settings(prefix, changes)


@pytest.fixture
async def daemon(
    settings: Settings,
    clock: FakeClock,
    redis_url: str,
    aiohttp_client: Callable[..., Any],
    emu: PonteSlack,
) -> TestClient[Any, Any]:
    """The daemon with Slack on; the emulator posts events to its /slack/events."""
    app = create_app(settings, env={"REDIS_URL": redis_url}, clock=clock, retry=FAST_RETRY)
    client: TestClient[Any, Any] = await aiohttp_client(app)
    emu.request_url = str(client.make_url("/slack/events"))
    return client


@pytest.fixture
async def customers(daemon: TestClient[Any, Any]) -> AsyncIterator[Callable[[], Customer]]:
    made: list[Customer] = []

    def make() -> Customer:
        customer = Customer(daemon.session, str(daemon.make_url("")))
        made.append(customer)
        return customer

    yield make
    for customer in made:
        await customer.close()


@pytest.fixture
def bed(emu: PonteSlack, daemon: TestClient[Any, Any]) -> Bed:
    return Bed(emu, daemon)
