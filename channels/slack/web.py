"""The Slack Web API as Ponte uses it: every call under a timeout, posts paced per channel,
posts idempotent on a key, and Slack's errors turned into what the delivery worker acts on.

429s and 5xx are not retried inside the call (no slack_sdk retry handlers for them): an
in-call sleep is lost on a restart and holds the lane blindly. They surface as RetryLater or as
plain errors, and the worker waits durably.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bridge.core.links import Links
from bridge.domain.model import ChannelKind
from bridge.ports import DeliveryFailed, RetryLater, ThreadGone
from bridge.settings import SlackSettings

log = logging.getLogger("ponte.slack")

Sleep = Callable[[float], Awaitable[None]]
Call = Callable[[], Awaitable[AsyncSlackResponse]]

SENT_TTL = 7 * 24 * 3600  # as long as the worker keeps its receipts
PACE_ROUNDS = 3  # then post anyway: the bucket paces, Slack's 429 is the backstop
METADATA_TYPE = "ponte_delivery"
UPLOAD_BYTES_PER_SECOND = 500_000  # the slowest upload we wait for before calling it failed
CLIENT_TIMEOUT = 30  # slack_sdk's own bound per request, for the calls SlackWeb does not wrap

# Retrying cannot help: the entry is dead-lettered and the failure reported.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "msg_blocks_too_long",
        "invalid_arguments",
        "too_many_attachments",
        "restricted_action",
        "user_not_found",
        "cannot_dm_bot",
        "method_not_supported_for_channel_type",
    }
)
# The root message (the thread) is gone: the worker opens a new thread.
GONE = frozenset({"message_not_found", "thread_not_found", "invalid_thread_ts"})


class NotInChannel(Exception):
    """The bot is not a member of the channel it posts in: join, then retry once."""


# Errors a best-effort call (an answer to an agent) logs and gives up on.
FAILURES = (
    SlackApiError,
    SlackRequestError,
    aiohttp.ClientError,
    TimeoutError,
    RetryLater,
    DeliveryFailed,
    ThreadGone,
    NotInChannel,
)


def error_code(e: SlackApiError) -> str:
    response = e.response
    return str(response.get("error", "")) if response is not None else ""


def retry_after(e: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait (HTTP 429 Retry-After), or None if it did not."""
    response = e.response
    if response is None or (response.status_code != 429 and error_code(e) != "ratelimited"):
        return None
    headers: Mapping[str, str] = response.headers or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "1")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


def translate(e: SlackApiError) -> Exception:
    """What a Slack error means for a delivery."""
    seconds = retry_after(e)
    if seconds is not None:
        return RetryLater(seconds)
    code = error_code(e)
    if code == "not_in_channel":
        return NotInChannel(code)
    if code in GONE:
        return ThreadGone(code)
    if code in PERMANENT:
        return DeliveryFailed(f"slack: {code}")
    return e  # 5xx, internal_error, timeouts on Slack's side: retried with back-off


class SlackWeb:
    def __init__(
        self, client: AsyncWebClient, links: Links, settings: SlackSettings, sleep: Sleep
    ) -> None:
        self.client, self._links, self._settings, self._sleep = client, links, settings, sleep

    async def call(self, call: Call, seconds: float | None = None) -> AsyncSlackResponse:
        """One Web API call within `seconds` (the configured call_timeout unless given),
        errors translated (see translate)."""
        try:
            async with asyncio.timeout(seconds or self._settings.call_timeout):
                return await call()
        except SlackApiError as e:
            translated = translate(e)
            if translated is e:
                raise
            raise translated from e

    async def pace(self, channel: str) -> None:
        """Wait for a token of the channel's shared bucket (~1 post/s per channel, bursts)."""
        s = self._settings
        for _ in range(PACE_ROUNDS):
            wait = await self._links.throttle(
                f"slack:{channel}", s.messages_per_second, s.messages_burst
            )
            if wait <= 0:
                return
            await self._sleep(wait)

    async def posting(
        self, channel: str, call: Call, seconds: float | None = None
    ) -> AsyncSlackResponse:
        """A paced call that posts in `channel`, joining it first if the bot is not a member."""
        await self.pace(channel)
        try:
            return await self.call(call, seconds)
        except NotInChannel:
            await self._join(channel)
        try:
            return await self.call(call, seconds)
        except NotInChannel as e:
            raise DeliveryFailed(f"slack: still not in {channel} after joining") from e

    async def _join(self, channel: str) -> None:
        """Join a public channel. A private one cannot be joined (the app must be invited):
        DeliveryFailed. A 429 or 5xx is left to the worker to retry."""
        try:
            await self.call(lambda: self.client.conversations_join(channel=channel))
        except DeliveryFailed as e:
            raise DeliveryFailed(f"{e}: cannot join {channel}; invite the app there") from e
        log.info("slack.joined", extra={"channel": channel})

    async def post_once(
        self,
        key: str,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> str:
        """Post a message and return its ts. Idempotent on `key`: a repeat returns the first
        post's ts. When an earlier attempt may have posted but never learned the ts (a timeout
        after Slack accepted it), the message is looked up by the key in its metadata first."""
        sent = f"slack:sent:{key}"
        done = await self._links.get_value(sent)
        if done:
            return done
        if not await self._links.first_time(ChannelKind.SLACK, f"try:{key}"):
            found = await self._find_posted(channel, thread_ts, key)
            if found:
                await self._links.set_value(sent, found, SENT_TTL)
                return found
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"key": key}}
        response = await self.posting(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                metadata=metadata,
                unfurl_links=False,
                unfurl_media=False,
            ),
        )
        ts = str(response["ts"])
        await self._links.set_value(sent, ts, SENT_TTL)
        return ts

    async def _find_posted(self, channel: str, thread_ts: str | None, key: str) -> str | None:
        """The ts of a message we posted with `key` in its metadata, among the latest ones."""
        try:
            if thread_ts:
                found = await self.call(
                    lambda: self.client.conversations_replies(
                        channel=channel, ts=thread_ts, limit=200, include_all_metadata=True
                    )
                )
            else:
                found = await self.call(
                    lambda: self.client.conversations_history(
                        channel=channel, limit=50, include_all_metadata=True
                    )
                )
        except (SlackApiError, NotInChannel, DeliveryFailed, ThreadGone):
            return None  # cannot tell: post again (a rare visible duplicate beats a lost one)
        for message in found.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == key:
                return str(message["ts"])
        return None

    async def update(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        await self.call(
            lambda: self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        )

    async def react(self, channel: str, ts: str, name: str) -> None:
        """Add a reaction; one that is already there is fine."""
        try:
            await self.call(
                lambda: self.client.reactions_add(channel=channel, timestamp=ts, name=name)
            )
        except SlackApiError as e:
            if error_code(e) != "already_reacted":
                raise

    async def permalink(self, channel: str, ts: str) -> str | None:
        try:
            found = await self.call(
                lambda: self.client.chat_getPermalink(channel=channel, message_ts=ts)
            )
        except (ThreadGone, DeliveryFailed):
            return None
        return str(found["permalink"])

    async def upload_once(
        self, key: str, channel: str, thread_ts: str, data: bytes, name: str
    ) -> str:
        """Upload a file into a thread (files_upload_v2: getUploadURLExternal, the upload,
        completeUploadExternal). Idempotent on `key` once it succeeded; returns the file id."""
        sent = f"slack:sent:{key}"
        done = await self._links.get_value(sent)
        if done:
            return done
        # Three requests, one carrying the bytes: the timeout grows with the file.
        seconds = self._settings.call_timeout + len(data) / UPLOAD_BYTES_PER_SECOND
        response = await self.posting(
            channel,
            lambda: self.client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, content=data, filename=name, title=name
            ),
            seconds,
        )
        file_id = str((response.get("file") or {}).get("id", ""))
        await self._links.set_value(sent, file_id or "?", SENT_TTL)
        return file_id
