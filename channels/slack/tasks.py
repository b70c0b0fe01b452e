"""Jobs from buttons, modals and /ponte: the core action, then a private answer to whoever
asked. Errors the agent can act on come back as texts (channels.common.actions), never as a
failed job: a retried job would repeat the action."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bridge.domain.errors import BridgeError
from bridge.domain.ids import ConversationId
from bridge.domain.model import AgentActor
from channels.common.actions import Outcome, explain
from channels.common.commands import Command, Name, parse
from channels.common.lists import Lists
from channels.common.reports import stats_view
from channels.slack import listing, render
from channels.slack.answer import Answer
from channels.slack.inbound import PEER_TTL, peer_key
from channels.slack.kit import Kit
from channels.slack.mrkdwn import escape
from channels.slack.quick import QuickReplies
from channels.slack.web import FAILURES

log = logging.getLogger("ponte.slack")

PEEK_ITEMS = 10
TRANSCRIPT_CHUNKS = 3  # an ephemeral answer of up to ~10,000 characters


Special = Callable[[AgentActor, Command, Answer], Awaitable[None]]


class Tasks:
    def __init__(self, kit: Kit, quick: QuickReplies) -> None:
        self._kit = kit
        self._lists = Lists(kit.core, kit.actions.kind)
        # /ponte commands that are not lists
        self._special: dict[Name, Special] = {
            Name.STATUS: self._status_command,
            Name.REPLY: quick.command,
            Name.STATS: self._stats,
        }

    async def _tell(self, job: dict[str, Any], outcome: Outcome) -> None:
        await self._kit.responder.tell(Answer.from_json(job["answer"]), escape(outcome.text))

    async def claim(self, job: dict[str, Any]) -> None:
        answer = Answer.from_json(job["answer"])
        reserved = await self._reserved(answer.user, job["cid"])
        if reserved:
            await self._kit.responder.tell(answer, escape(reserved))
            return
        await self._tell(job, await self._kit.actions.claim(answer.user, job["cid"]))

    async def _reserved(self, user: str, cid: str) -> str:
        """Why `user` may not claim yet: the conversation is reserved for another agent (the
        core refuses such a claim too; this says it with the name and the time)."""
        kit = self._kit
        agent = kit.actions.agent(user)
        try:
            c = await kit.core.conversations.get(ConversationId(cid))
        except BridgeError:
            return ""  # the claim itself explains
        holder = c.reserved_at(kit.core.clock.now())
        if agent is None or holder is None or holder == agent.id or c.reserved_until is None:
            return ""
        settings = kit.core.settings
        until = render.local_time(c.reserved_until, settings, c.department_id)
        name = settings.agent_name(holder)
        return kit.t("claim.reserved", number=c.number, agent=name, until=until)

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
            cmd = parse(text)
            special = self._special.get(cmd.name)
            if special is not None:
                await special(agent, cmd, answer)
                return
            limit = min(kit.core.settings.limits.page_size, listing.ROWS_PER_MESSAGE)
            view = await self._lists.run(agent, cmd, cursor, limit)
        except BridgeError as e:
            fallback, blocks = listing.help_message(kit.t, explain(e, kit.t))
            await kit.responder.tell(answer, fallback, blocks)
            return
        fallback, blocks = listing.blocks(view, kit.t, text)
        await kit.responder.tell(answer, fallback, blocks, replace=job["type"] == "more")

    async def _stats(self, agent: AgentActor, cmd: Command, answer: Answer) -> None:
        """`/ponte stats`: today and the last 7 days of each department the agent serves."""
        kit = self._kit
        view = await stats_view(kit.core, agent, kit.t)
        fallback, blocks = listing.blocks(view, kit.t, "stats")
        await kit.responder.tell(answer, fallback, blocks)

    async def _status_command(self, agent: AgentActor, cmd: Command, answer: Answer) -> None:
        """`/ponte status [online|away|offline]`: set it (or tell it); the Home follows."""
        kit = self._kit
        outcome = await kit.actions.set_status(answer.user, cmd.text)
        await kit.responder.tell(answer, escape(outcome.text))
        if outcome.ok and cmd.text:
            await self._refresh_home(answer.user)

    async def status(self, job: dict[str, Any]) -> None:
        """A status button on the App Home: the Home shows the new status; only a refusal is
        told."""
        kit, answer = self._kit, Answer.from_json(job["answer"])
        outcome = await kit.actions.set_status(answer.user, job.get("status", ""))
        if not outcome.ok:
            await kit.responder.tell(answer, escape(outcome.text))
            return
        await self._refresh_home(answer.user)

    async def _refresh_home(self, user: str) -> None:
        try:
            await self._kit.home.refresh(self._kit.web, user)
        except FAILURES as e:  # the status is set; the Home catches up on its next refresh
            log.info("slack.home_failed", extra={"user": user, "error": repr(e)})

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
