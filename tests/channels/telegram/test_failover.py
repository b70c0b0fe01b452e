"""Polling with several daemon processes on one Redis: only the holder of the poller lease
calls getUpdates; when it dies (SIGKILL, no goodbye) another process takes over within
about the lease time, and nothing Telegram sent in between is lost."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import yaml

from bridge.store import Store
from channels.telegram.intake import LEASE
from tests.channels.telegram.helpers import ELISA, Daemon, telegram_changes
from tests.emulators.telegram import TelegramEmulator
from tests.settings_factory import ENV, merge, settings_data


@pytest.fixture
async def other_process(
    tmp_path: Path, prefix: str, redis_url: str, emu: TelegramEmulator, unused_tcp_port: int
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A second daemon: `python -m bridge run` in its own process, same Redis and prefix."""
    changes = merge(
        telegram_changes(emu, tmp_path),
        {"slack": {"enabled": False}, "server": {"host": "127.0.0.1"}},
    )
    config = tmp_path / "other.yaml"
    config.write_text(yaml.safe_dump(settings_data(prefix, changes)))
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env |= ENV | {"REDIS_URL": redis_url, "PORT": str(unused_tcp_port), "PTB_TIMEDELTA": "1"}
    with (tmp_path / "other.log").open("w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bridge", "run", "--config", str(config), env=env, stderr=log
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def test_polling_fails_over_between_two_daemon_processes(
    other_process: asyncio.subprocess.Process,
    emu: TelegramEmulator,
    store: Store,
    make_daemon: Callable[[], Awaitable[Daemon]],
) -> None:
    await emu.wait_for_poller(timeout=20)
    # The daemon under test starts while the other process holds the lease: it must not poll.
    daemon = await make_daemon()
    owner = await store.guards.lease_owner(LEASE)
    assert owner is not None
    assert owner.startswith(f"tg-{other_process.pid}-")
    poller = daemon.adapter.poller
    assert poller is not None
    assert not poller.leading.is_set()

    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/help")
    first = await daemon.posted(ELISA, None, "Ponte commands")
    assert [c.status for c in emu.calls("getUpdates")].count(409) == 0  # one poller at a time
    assert not poller.leading.is_set()

    other_process.kill()
    await other_process.wait()
    killed = time.monotonic()
    await emu.user_sends(ELISA, ELISA, "/help")  # while nobody polls: Telegram keeps it
    await asyncio.wait_for(poller.leading.wait(), timeout=10)
    took_over = time.monotonic() - killed
    assert took_over < 3.0  # lease 0.9 s, retried every 0.3 s
    second = await emu.wait_for_call(
        "sendMessage", lambda c: c is not first and c.params["chat_id"] == ELISA
    )
    assert "Ponte commands" in second.params["text"]
    assert (await store.guards.lease_owner(LEASE) or "").startswith(f"tg-{os.getpid()}-")
