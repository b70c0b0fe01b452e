"""Real daemon processes (`python -m bridge run`) for multi-process and shutdown tests."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from tests.settings_factory import ENV, merge, settings_data
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class DaemonProcess:
    process: asyncio.subprocess.Process
    url: str
    log: Path

    def records(self) -> list[dict[str, Any]]:
        """The daemon's structured log, one JSON object per line."""
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    async def stop(self, sig: int) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await self.process.wait()


def write_config(folder: Path, prefix: str, changes: dict[str, Any] | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    base = {
        "slack": {"enabled": False},
        "telegram": {"enabled": False},
        "widget": {"uploads": {"dir": str(folder / "uploads")}},
    }
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(settings_data(prefix, merge(base, changes or {}))))
    return config


def read_log(path: Path) -> str:
    return path.read_text()


async def start_helper(module: str, *args: str) -> asyncio.subprocess.Process:
    """`python -m tests.helpers.<module> ARGS` from the project root: the other processes of
    the multi-process tests (a worker to kill, rule workers)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        f"tests.helpers.{module}",
        *args,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def spawn_daemon(
    folder: Path, prefix: str, redis_url: str, changes: dict[str, Any] | None = None
) -> DaemonProcess:
    config = write_config(folder, prefix, changes)
    port = free_port()
    log = folder / "daemon.log"
    env = {**os.environ, **ENV, "REDIS_URL": redis_url, "PORT": str(port), "PYTHONPATH": str(ROOT)}
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bridge",
            "run",
            "--config",
            str(config),
            cwd=folder,
            env=env,
            stdout=sink,
            stderr=sink,
        )
    daemon = DaemonProcess(process, f"http://127.0.0.1:{port}", log)

    async def healthy() -> bool:
        if process.returncode is not None:
            raise RuntimeError(f"the daemon exited:\n{read_log(log)}")
        try:
            async with aiohttp.ClientSession() as http, http.get(f"{daemon.url}/healthz") as r:
                return r.status == 200
        except aiohttp.ClientError:
            return False

    await until(healthy, within=30)
    return daemon
