"""Bolt listeners for events, /ponte and the buttons whose work is a job.

Each listener decodes the payload, stores a job (deduplicated by the event id or the click)
and acks: Slack gets its answer in milliseconds and the work survives a restart. Bolt passes
arguments by parameter name, so the names below (event, body, ack, command) are the contract.
Every subscribed event and every action id Ponte posts is registered here, in forms.py or in
quick.py (the message shortcut): an unhandled request gets a 404 from bolt and Slack retries it.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from channels.common.lists import Act
from channels.slack import listing
from channels.slack.home import STATUS_ACTIONS
from channels.slack.kit import Kit
from channels.slack.payloads import (
    action_value,
    answer_of,
    command_job,
    interaction_key,
    message_job,
    more_job,
)

JOB_ACTIONS = (Act.CLAIM, Act.PEEK, Act.TRANSCRIPT)


class Listeners:
    def __init__(self, kit: Kit) -> None:
        self._kit = kit

    def register(self, app: AsyncApp, command: str) -> None:
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)
        app.command(command)(self.on_command)
        for action in JOB_ACTIONS:
            app.action(action)(self.on_button)
        app.action(listing.MORE)(self.on_more)
        for name, _ in listing.SHORTCUTS:
            app.action(listing.shortcut_action(name))(self.on_shortcut)
        for action in STATUS_ACTIONS:
            app.action(action)(self.on_status)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """Thread replies, edits, deletes and DMs; bolt has already dropped our own posts."""
        job = message_job(event)
        if job is not None:
            await self._kit.put(job, str(body.get("event_id") or ""))

    async def on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            job = {"type": "home", "user": str(event["user"])}
            await self._kit.put(job, str(body.get("event_id") or ""))

    async def on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """/ponte …: acked empty (nothing shows yet); the list comes via the response_url."""
        await self._kit.put(command_job(command), f"cmd:{command.get('trigger_id', '')}")
        await ack()

    async def on_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Claim, Peek, Transcript: the action id is the job type, the value the conversation."""
        action = body["actions"][0]["action_id"]
        job = {"type": action, "cid": action_value(body), "answer": answer_of(body).to_json()}
        await self._kit.put(job, interaction_key(body))
        await ack()

    async def on_more(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await self._kit.put(more_job(action_value(body), answer_of(body)), interaction_key(body))
        await ack()

    async def on_status(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A status button on the App Home: the value is the presence."""
        answer = answer_of(body)
        job = {"type": "status", "status": action_value(body), "answer": answer.to_json()}
        await self._kit.put(job, interaction_key(body))
        await ack()

    async def on_shortcut(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A list shortcut (the Home's buttons, a waiting alert's Queue): privately where it was
        clicked, or in the app's DM from the Home (a Home tab has no response_url)."""
        answer = answer_of(body)
        job = {"type": "list", "text": action_value(body), "answer": answer.to_json()}
        await self._kit.put(job, interaction_key(body))
        await ack()
