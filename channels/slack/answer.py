"""Telling one agent something privately, from a job that runs after Slack was acked.

An interaction leaves three ways back to the person: its `response_url` (messages and slash
commands), the channel and thread it happened in (chat.postEphemeral), and always the app's DM
with them. `Responder.tell` tries them in that order. Answers are best effort: the state change
already happened, so a failed answer is logged, never retried into a second change.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from channels.slack.web import FAILURES, SlackWeb

log = logging.getLogger("ponte.slack")

Blocks = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Answer:
    """Where to answer the person who acted."""

    user: str
    response_url: str = ""
    channel: str = ""
    thread_ts: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            str(data.get("user", "")),
            str(data.get("response_url") or ""),
            str(data.get("channel") or ""),
            str(data.get("thread_ts") or ""),
        )


class Responder:
    def __init__(self, web: SlackWeb, session: aiohttp.ClientSession, timeout: float) -> None:
        self._web, self._session, self._timeout = web, session, timeout

    async def tell(
        self, to: Answer, text: str, blocks: Blocks | None = None, *, replace: bool = False
    ) -> None:
        """An ephemeral answer (or a DM when no ephemeral path works). `replace` swaps the
        message the person clicked in (paging a list) when there is a response_url."""
        if to.response_url and await self._respond(to.response_url, text, blocks, replace):
            return
        if (
            to.channel
            and not to.channel.startswith("D")
            and await self._ephemeral(to, text, blocks)
        ):
            return
        await self.direct(to.user, text, blocks)

    async def _respond(self, url: str, text: str, blocks: Blocks | None, replace: bool) -> bool:
        hook = AsyncWebhookClient(url, timeout=int(self._timeout) or 1, session=self._session)
        try:
            sent = await hook.send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=replace
            )
        except (aiohttp.ClientError, TimeoutError) as e:
            log.warning("slack.respond_failed", extra={"error": repr(e)})
            return False
        return sent.status_code == 200

    async def _ephemeral(self, to: Answer, text: str, blocks: Blocks | None) -> bool:
        client = self._web.client
        try:
            await self._web.call(
                lambda: client.chat_postEphemeral(
                    channel=to.channel,
                    user=to.user,
                    text=text,
                    blocks=blocks,
                    thread_ts=to.thread_ts or None,
                )
            )
        except FAILURES as e:
            log.info("slack.ephemeral_failed", extra={"error": repr(e), "channel": to.channel})
            return False
        return True

    async def direct(self, user: str, text: str, blocks: Blocks | None = None) -> None:
        """A message in the app's DM with `user` (Slack opens it when posting to a user id)."""
        client = self._web.client
        try:
            await self._web.call(
                lambda: client.chat_postMessage(channel=user, text=text, blocks=blocks)
            )
        except FAILURES as e:
            log.warning("slack.answer_lost", extra={"error": repr(e), "user": user})
