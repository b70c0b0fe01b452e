"""Jobs from message events: what agents write, edit and delete in conversation threads, and
what they write to the app in a DM (the internal chat's reply path)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import ConversationId
from bridge.domain.model import Attachment, ChannelKind
from bridge.domain.refs import ExternalRef, ThreadRef
from channels.common.actions import explain
from channels.slack.answer import Answer
from channels.slack.files import FileRefused, download
from channels.slack.kit import Kit
from channels.slack.mrkdwn import escape, to_plain
from channels.slack.web import FAILURES

log = logging.getLogger("ponte.slack")

PEER_TTL = 30 * 24 * 3600
SLACK = ChannelKind.SLACK


def peer_key(agent: str) -> str:
    """Whom an agent's plain DMs to the app go to: the last agent they chatted with."""
    return f"slack:peer:{agent}"


class Inbound:
    def __init__(self, kit: Kit) -> None:
        self._kit = kit

    async def _conversation(self, channel: str, thread_ts: str) -> ConversationId | None:
        links = self._kit.core.links
        return await links.conversation_for_thread(SLACK, ThreadRef(SLACK, channel, thread_ts).key)

    def _plain(self, text: str) -> str:
        return to_plain(text, self._kit.agent_name)

    async def thread(self, job: dict[str, Any]) -> None:
        """A message in a thread: to the customer, an internal note, or a claim-and-reply, as
        the core decides. The message's channel/ts is its event key, so a redelivery is a no-op."""
        kit = self._kit
        channel, ts, thread_ts, user = job["channel"], job["ts"], job["thread_ts"], job["user"]
        cid = await self._conversation(channel, thread_ts)
        if cid is None:
            return  # a thread Ponte did not open
        answer = Answer(user, channel=channel, thread_ts=thread_ts)
        attachments = await self._attachments(cid, job.get("files") or [], answer)
        text = self._plain(job["text"])
        if not text.strip() and not attachments:
            return
        outcome = await kit.actions.thread_message(
            user,
            await kit.user_name(user),
            cid,
            text,
            source=ExternalRef(SLACK, channel, ts, thread_ts),
            event_key=f"{channel}/{ts}",
            attachments=attachments,
        )
        prefixed = text.lstrip().startswith(kit.core.settings.slack.note_prefix)
        if not outcome.ok or (outcome.kept_internal and not prefixed):
            await kit.responder.tell(answer, escape(outcome.text))

    async def _attachments(
        self, cid: ConversationId, files: list[dict[str, Any]], answer: Answer
    ) -> tuple[Attachment, ...]:
        """The shared files, kept by the core; a refused one is explained to the agent and
        left out (the rest of the message still goes)."""
        kit, kept = self._kit, []
        token = kit.core.settings.slack.bot_token
        for f in files:
            try:
                async with asyncio.timeout(kit.core.settings.slack.call_timeout):
                    data = await download(
                        kit.session,
                        f,
                        token=token.get_secret_value() if token else "",
                        max_bytes=kit.core.files.max_bytes,
                    )
                kept.append(await kit.core.files.save(cid, data, f["name"], f["mimetype"]))
            except (FileRefused, InvalidInput) as e:
                text = kit.t("file.refused", name=f["name"], reason=str(e))
                await kit.responder.tell(answer, escape(text))
        return tuple(kept)

    async def edit(self, job: dict[str, Any]) -> None:
        await self._change(job, self._plain(job["text"]))

    async def delete(self, job: dict[str, Any]) -> None:
        await self._change(job, None)

    async def _change(self, job: dict[str, Any], text: str | None) -> None:
        """An edit (text) or delete (None) of a thread message Ponte delivered or noted."""
        kit = self._kit
        source = ExternalRef(SLACK, job["channel"], job["ts"], job["thread_ts"])
        try:
            await kit.core.conversations.edit(source, text, await kit.user_name(job["user"]))
        except BridgeError as e:
            answer = Answer(job["user"], channel=job["channel"], thread_ts=job["thread_ts"])
            await kit.responder.tell(answer, escape(explain(e, kit.t)))

    async def direct(self, job: dict[str, Any]) -> None:
        """A DM to the app: an internal message to the agent they last chatted with."""
        kit, user = self._kit, job["user"]
        agent = kit.actions.agent(user)
        if agent is None:
            await kit.responder.direct(user, escape(kit.t("not_agent")))
            return
        peer = await kit.core.links.get_value(peer_key(agent.id))
        if not peer:
            await kit.responder.direct(user, escape(kit.t("dm.no_peer")))
            return
        outcome = await kit.actions.internal(user, peer, self._plain(job["text"]))
        if not outcome.ok:
            await kit.responder.direct(user, escape(outcome.text))
            return
        try:
            await kit.web.react(job["channel"], job["ts"], "white_check_mark")
        except FAILURES as e:  # the message went; the tick is cosmetic
            log.info("slack.react_failed", extra={"error": repr(e)})
