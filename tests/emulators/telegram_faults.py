"""Failure injection for the Telegram emulator: queued errors per method, artificial latency,
and optional flood limits (PROTOCOLS B9: ~20 messages a minute per group, ~30 a second per
bot) answered with 429 and retry_after, as Telegram does."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from tests.emulators.telegram_wire import ApiError, Params, too_many_requests

LIMITED_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendVoice", "editMessageText"}
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: emulated failure",
    401: "Unauthorized",
    403: "Forbidden: emulated failure",
    404: "Not Found",
    409: "Conflict: emulated failure",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(slots=True)
class _Failure:
    error: ApiError
    remaining: int


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_chat_per_minute: int
    per_bot_per_second: int


def injected_error(error_code: int, description: str | None, retry_after: int | None) -> ApiError:
    if error_code == 429:
        seconds = 1 if retry_after is None else retry_after
        text = description or f"Too Many Requests: retry after {seconds}"
        return ApiError(429, text, retry_after=seconds)
    text = description or _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
    return ApiError(error_code, text, retry_after=retry_after)


class Faults:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, deque[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._limits: RateLimits | None = None
        self._bot_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = {}
        self._closing = asyncio.Event()

    def fail_next(self, method: str, error: ApiError, times: int) -> None:
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        self._failures.setdefault(method, deque()).append(_Failure(error, times))

    def set_delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    def enforce(self, limits: RateLimits | None) -> None:
        self._limits = limits
        self._bot_sends.clear()
        self._chat_sends.clear()

    def close(self) -> None:
        """Wake delayed requests so the server can shut down at once."""
        self._closing.set()

    async def before(self, method: str, params: Params) -> None:
        """Runs before a method's handler: latency, then an injected error, then limits."""
        await self._delay(method)
        self._inject(method)
        self._check_limits(method, params)

    def after(self, method: str, params: Params) -> None:
        if self._limits is None or method not in LIMITED_METHODS:
            return
        moment = self._clock()
        self._bot_sends.append(moment)
        chat_id = _group_id(params)
        if chat_id is not None:
            self._chat_sends.setdefault(chat_id, deque()).append(moment)

    async def _delay(self, method: str) -> None:
        seconds = self._delays.get(method, 0.0)
        if seconds > 0:
            with suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self._closing.wait()

    def _inject(self, method: str) -> None:
        queued = self._failures.get(method)
        if not queued:
            return
        failure = queued[0]
        failure.remaining -= 1
        if failure.remaining == 0:
            queued.popleft()
        raise failure.error

    def _check_limits(self, method: str, params: Params) -> None:
        limits = self._limits
        if limits is None or method not in LIMITED_METHODS:
            return
        moment = self._clock()
        _refuse_if_full(self._bot_sends, limits.per_bot_per_second, 1.0, moment)
        chat_id = _group_id(params)
        if chat_id is not None:
            sends = self._chat_sends.setdefault(chat_id, deque())
            _refuse_if_full(sends, limits.per_chat_per_minute, 60.0, moment)


def _group_id(params: Params) -> int | None:
    """Groups and supergroups have negative ids; the per-minute limit is theirs."""
    chat_id = params.values.get("chat_id")
    return chat_id if isinstance(chat_id, int) and chat_id < 0 else None


def _refuse_if_full(sends: deque[float], limit: int, window: float, moment: float) -> None:
    while sends and sends[0] <= moment - window:
        sends.popleft()
    if len(sends) >= limit:
        raise too_many_requests(max(1, math.ceil(sends[0] + window - moment)))
