"""Everything the emulator sends to the app: signed HTTP requests to the Request URL, or Socket
Mode envelopes when a socket client is connected (PROTOCOLS A1, A2, A4, A13)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from itertools import count
from urllib.parse import urlencode

import aiohttp

from tests.emulators.slack_payloads import event_envelope
from tests.emulators.slack_records import BotIdentity, Delivery, JsonDict, Kind, Outbound
from tests.emulators.slack_socket import SocketLink


def sign(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def encode(kind: Kind, payload: JsonDict) -> tuple[str, str]:
    """Body and content type as Slack POSTs each kind to a Request URL."""
    form = "application/x-www-form-urlencoded"
    match kind:
        case Kind.EVENTS_API:
            return json.dumps(payload), "application/json"
        case Kind.INTERACTIVE:
            return urlencode({"payload": json.dumps(payload)}), form
        case Kind.SLASH_COMMANDS:
            return urlencode(payload), form


@dataclass(frozen=True, slots=True)
class Attempt:
    """Retry headers and signature overrides of one delivery (None: computed as Slack does)."""

    retry_num: int | None = None
    retry_reason: str = "http_timeout"
    signature: str | None = None
    timestamp: int | None = None


class Outbox:
    """Owns the HTTP session and the background delivery tasks; records every outcome."""

    def __init__(self, identity: BotIdentity, socket: SocketLink, ack_timeout: float) -> None:
        self._identity = identity
        self._socket = socket
        self._ack_timeout = ack_timeout
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._event_seq = count(1)
        self.request_url: str | None = None
        self.records: list[Outbound] = []

    async def open(self) -> None:
        self._session = aiohttp.ClientSession()

    def next_event_id(self) -> str:
        return f"Ev{int(time.time()):X}{next(self._event_seq):06d}"

    def envelope(self, event: JsonDict, event_id: str | None = None) -> JsonDict:
        return event_envelope(self._identity, event, event_id or self.next_event_id())

    @property
    def has_target(self) -> bool:
        return self._socket.connected or self.request_url is not None

    async def deliver(self, kind: Kind, payload: JsonDict, attempt: Attempt) -> Delivery:
        """Deliver and wait for the app's answer; transport failures are recorded and raised."""
        try:
            delivery = await self._send(kind, payload, attempt)
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            self.records.append(Outbound(kind, payload, False, error=repr(exc)))
            raise
        self.records.append(Outbound(kind, payload, False, delivery=delivery))
        return delivery

    def deliver_later(self, kind: Kind, payload: JsonDict) -> None:
        """Deliver in an owned background task (echoes must not hold up the API reply).
        Skipped when there is nowhere to deliver to."""
        if not self.has_target:
            return
        task = asyncio.create_task(self._background(kind, payload), name="slack-emulator-echo")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _background(self, kind: Kind, payload: JsonDict) -> None:
        try:
            delivery = await self._send(kind, payload, Attempt())
        except Exception as exc:  # task boundary: a failed echo is recorded for the test to see
            self.records.append(Outbound(kind, payload, True, error=repr(exc)))
            return
        self.records.append(Outbound(kind, payload, True, delivery=delivery))

    async def _send(self, kind: Kind, payload: JsonDict, attempt: Attempt) -> Delivery:
        if self._socket.connected:
            retry = (attempt.retry_num or 0, attempt.retry_reason if attempt.retry_num else "")
            return await self._socket.request(kind, payload, retry)
        if self.request_url is None:
            raise ConnectionError("nowhere to deliver: set request_url or connect Socket Mode")
        return await self._post(self.request_url, kind, payload, attempt)

    def _headers(self, body: str, content_type: str, attempt: Attempt) -> dict[str, str]:
        timestamp = str(attempt.timestamp if attempt.timestamp is not None else int(time.time()))
        signature = attempt.signature or sign(self._identity.signing_secret, timestamp, body)
        headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        }
        if attempt.retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(attempt.retry_num)
            headers["X-Slack-Retry-Reason"] = attempt.retry_reason
        return headers

    async def _post(self, url: str, kind: Kind, payload: JsonDict, attempt: Attempt) -> Delivery:
        if self._session is None:
            raise RuntimeError("SlackEmulator is not started")
        body, content_type = encode(kind, payload)
        headers = self._headers(body, content_type, attempt)
        timeout = aiohttp.ClientTimeout(total=self._ack_timeout)
        async with self._session.post(
            url, data=body.encode(), headers=headers, timeout=timeout
        ) as response:
            text = await response.text()
            return Delivery(response.status, text, dict(response.headers))

    async def drain(self) -> None:
        """Until every background delivery, including ones started meanwhile, has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
