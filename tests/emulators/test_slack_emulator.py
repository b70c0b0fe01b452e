"""The Slack emulator, proven with the real slack_sdk AsyncWebClient and slack-bolt AsyncApp."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from pytest_aiohttp import AiohttpServer
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.emulators.slack import SlackEmulator
from tests.emulators.slack_harness import BoltProbe, bolt_probe, events_endpoint

AGENT = "U0AGENT"
SALES = "C0SALES"
MODAL = {
    "type": "modal",
    "callback_id": "transfer",
    "private_metadata": "conv-42",
    "title": {"type": "plain_text", "text": "Transfer"},
    "blocks": [{"type": "input", "block_id": "dept", "element": {"type": "static_select"}}],
}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk reads these even with proxy="" (PROTOCOLS A6): keep traffic on 127.0.0.1.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def slack() -> AsyncIterator[SlackEmulator]:
    async with SlackEmulator() as emulator:
        emulator.add_user(AGENT, "ana", email="ana@acme.test", real_name="Ana Lima")
        emulator.add_channel(SALES, "vendas", members=[AGENT])
        yield emulator


@pytest.fixture
async def client(slack: SlackEmulator) -> AsyncIterator[AsyncWebClient]:
    async with aiohttp.ClientSession() as session:
        yield AsyncWebClient(base_url=slack.api_url, token="xoxb-test", session=session)


@pytest.fixture
async def bolt(
    slack: SlackEmulator, client: AsyncWebClient, aiohttp_server: AiohttpServer
) -> BoltProbe:
    probe = bolt_probe(client, slack.identity.signing_secret)
    server = await aiohttp_server(events_endpoint(probe.app))
    slack.request_url = str(server.make_url("/slack/events"))
    return probe


async def test_post_message_json_with_blocks_and_thread(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Maria* &lt;3"}}]
    root = await client.chat_postMessage(channel=SALES, text="Maria", blocks=blocks)
    reply = await client.chat_postMessage(channel=SALES, text="hi", thread_ts=root["ts"])

    assert re.fullmatch(r"\d+\.\d{6}", root["ts"])
    assert reply["ts"] > root["ts"]
    first = slack.calls("chat.postMessage")[0]
    assert first.headers["Content-Type"].startswith("application/json")
    assert first.params["blocks"] == blocks
    assert first.reply["ts"] == root["ts"]
    assert reply["message"]["bot_id"] == "B0BOT"
    assert reply["message"]["thread_ts"] == root["ts"]
    assert [m["text"] for m in slack.messages(SALES)] == ["Maria"]
    assert [m["text"] for m in slack.messages(SALES, root["ts"])] == ["hi"]
    assert slack.messages(SALES)[0]["reply_count"] == 1


async def test_chat_errors_are_http_200_ok_false(
    slack: SlackEmulator, client: AsyncWebClient, bolt: BoltProbe
) -> None:
    ts, _ = await slack.user_posts(AGENT, SALES, "from a person")
    slack.add_channel("C0QUIET", "quiet", bot_is_member=False)
    attempts: dict[str, Callable[[], Awaitable[object]]] = {
        "channel_not_found": lambda: client.chat_postMessage(channel="C0NOPE", text="x"),
        "not_in_channel": lambda: client.chat_postMessage(channel="C0QUIET", text="x"),
        # api_call: chat_postMessage() itself warns (UserWarning) when text is missing.
        "no_text": lambda: client.api_call("chat.postMessage", json={"channel": SALES}),
        "msg_too_long": lambda: client.chat_postMessage(channel=SALES, text="x" * 40_001),
        "invalid_thread_ts": lambda: client.chat_postMessage(
            channel=SALES, text="x", thread_ts="1.000001"
        ),
        "cant_update_message": lambda: client.chat_update(channel=SALES, ts=ts, text="mine"),
        "message_not_found": lambda: client.chat_update(channel=SALES, ts="1.000001", text="x"),
        "unknown_method": lambda: client.api_call("nope.nothing"),
    }
    for error, attempt in attempts.items():
        with pytest.raises(SlackApiError) as caught:
            await attempt()
        assert (caught.value.response.status_code, caught.value.response["error"]) == (200, error)
    assert {call.status for call in slack.calls()} == {200}


async def test_form_query_and_get_styles_are_merged(slack: SlackEmulator) -> None:
    blocks = [{"type": "divider"}]
    form = {"token": "xoxb-test", "channel": SALES, "text": "form", "blocks": json.dumps(blocks)}
    query = {"channel": SALES, "token": "xoxb-test"}
    async with aiohttp.ClientSession() as http:
        url = slack.api_url + "chat.postMessage?unfurl_links=0"
        async with http.post(url, data=form) as posted:
            assert posted.content_type == "application/json"
            assert (await posted.json())["ok"]
        async with http.get(slack.api_url + "conversations.info", params=query) as got:
            assert (await got.json())["channel"]["is_member"]

    call = slack.calls("chat.postMessage")[0]
    assert call.params["blocks"] == blocks
    assert call.params["unfurl_links"] == "0"


async def test_auth_test_and_bad_tokens(slack: SlackEmulator, client: AsyncWebClient) -> None:
    me = await client.auth_test()
    assert (me["user_id"], me["bot_id"], me["team_id"]) == ("U0BOT", "B0BOT", "T0001")
    for token, error in (("xoxb-wrong", "invalid_auth"), ("xapp-test", "not_allowed_token_type")):
        with pytest.raises(SlackApiError, match=error):
            await client.auth_test(token=token)
    slack.fail_next("auth.test", error="not_authed")
    with pytest.raises(SlackApiError, match="not_authed"):
        await client.auth_test()


async def test_conversations_join_then_already_in_channel(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    slack.add_channel("C0NEW", "novo", bot_is_member=False)
    joined = await client.conversations_join(channel="C0NEW")
    again = await client.conversations_join(channel="C0NEW")

    assert joined["channel"]["is_member"]
    assert "warning" not in joined.data
    assert again["warning"] == "already_in_channel"
    info = await client.conversations_info(channel="C0NEW")
    assert info["channel"]["name"] == "novo"
    assert slack.calls("conversations.join")[0].headers["Authorization"] == "Bearer xoxb-test"


async def test_files_upload_v2_lands_in_a_thread(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    root = await client.chat_postMessage(channel=SALES, text="conversation")
    done = await client.files_upload_v2(
        channel=SALES, thread_ts=root["ts"], content=b"%PDF-1.4 hi", filename="a.pdf", title="A"
    )

    methods = [c.method for c in slack.calls()][1:]
    assert methods == ["files.getUploadURLExternal", "upload_url", "files.completeUploadExternal"]
    file_id = done["file"]["id"]
    assert slack.files()[file_id]["content"] == b"%PDF-1.4 hi"
    (shared,) = slack.messages(SALES, root["ts"])
    assert shared["files"][0]["id"] == file_id
    assert shared["subtype"] == "file_share"
    url = shared["files"][0]["url_private_download"]
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Authorization": "Bearer xoxb-test"}) as got:
            assert await got.read() == b"%PDF-1.4 hi"
        async with http.get(url) as login:
            assert (login.status, login.content_type) == (200, "text/html")


async def test_views_open_checks_triggers(slack: SlackEmulator, client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError, match="expired_trigger_id"):
        await client.views_open(trigger_id=slack.issue_trigger(AGENT, age=4), view=MODAL)
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        await client.views_open(trigger_id="12.34.made-up", view=MODAL)
    trigger = slack.issue_trigger(AGENT)
    big = {**MODAL, "private_metadata": "x" * 250_001}
    with pytest.raises(SlackApiError, match="view_too_large"):
        await client.views_open(trigger_id=trigger, view=big)
    opened = await client.views_open(trigger_id=trigger, view=MODAL)
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        await client.views_open(trigger_id=trigger, view=MODAL)

    assert opened["view"]["callback_id"] == "transfer"
    assert opened["view"]["id"].startswith("V")
    assert [v["id"] for v in slack.views(AGENT)] == [opened["view"]["id"]]


async def test_users_info(client: AsyncWebClient) -> None:
    ana = await client.users_info(user=AGENT)
    assert ana["user"]["profile"]["email"] == "ana@acme.test"
    with pytest.raises(SlackApiError, match="user_not_found"):
        await client.users_info(user="U0GHOST")


async def test_injected_429_and_5xx_reach_the_client(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=7)
    slack.fail_next("chat.postMessage", error="service_unavailable", status=503)
    with pytest.raises(SlackApiError) as limited:
        await client.chat_postMessage(channel=SALES, text="x")
    with pytest.raises(SlackApiError) as down:
        await client.chat_postMessage(channel=SALES, text="x")

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert (down.value.response.status_code, down.value.response["error"]) == (
        503,
        "service_unavailable",
    )
    assert (await client.chat_postMessage(channel=SALES, text="ok"))["ok"]


async def test_rate_limit_is_per_channel(slack: SlackEmulator, client: AsyncWebClient) -> None:
    slack.add_channel("C0OTHER", "outro")
    slack.set_rate_limit("chat.postMessage", 1.0)
    await client.chat_postMessage(channel=SALES, text="1")
    with pytest.raises(SlackApiError) as limited:
        await client.chat_postMessage(channel=SALES, text="2")
    await client.chat_postMessage(channel="C0OTHER", text="elsewhere")

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"


async def test_slow_answer_times_the_client_out_after_posting(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    slack.set_delay("chat.postMessage", 30)
    impatient = AsyncWebClient(base_url=slack.api_url, token="xoxb-test", timeout=1)
    with pytest.raises(TimeoutError):
        await impatient.chat_postMessage(channel=SALES, text="maybe posted")
    # As on Slack, the post may have happened although the client gave up.
    assert [m["text"] for m in slack.messages(SALES)] == ["maybe posted"]


async def test_signed_message_event_reaches_the_listener(
    slack: SlackEmulator, bolt: BoltProbe
) -> None:
    ts, delivery = await slack.user_posts(AGENT, SALES, "Oi &lt;3")
    retried = await slack.send_event(bolt.seen[0], event_id="Ev0RETRY", retry_num=1)

    assert (delivery.status, retried.status) == (200, 200)
    assert bolt.seen[0]["ts"] == ts
    assert bolt.seen[0]["client_msg_id"]
    assert bolt.retries == [[], ["1"]]
    assert slack.calls("auth.test"), "bolt authorizes with auth.test first"


async def test_forged_or_stale_signatures_are_refused(
    slack: SlackEmulator, bolt: BoltProbe
) -> None:
    event = {"type": "message", "channel": SALES, "user": AGENT, "text": "x", "ts": "1.000001"}
    forged = await slack.send_event(event, signature="v0=" + "0" * 64)
    stale = await slack.send_event(event, timestamp=1_600_000_000)

    assert (forged.status, stale.status) == (401, 401)
    assert forged.json() == {"error": "invalid request"}
    assert bolt.seen == []


async def test_block_actions_click_is_acked_and_respond_is_recorded(
    slack: SlackEmulator, bolt: BoltProbe, client: AsyncWebClient
) -> None:
    card = await client.chat_postMessage(channel=SALES, text="Maria is waiting")
    delivery = await slack.click_button(
        AGENT, action_id="claim", value="conv-42", channel=SALES, message_ts=card["ts"]
    )

    assert delivery.status == 200
    body = bolt.seen[-1]
    assert body["container"] == {
        "type": "message",
        "message_ts": card["ts"],
        "channel_id": SALES,
        "is_ephemeral": False,
    }
    assert body["actions"][0]["value"] == "conv-42"
    assert body["message"]["bot_id"] == "B0BOT"
    assert slack.responses() == [{"text": "claimed", "response_type": "ephemeral"}]
    assert slack.ephemerals(AGENT)[0]["text"] == "claimed"


async def test_view_submission_errors_ack(
    slack: SlackEmulator, bolt: BoltProbe, client: AsyncWebClient
) -> None:
    opened = await client.views_open(trigger_id=slack.issue_trigger(AGENT), view=MODAL)
    values = {"dept": {"dept_select": {"type": "static_select", "selected_option": None}}}
    delivery = await slack.submit_view(AGENT, opened["view"]["id"], values)

    assert delivery.json() == {"response_action": "errors", "errors": {"dept": "Pick a department"}}
    assert bolt.seen[-1]["private_metadata"] == "conv-42"
    assert bolt.seen[-1]["state"]["values"] == values


async def test_slash_command_ack_text(slack: SlackEmulator, bolt: BoltProbe) -> None:
    delivery = await slack.slash_command(AGENT, "/ponte", "status", channel=SALES)

    assert (delivery.status, delivery.body) == (200, "got status")
    assert bolt.seen[-1]["channel_name"] == "vendas"
    assert bolt.seen[-1]["user_name"] == "ana"


async def test_own_post_echo_is_dropped_by_bolt_self_filter(
    slack: SlackEmulator, bolt: BoltProbe
) -> None:
    ts, _ = await slack.user_posts(AGENT, SALES, "ping")
    await slack.drain()

    (pong,) = slack.messages(SALES, ts)
    assert pong["text"] == "pong"
    assert pong["bot_id"] == "B0BOT"
    (echo,) = [d for d in slack.deliveries() if d.background]
    assert echo.payload["event"]["ts"] == pong["ts"]
    assert echo.payload["event"]["user"] == "U0BOT"
    assert echo.delivery is not None
    assert echo.delivery.status == 200
    assert [event["text"] for event in bolt.seen] == ["ping"]


async def test_failed_echo_is_recorded_not_raised(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    slack.request_url = "http://127.0.0.1:1/slack/events"  # nothing listens on port 1
    posted = await client.chat_postMessage(channel=SALES, text="nobody hears this")
    await slack.drain()

    (echo,) = slack.deliveries()
    assert echo.background
    assert echo.delivery is None
    assert echo.error is not None
    assert echo.payload["event"]["ts"] == posted["ts"]


async def test_home_opened_publishes_a_home_tab(slack: SlackEmulator, bolt: BoltProbe) -> None:
    delivery = await slack.open_home(AGENT)

    assert delivery.status == 200
    home = slack.home(AGENT)
    assert home is not None
    assert home["type"] == "home"


async def test_wait_for_call_sees_past_and_later_calls_and_times_out(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel=SALES, text="first")
    past = await slack.wait_for_call("chat.postMessage")
    later, _ = await asyncio.gather(
        slack.wait_for_call("chat.postMessage", lambda c: c.params["text"] == "second"),
        client.chat_postMessage(channel=SALES, text="second"),
    )

    assert past.params["text"] == "first"
    assert later.reply["ok"]
    with pytest.raises(TimeoutError, match=r"chat\.postMessage"):
        await slack.wait_for_call("chat.update", timeout=0.05)


async def test_socket_mode_round_trip(slack: SlackEmulator, client: AsyncWebClient) -> None:
    probe = bolt_probe(client, slack.identity.signing_secret)
    handler = AsyncSocketModeHandler(probe.app, app_token="xapp-test")
    await handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it unannotated
    try:
        await slack.wait_for_socket()
        _ts, delivery = await slack.user_posts(AGENT, SALES, "via socket")
        command = await slack.slash_command(AGENT, "/ponte", "hello", channel=SALES)
        await slack.socket_disconnect()
        await slack.wait_for_socket(connections=2)
        after = await slack.open_home(AGENT)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]  # bolt leaves it unannotated

    assert delivery.status == 200
    assert probe.seen[0]["text"] == "via socket"
    assert command.json() == {"text": "got hello"}
    assert after.status == 200
    assert slack.home(AGENT) is not None
    assert slack.calls("apps.connections.open")[0].headers["Authorization"] == "Bearer xapp-test"
