"""Nothing lost, nothing twice: Slack's retries, forged requests, rate-limit storms, timeouts
after Slack accepted a post, a deleted root, and a restart in the middle of delivering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from slack_sdk.web.async_client import AsyncWebClient

from bridge.daemon.app import create_app
from bridge.settings import Settings
from tests.channels.slack.conftest import ANA, FAST_RETRY
from tests.channels.slack.customer import Customer
from tests.channels.slack.emulator import PonteSlack
from tests.channels.slack.helpers import Bed, card_text
from tests.emulators.slack_records import JsonDict, Kind
from tests.fakes import FakeClock


def last_event(emu: PonteSlack) -> JsonDict:
    """The envelope of the last event a (simulated) person caused."""
    sent = [d for d in emu.deliveries() if d.kind is Kind.EVENTS_API and not d.background]
    return sent[-1].payload


async def test_a_retried_event_acts_once(bed: Bed, customers: Callable[[], Customer]) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    await bed.emu.user_posts(ANA, channel, "uma vez só", thread_ts=ts)
    first = last_event(bed.emu)
    retry = await bed.emu.send_event(first["event"], event_id=first["event_id"], retry_num=1)
    again = await bed.emu.send_event(first["event"], event_id="Ev0DIFFERENTID")  # same message
    await bed.emu.user_posts(ANA, channel, "e depois", thread_ts=ts)
    await maria.sees_text("e depois")

    assert (retry.status, again.status) == (200, 200)
    assert maria.texts().count("uma vez só") == 1


@pytest.mark.parametrize(
    "forgery", [{"signature": "v0=" + "0" * 64}, {"timestamp": 1_600_000_000}], ids=["bad", "stale"]
)
async def test_a_forged_or_stale_request_gets_401_and_changes_nothing(
    bed: Bed, customers: Callable[[], Customer], forgery: dict[str, Any]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    await bed.emu.user_posts(ANA, channel, "verdadeira", thread_ts=ts)
    genuine = last_event(bed.emu)["event"]
    forged = {**genuine, "text": "forjada", "ts": "1.000001", "client_msg_id": "x"}
    delivery = await bed.emu.send_event(forged, **forgery)
    await maria.sees_text("verdadeira")

    assert delivery.status == 401
    assert delivery.json() == {"error": "invalid request"}
    assert await bed.core.jobs.size("slack") == 0
    log = await bed.core.queries.transcript(maria.conversation, bed.core.agents.get("ana"))
    assert "forjada" not in [i.text for i in log.timeline]


async def test_a_429_storm_loses_nothing_and_keeps_the_order(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    bed.emu.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=1, times=6)
    bed.emu.fail_next("chat.postMessage", error="internal_error", status=500, times=2)
    maria = customers()
    cid = await maria.arrive()
    for n in range(6):
        await maria.say(f"msg {n}")
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "msg 5")

    refused = [c.status for c in bed.emu.calls("chat.postMessage") if not c.reply["ok"]]
    assert refused == [429] * 6 + [500] * 2
    roots = [m for m in bed.emu.messages(channel) if f"card:{cid}" in card_text(m)]
    assert len(roots) == 1
    said = [t for t in bed.thread(channel, ts) if t.startswith("*Contact*")]
    assert said == [f"*Contact*: msg {n}" for n in range(6)]


@pytest.fixture
def slack_changes() -> dict[str, Any]:
    return {"call_timeout": 0.3}


async def test_a_post_slack_took_but_never_confirmed_is_not_posted_again(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    bed.emu.set_delay("chat.postMessage", 1.0)  # stored at once, answered after the timeout
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await bed.emu.wait_for_call(
        "conversations.replies", lambda c: c.params.get("include_all_metadata") in (True, "1")
    )
    bed.emu.set_delay("chat.postMessage", 0)
    await maria.say("depois do susto")
    await bed.reply(channel, ts, "depois do susto")

    roots = [m for m in bed.emu.messages(channel) if f"card:{cid}" in card_text(m)]
    assert len(roots) == 1
    backlog = [t for t in bed.thread(channel, ts) if "Before the queue" in t]
    assert len(backlog) == 1
    assert bed.emu.calls("conversations.history")  # how the root was found again


async def test_a_root_deleted_by_hand_is_posted_again(
    bed: Bed, customers: Callable[[], Customer], emu: PonteSlack
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "Before the queue")
    async with aiohttp.ClientSession() as http:
        admin = AsyncWebClient(base_url=emu.api_url, token="xoxb-test", session=http)
        await admin.chat_delete(channel=channel, ts=ts)
    await maria.say("alguém aí?")
    new = await bed.emu.wait_for_call(
        "chat.postMessage",
        lambda c: (
            f"card:{cid}" in str(c.params.get("blocks")) and c.reply.get("ts") not in (None, ts)
        ),
    )
    new_ts = new.reply["ts"]
    await bed.reply(channel, new_ts, "alguém aí?")
    refused = [c.reply["error"] for c in bed.emu.calls("chat.postMessage") if not c.reply["ok"]]
    assert refused == ["invalid_thread_ts"]


async def test_a_restart_mid_delivery_delivers_everything_once(
    bed: Bed,
    customers: Callable[[], Customer],
    settings: Settings,
    clock: FakeClock,
    redis_url: str,
    aiohttp_client: Callable[..., Any],
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    await bed.reply(channel, ts, "Before the queue")
    bed.emu.set_delay("chat.postMessage", 0.2)  # the first daemon stops with posts in flight
    for n in range(4):
        await maria.say(f"antes do restart {n}")
    await bed.emu.wait_for_call("chat.postMessage", lambda c: "restart 0" in c.params["text"])
    await bed.daemon.close()
    bed.emu.set_delay("chat.postMessage", 0)

    app = create_app(settings, env={"REDIS_URL": redis_url}, clock=clock, retry=FAST_RETRY)
    second: TestClient[Any, Any] = await aiohttp_client(app)
    bed.emu.request_url = str(second.make_url("/slack/events"))
    await bed.reply(channel, ts, "restart 3")

    said = [t for t in bed.thread(channel, ts) if "restart" in t]
    assert said == [f"*Contact*: antes do restart {n}" for n in range(4)]
