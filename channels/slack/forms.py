"""Buttons that open a modal, and the modals' submissions.

views.open must use the click's trigger_id within 3 seconds, so modals open in the listener;
what it reads first is a few Redis reads. A submission is checked in the ack (errors stay in the
modal), then its action is stored as a job. The one exception is the contact edit in Details:
it is a single validated write whose field errors belong in the modal, so it is done before
the ack, and nothing acked is left undone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bridge.domain.access import require_access
from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import ContactId, ConversationId
from bridge.domain.model import AgentActor, Conversation
from channels.common.actions import explain
from channels.common.lists import Act
from channels.slack import details, modals
from channels.slack.answer import Answer
from channels.slack.kit import Kit
from channels.slack.modals import Callback
from channels.slack.mrkdwn import escape
from channels.slack.payloads import action_value, answer_of, metadata, state_value
from channels.slack.render import Block
from channels.slack.web import FAILURES

log = logging.getLogger("ponte.slack")


async def open_modal(kit: Kit, body: Mapping[str, Any], view: Block) -> None:
    """views.open on the interaction's trigger_id (valid for 3 s, once)."""
    web, trigger = kit.web, str(body.get("trigger_id", ""))
    try:
        await web.call(lambda: web.client.views_open(trigger_id=trigger, view=view))
    except FAILURES as e:  # an expired trigger: the click did nothing; the agent clicks again
        log.warning("slack.modal_failed", extra={"error": repr(e)})


class Forms:
    def __init__(self, kit: Kit) -> None:
        self._kit = kit

    def register(self, app: AsyncApp) -> None:
        app.action(Act.TRANSFER)(self.open_transfer)
        app.action(Act.CLOSE)(self.open_close)
        app.action(Act.DETAILS)(self.open_details)
        app.action(Act.START_CONTACT)(self.open_start_contact)
        app.action(Act.START_LEAD)(self.open_start_lead)
        app.action(Act.INTERNAL)(self.open_internal)
        app.view(Callback.TRANSFER)(self.submit_transfer)
        app.view(Callback.CLOSE)(self.submit_close)
        app.view(Callback.DETAILS)(self.submit_details)
        app.view(Callback.START_CONTACT)(self.submit_start)
        app.view(Callback.START_LEAD)(self.submit_start)
        app.view(Callback.INTERNAL)(self.submit_internal)

    # -- opening ---------------------------------------------------------------------------------

    async def _open(self, body: Mapping[str, Any], view: Block) -> None:
        await open_modal(self._kit, body, view)

    async def _start(self, body: Mapping[str, Any]) -> tuple[AgentActor, str, Answer] | None:
        """The agent who clicked, the button's value and where to answer; None (after telling
        them in a modal) when the clicker is not an agent."""
        answer = answer_of(body)
        agent = self._kit.actions.agent(answer.user)
        if agent is None:
            await self._open(body, modals.notice(escape(self._kit.t("not_agent")), self._kit.t))
            return None
        return agent, action_value(body), answer

    async def _conversation(
        self, body: Mapping[str, Any], agent: AgentActor, cid: str, action: str
    ) -> Conversation | None:
        """The conversation, when the agent may `action` it; else None, after a notice."""
        kit = self._kit
        try:
            c = await kit.core.conversations.get(ConversationId(cid))
            require_access(agent, c, action)
        except BridgeError as e:
            await self._open(body, modals.notice(escape(explain(e, kit.t)), kit.t))
            return None
        return c

    async def open_transfer(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        agent, cid, answer = started
        c = await self._conversation(body, agent, cid, "transfer")
        if c is not None:
            meta = {"cid": cid, "answer": answer.to_json()}
            settings, t = self._kit.core.settings, self._kit.t
            await self._open(body, modals.transfer(settings, t, c.number, agent, meta))

    async def open_close(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        agent, cid, answer = started
        c = await self._conversation(body, agent, cid, "close")
        if c is not None:
            meta = {"cid": cid, "answer": answer.to_json()}
            rules = self._kit.core.directory.rules(c.department_id)
            await self._open(body, modals.close(self._kit.t, c.number, rules, meta))

    async def open_details(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        agent, cid, answer = started
        kit = self._kit
        try:
            found = await kit.core.queries.details(ConversationId(cid), agent)
        except BridgeError as e:
            await self._open(body, modals.notice(escape(explain(e, kit.t)), kit.t))
            return
        meta = {"cid": cid, "kid": found.contact.id, "answer": answer.to_json()}
        now = kit.core.clock.now()
        await self._open(body, details.view(found, kit.t, kit.core.directory, now, meta))

    async def open_start_contact(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        _, kid, answer = started
        try:
            name = (await self._kit.core.queries.contact(ContactId(kid))).display_name
        except BridgeError:
            name = kid
        meta = {"target": kid, "answer": answer.to_json()}
        await self._open(
            body, modals.first_message(Callback.START_CONTACT, name, self._kit.t, meta)
        )

    async def open_start_lead(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        _, vid, answer = started
        meta = {"target": vid, "answer": answer.to_json()}
        view = modals.first_message(Callback.START_LEAD, vid[:12], self._kit.t, meta)
        await self._open(body, view)

    async def open_internal(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        started = await self._start(body)
        if started is None:
            return
        _, recipient, answer = started
        name = self._kit.core.settings.agent_name(recipient)
        meta = {"recipient": recipient, "answer": answer.to_json()}
        await self._open(body, modals.internal(name, self._kit.t, meta))

    # -- submitting ------------------------------------------------------------------------------

    async def _submitted(
        self, body: Mapping[str, Any], view: Mapping[str, Any], job: dict[str, Any]
    ) -> None:
        """Store a submission's job; the answer goes to the submitter, where they clicked."""
        meta = metadata(view)
        answer = Answer.from_json({**(meta.get("answer") or {}), "user": body["user"]["id"]})
        job = {**job, "answer": answer.to_json()}
        await self._kit.put(job, f"view:{view.get('id', '')}:{view.get('hash', '')}")

    async def submit_transfer(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        department, agent = state_value(view, "department"), state_value(view, "agent")
        if not department and not agent:
            await ack(response_action="errors", errors={"department": self._kit.t("modal.target")})
            return
        job = {
            "type": "transfer",
            "cid": str(metadata(view).get("cid", "")),
            "department": department,
            "agent": agent,
            "note": state_value(view, "note"),
        }
        await self._submitted(body, view, job)
        await ack()

    async def submit_close(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The reason is checked against the department's rules before the ack, so a missing or
        unknown one is shown on its field; the core checks it again when it closes."""
        cid, reason = str(metadata(view).get("cid", "")), state_value(view, "reason")
        problem = await self._reason_problem(cid, reason)
        if problem:
            await ack(response_action="errors", errors={"reason": problem})
            return
        await self._submitted(body, view, {"type": "close", "cid": cid, "reason": reason})
        await ack()

    async def _reason_problem(self, cid: str, reason: str) -> str | None:
        kit = self._kit
        try:
            c = await kit.core.conversations.get(ConversationId(cid))
        except BridgeError:
            return None  # gone meanwhile: the close job says so
        rules = kit.core.directory.rules(c.department_id)
        problem = rules.check_reason(reason)
        if problem and not reason:
            return kit.t("close.reason_needed", reasons=", ".join(rules.close_reasons))
        return problem

    async def submit_start(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        job = {
            "type": view["callback_id"],
            "target": str(metadata(view).get("target", "")),
            "text": state_value(view, "text"),
        }
        await self._submitted(body, view, job)
        await ack()

    async def submit_internal(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        job = {
            "type": "internal",
            "recipient": str(metadata(view).get("recipient", "")),
            "text": state_value(view, "text"),
        }
        await self._submitted(body, view, job)
        await ack()

    async def submit_details(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        """The contact edit: saved before the ack, so a bad value is shown on its field."""
        kit, meta = self._kit, metadata(view)
        inputs = ((view.get("state") or {}).get("values") or {}).keys()
        values = {
            b: state_value(view, b) for b in inputs if b in details.STANDARD or b[:6] == "field:"
        }
        agent = kit.actions.agent(str(body["user"]["id"]))
        try:
            if agent is None:
                raise InvalidInput("name", kit.t("not_agent"))
            c = await kit.core.conversations.get(ConversationId(str(meta.get("cid", ""))))
            require_access(agent, c, "edit the contact of")
            changes = details.contact_changes(values)
            await kit.core.contacts.update(ContactId(str(meta.get("kid", ""))), **changes)
        except InvalidInput as e:
            await ack(
                response_action="errors", errors={details.error_block(e.field, values): e.message}
            )
            return
        except BridgeError as e:
            await ack(response_action="errors", errors={"name": explain(e, kit.t)})
            return
        await ack()
