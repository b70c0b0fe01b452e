"""Quick replies (atalhos) from Slack: `/ponte reply <name> [#number]`, and a message shortcut
on any message of a conversation's thread that opens a modal with the department's quick
replies. Either way the reply goes out through Actions.quick_reply, placeholders filled, as if
the agent had typed it; the thread shows it like any reply.

The shortcut's modal must open within 3 seconds of the click, so it is built in the listener
(a few Redis reads); the sending is a job, like every other action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bridge.core.queries import ChatFilter
from bridge.domain.errors import BridgeError
from bridge.domain.ids import ConversationId
from bridge.domain.model import AgentActor, ChannelKind, ConversationState
from bridge.domain.refs import ThreadRef
from bridge.domain.views import ConversationSummary
from channels.common.actions import explain
from channels.common.commands import Command
from channels.slack import modals
from channels.slack.answer import Answer
from channels.slack.forms import open_modal
from channels.slack.kit import Kit
from channels.slack.modals import Callback
from channels.slack.mrkdwn import escape
from channels.slack.payloads import message_answer, metadata, state_value
from channels.slack.render import Block

SHORTCUT = "ponte_quick_reply"  # the message shortcut's callback_id (config/slack-manifest.yaml)
SLACK = ChannelKind.SLACK
CHATS_READ = 200  # an agent's conversations in service, read to find one by number


class QuickReplies:
    def __init__(self, kit: Kit) -> None:
        self._kit = kit

    def register(self, app: AsyncApp) -> None:
        app.shortcut(SHORTCUT)(self.open)
        app.view(Callback.QUICK_REPLY)(self.submit)

    # -- the message shortcut ---------------------------------------------------------------

    async def open(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await open_modal(self._kit, body, await self._view(message_answer(body)))

    async def _view(self, answer: Answer) -> Block:
        """The modal for the conversation of the message's thread, or a notice saying why
        there is none (not an agent, not a Ponte thread, not theirs, nothing configured)."""
        kit, t = self._kit, self._kit.t
        agent = kit.actions.agent(answer.user)
        if agent is None:
            return modals.notice(escape(t("not_agent")), t)
        thread = ThreadRef(SLACK, answer.channel, answer.thread_ts).key
        cid = await kit.core.links.conversation_for_thread(SLACK, thread)
        if cid is None:
            return modals.notice(escape(t("reply.no_thread")), t)
        try:
            c = await kit.core.conversations.get(cid)
        except BridgeError as e:
            return modals.notice(escape(explain(e, t)), t)
        if c.state is not ConversationState.IN_SERVICE or c.assignee != agent.id:
            return modals.notice(escape(t("reply.not_holder", number=c.number)), t)
        replies = kit.core.quick_replies.available(c.department_id)
        if not replies:
            department = kit.core.settings.department_name(c.department_id)
            return modals.notice(escape(t("reply.none_configured", department=department)), t)
        meta = {"cid": c.id, "answer": answer.to_json()}
        return modals.quick_reply(t, c.number, replies, meta)

    async def submit(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        name = state_value(view, "reply")
        if not name:
            await ack(response_action="errors", errors={"reply": self._kit.t("modal.choose")})
            return
        meta = metadata(view)
        answer = Answer.from_json({**(meta.get("answer") or {}), "user": body["user"]["id"]})
        job = {
            "type": "quick_reply",
            "cid": str(meta.get("cid", "")),
            "name": name,
            "answer": answer.to_json(),
        }
        await self._kit.put(job, f"view:{view.get('id', '')}:{view.get('hash', '')}")
        await ack()

    # -- jobs ---------------------------------------------------------------------------------

    async def send(self, job: dict[str, Any]) -> None:
        """The chosen quick reply, sent; the agent is told privately how it went."""
        answer = Answer.from_json(job["answer"])
        outcome = await self._kit.actions.quick_reply(answer.user, job["cid"], job["name"])
        await self._kit.responder.tell(answer, escape(outcome.text))

    async def command(self, agent: AgentActor, cmd: Command, answer: Answer) -> None:
        """`/ponte reply <name> [#number]`: in the agent's conversation `number`, or in their
        only conversation in service when they hold exactly one."""
        kit, t = self._kit, self._kit.t
        words = cmd.text.split()
        if not words:
            await kit.responder.tell(answer, escape(t("reply.usage", names=self._names(agent))))
            return
        name = words[0]
        page = await kit.core.queries.in_service(
            agent, ChatFilter(agent=agent.id), None, CHATS_READ
        )
        wanted = number(words[1:])
        cid, why = target(page.items, wanted)
        if cid is None:
            await kit.responder.tell(answer, escape(t(why, name=name, number=wanted or "?")))
            return
        await self.send({"cid": cid, "name": name, "answer": answer.to_json()})

    def _names(self, agent: AgentActor) -> str:
        core = self._kit.core
        names = {
            r.name
            for dept in core.directory.departments_of(agent)
            for r in core.quick_replies.available(dept)
        }
        return ", ".join(sorted(names)) or "—"


def number(words: Sequence[str]) -> int | None:
    """The conversation number among the words after the name: `#12` or `12`."""
    for word in words:
        digits = word.removeprefix("#")
        if digits.isdigit():
            return int(digits)
    return None


def target(
    chats: Sequence[ConversationSummary], wanted: int | None
) -> tuple[ConversationId | None, str]:
    """The conversation to reply in, or None and the text key saying why there is none."""
    if wanted is not None:
        found = [s.conversation.id for s in chats if s.conversation.number == wanted]
        return (found[0], "") if found else (None, "reply.no_chat")
    if not chats:
        return None, "reply.no_chats"
    if len(chats) > 1:
        return None, "reply.choose_chat"
    return chats[0].conversation.id, ""
