"""A minimal slack-bolt app for proving the Slack emulator: its listeners record what reached
them, and answer the way Ponte's adapter will (ack, respond, post, open views)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

JsonDict = dict[str, Any]


@dataclass(slots=True)
class BoltProbe:
    """`seen` holds, in order, every event/body/view/command a listener received; `retries`
    the `x-slack-retry-num` header values of message events."""

    app: AsyncApp
    seen: list[JsonDict] = field(default_factory=list)
    retries: list[list[str]] = field(default_factory=list)

    async def on_message(
        self, event: JsonDict, client: AsyncWebClient, req: AsyncBoltRequest
    ) -> None:
        self.seen.append(event)
        self.retries.append(list(req.headers.get("x-slack-retry-num", [])))
        if event.get("text") == "ping":
            await client.chat_postMessage(
                channel=event["channel"], thread_ts=event["ts"], text="pong"
            )

    async def on_claim(self, ack: AsyncAck, body: JsonDict, respond: AsyncRespond) -> None:
        await ack()
        self.seen.append(body)
        await respond(text="claimed", response_type="ephemeral")

    async def on_transfer(self, ack: AsyncAck, view: JsonDict) -> None:
        self.seen.append(view)
        await ack(response_action="errors", errors={"dept": "Pick a department"})

    async def on_command(self, ack: AsyncAck, command: JsonDict) -> None:
        self.seen.append(command)
        await ack(f"got {command['text']}")

    async def on_home(self, event: JsonDict, client: AsyncWebClient) -> None:
        self.seen.append(event)
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})


def bolt_probe(client: AsyncWebClient, signing_secret: str) -> BoltProbe:
    app = AsyncApp(client=client, signing_secret=signing_secret, process_before_response=True)
    probe = BoltProbe(app)
    app.event("message")(probe.on_message)
    app.event("app_home_opened")(probe.on_home)
    app.action("claim")(probe.on_claim)
    app.view("transfer")(probe.on_transfer)
    app.command("/ponte")(probe.on_command)
    return probe


def events_endpoint(app: AsyncApp) -> web.Application:
    """POST /slack/events, as PROTOCOLS A12 wires bolt into aiohttp."""

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", slack_events)
    return web_app
