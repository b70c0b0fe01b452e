"""Jobs from buttons, modals and /ponte: the core action, then a private answer to whoever
asked. Errors the agent can act on come back as texts (channels.common.actions), never as a
failed job: a retried job would repeat the action."""

from __future__ import annotations

from typing import Any

from bridge.domain.errors import BridgeError
from bridge.domain.ids import ConversationId
from channels.common.actions import Outcome, explain
from channels.common.commands import parse
from channels.common.lists import Lists
from channels.slack import listing, render
from channels.slack.answer import Answer
from channels.slack.inbound import PEER_TTL, peer_key
from channels.slack.kit import Kit
from channels.slack.mrkdwn import escape

PEEK_ITEMS = 10
TRANSCRIPT_CHUNKS = 3  # an ephemeral answer of up to ~10,000 characters


class Tasks:
    def __init__(self, kit: Kit) -> None:
        self._kit = kit
        self._lists = Lists(kit.core, kit.actions.kind)

    async def _tell(self, job: dict[str, Any], outcome: Outcome) -> None:
        await self._kit.responder.tell(Answer.from_json(job["answer"]), escape(outcome.text))

    async def claim(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        await self._tell(job, await self._kit.actions.claim(answer.user, job["cid"]))

    async def peek(self, job: dict[str, Any]) -> None:
        kit, answer = self._kit, Answer.from_json(job["answer"])
        outcome = await kit.actions.peek(answer.user, job["cid"], PEEK_ITEMS)
        if outcome.peek is None:
            await self._tell(job, outcome)
            return
        lines = [render.line(item, kit.t, kit.core.settings) for item in outcome.peek.items]
        body = "\n".join(line for line in lines if line) or escape(kit.t("list.empty"))
        await kit.responder.tell(answer, f"*{escape(outcome.text)}*\n{body}")

    async def transcript(self, job: dict[str, Any]) -> None:
        kit, answer = self._kit, Answer.from_json(job["answer"])
        agent = kit.actions.agent(answer.user)
        if agent is None:
            await kit.responder.tell(answer, escape(kit.t("not_agent")))
            return
        try:
            found = await kit.core.queries.transcript(ConversationId(job["cid"]), agent)
        except BridgeError as e:
            await kit.responder.tell(answer, escape(explain(e, kit.t)))
            return
        title = kit.t("transcript.title", number=found.conversation.number)
        chunks = render.transcript(found.timeline, kit.t, kit.core.settings, title)
        text = "\n".join(chunks[:TRANSCRIPT_CHUNKS]) or escape(kit.t("list.empty"))
        await kit.responder.tell(answer, text)

    async def show_list(self, job: dict[str, Any]) -> None:
        """A /ponte command (or a Home shortcut, or More): the list, ephemerally."""
        kit, answer = self._kit, Answer.from_json(job["answer"])
        text, cursor = job.get("text", ""), job.get("cursor") or None
        agent = kit.actions.agent(answer.user)
        if agent is None:
            await kit.responder.tell(answer, escape(kit.t("not_agent")))
            return
        try:
            limit = min(kit.core.settings.limits.page_size, listing.ROWS_PER_MESSAGE)
            view = await self._lists.run(agent, parse(text), cursor, limit)
        except BridgeError as e:
            fallback, blocks = listing.help_message(kit.t, explain(e, kit.t))
            await kit.responder.tell(answer, fallback, blocks)
            return
        fallback, blocks = listing.blocks(view, kit.t, text)
        await kit.responder.tell(answer, fallback, blocks, replace=job["type"] == "more")

    async def transfer(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        outcome = await self._kit.actions.transfer(
            answer.user,
            job["cid"],
            department=job.get("department") or None,
            agent=job.get("agent") or None,
            note=job.get("note", ""),
        )
        await self._tell(job, outcome)

    async def close(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        outcome = await self._kit.actions.close(answer.user, job["cid"], job.get("reason", ""))
        await self._tell(job, outcome)

    async def start_contact(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        outcome = await self._kit.actions.start_with_contact(
            answer.user, job["target"], job["text"]
        )
        await self._tell(job, outcome)

    async def start_lead(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        outcome = await self._kit.actions.start_with_lead(answer.user, job["target"], job["text"])
        await self._tell(job, outcome)

    async def internal(self, job: dict[str, Any]) -> None:
        """A message to another agent (Slack or Telegram); later DMs to the app go to them."""
        kit, answer = self._kit, Answer.from_json(job["answer"])
        outcome = await kit.actions.internal(answer.user, job["recipient"], job["text"])
        sender = kit.actions.agent(answer.user)
        if outcome.ok and sender is not None:
            await kit.core.links.set_value(peer_key(sender.id), job["recipient"], PEER_TTL)
        await self._tell(job, outcome)

    async def home(self, job: dict[str, Any]) -> None:
        await self._kit.home.publish(self._kit.web, job["user"])
