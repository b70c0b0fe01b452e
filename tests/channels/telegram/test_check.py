"""`check-config --online`: Telegram is asked about each department's group."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.settings import Settings
from channels.telegram.check import online_warnings
from tests.channels.telegram.helpers import FINANCEIRO, telegram_changes
from tests.emulators.telegram import TelegramEmulator
from tests.settings_factory import ENV, merge, settings_data

DEPARTMENTS = {
    "departments": [
        {"id": "vendas", "name": "Vendas", "telegram_chat": -1001},
        {"id": "suporte", "name": "Suporte", "telegram_chat": -1002},
        {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
        {"id": "extra", "name": "Extra", "telegram_chat": -1009},
    ]
}
EXPECTED = [
    "department 'suporte': Telegram group -1002 is not a forum",
    "department 'suporte': Telegram group -1002: the bot is member there",
    "department 'financeiro': Telegram group -1003: the bot is an admin without the right",
    "department 'extra': Telegram group -1009: Chat not found",
]


def arrange(emu: TelegramEmulator) -> None:
    emu.add_group(-1002, "Suporte", is_forum=False, bot_status="member")
    emu.set_bot_status(FINANCEIRO, "administrator", can_manage_topics=False)


@pytest.mark.parametrize("changes", [DEPARTMENTS])
async def test_online_check_names_each_group_problem(
    settings: Settings, emu: TelegramEmulator
) -> None:
    arrange(emu)
    found = await online_warnings(settings)
    assert len(found) == len(EXPECTED)
    for line, start in zip(found, EXPECTED, strict=True):
        assert line.startswith(start), line
    assert not [w for w in found if "vendas" in w]


async def test_check_config_online_from_the_command_line(
    tmp_path: Path, prefix: str, emu: TelegramEmulator
) -> None:
    arrange(emu)
    data: dict[str, Any] = settings_data(
        prefix, merge(telegram_changes(emu, tmp_path), DEPARTMENTS)
    )
    config = tmp_path / "ponte.yaml"
    config.write_text(yaml.safe_dump(data))
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bridge",
        "check-config",
        str(config),
        "--online",
        env=env | ENV | {"PTB_TIMEDELTA": "1"},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0
    lines = out.decode().splitlines()
    assert lines[0] == f"{config}: OK"
    for start in EXPECTED:
        assert any(line.startswith(f"  warning: {start}") for line in lines), lines
