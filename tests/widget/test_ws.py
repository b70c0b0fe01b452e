"""The widget over a real WebSocket against the real daemon application."""

from typing import Any

from bridge.core import Core
from bridge.domain.ids import AgentId, ConversationId, VisitorId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef
from tests.fakes import FakeClock
from tests.scenario import Scenario
from tests.waiting import until


async def test_a_customer_reaches_the_queue_and_talks_to_an_agent(
    widget: Any, core: Core, scenario: Scenario
) -> None:
    tab = widget()
    welcome = await tab.connect()
    assert welcome["visitor"].startswith("v_")
    assert welcome["conversation"] is None
    state = await tab.queued("vendas", "Maria")
    assert state["position"] == 1
    await tab.wait_event(lambda e: e["text"] == "Hello!" and e["author"] == "bot")
    ack = await tab.say("Oi, <img src=x onerror=alert(1)>")
    assert ack["t"] == "ack"
    cid = ConversationId(tab.conversation)
    await core.conversations.claim(cid, scenario.agent("ana"))
    await tab.wait_event(lambda e: e["kind"] == "claimed" and e["data"]["agent_name"] == "Ana")
    src = ExternalRef(ChannelKind.SLACK, "C0VENDAS", "1.1")
    await core.conversations.thread_message(
        cid, scenario.agent("ana"), "Olá Maria!", author_name="Ana", source=src
    )
    await core.conversations.thread_message(
        cid, scenario.agent("bruno"), "nota interna", author_name="Bruno", source=src
    )
    reply = await tab.wait_event(lambda e: e["text"] == "Olá Maria!")
    assert (reply["author"], reply["name"]) == ("agent", "Ana")
    assert "nota interna" not in tab.texts()
    assert "Oi, <img src=x onerror=alert(1)>" in tab.texts()  # text, exactly as typed


async def test_a_reload_replays_the_whole_conversation_and_a_resume_only_what_was_missed(
    widget: Any, core: Core, scenario: Scenario
) -> None:
    tab = widget()
    await tab.connect()
    await tab.queued()
    await tab.say("primeira")
    seen_before = list(tab.order)
    token, cid = tab.visitor, tab.conversation
    await tab.close()
    await core.conversations.claim(ConversationId(cid), scenario.agent("ana"))
    await core.conversations.reply(ConversationId(cid), scenario.agent("ana"), "perdida?")

    resumed = widget()
    await resumed.connect(visitor=token, conversation=cid, last=seen_before[-1])
    await resumed.wait_event(lambda e: e["text"] == "perdida?")
    assert not set(resumed.order) & set(seen_before)  # nothing twice

    reloaded = widget()
    await reloaded.connect(visitor=token)  # a reload with nothing stored: the whole conversation
    await reloaded.wait_event(lambda e: e["text"] == "perdida?")
    assert reloaded.order[: len(seen_before)] == seen_before
    assert reloaded.texts().count("primeira") == 1


async def test_a_second_tab_sees_the_same_conversation_live(widget: Any) -> None:
    first = widget()
    await first.connect()
    await first.queued()
    second = widget()
    await second.connect(visitor=first.visitor)
    assert second.conversation == first.conversation
    await first.say("de uma aba")
    await second.wait_event(lambda e: e["text"] == "de uma aba")


async def test_the_queue_position_moves_live(
    widget: Any, core: Core, scenario: Scenario, clock: FakeClock
) -> None:
    a, b = widget(), widget()
    await a.connect()
    await a.queued("vendas", "A")
    clock.advance(1)  # the queue orders by creation time
    await b.connect()
    state = await b.queued("vendas", "B")
    assert state["position"] == 2
    await core.conversations.claim(ConversationId(a.conversation), scenario.agent("ana"))
    moved = await b.wait_state(lambda c: c["position"] == 1)
    assert moved["state"] == "queued"


async def test_form_errors_come_back_per_field_and_change_nothing(widget: Any) -> None:
    tab = widget()
    await tab.connect()
    await tab.start()
    await tab.send({"t": "department", "department": "nope"})
    errors = await tab.wait_for(lambda f: f["t"] == "errors")
    assert errors["errors"] == {"department": "invalid"}
    await tab.send({"t": "department", "department": "suporte"})
    await tab.wait_state(lambda c: c["step"] == "form")
    await tab.send({"t": "form", "values": {"name": "", "email": "x@"}})
    errors = await tab.wait_for(lambda f: f["t"] == "errors")
    assert errors["errors"] == {"name": "required", "email": "email"}
    assert tab.state["step"] == "form"


async def test_bad_frames_get_error_frames_and_the_connection_stays(widget: Any) -> None:
    tab = widget()
    await tab.connect()
    await tab.send_raw("not json")
    assert (await tab.wait_for(lambda f: f["t"] == "error"))["code"] == "bad_frame"
    await tab.send({"t": "explode"})
    assert (await tab.wait_for(lambda f: f["t"] == "error"))["code"] == "bad_frame"
    await tab.send({"t": "say", "id": "x", "text": "a" * 20_000})
    assert (await tab.wait_for(lambda f: f["t"] == "error"))["code"] == "too_large"
    await tab.send({"t": "say", "id": "y", "text": "before any start"})
    refused = await tab.wait_for(lambda f: f["t"] == "error")
    assert (refused["code"], refused["field"]) == ("invalid", "conversation")
    await tab.send({"t": "ping"})
    await tab.wait_for(lambda f: f["t"] == "pong")


async def test_a_forged_visitor_gets_a_clear_error_and_a_fresh_identity(widget: Any) -> None:
    owner = widget()
    await owner.connect()
    await owner.queued()
    vid, _, signature = owner.visitor.partition(".")
    forged = widget()
    welcome = await forged.connect(visitor=f"{vid}.{'A' * len(signature)}")
    bad = [f for f in forged.frames if f["t"] == "error"] or [
        await forged.wait_for(lambda f: f["t"] == "error")
    ]
    assert bad[0]["code"] == "bad_visitor"
    assert not welcome["visitor"].startswith(vid)
    assert welcome["conversation"] is None  # not the owner's conversation


async def test_other_origins_are_refused_on_every_endpoint(daemon: Any) -> None:
    evil = {"Origin": "http://evil.test"}
    for method, path in [
        ("GET", "/widget/config"),
        ("GET", "/widget/ws"),
        ("GET", "/widget/sse"),
        ("POST", "/widget/send"),
        ("POST", "/widget/upload"),
    ]:
        response = await daemon.request(method, path, headers=evil)
        assert response.status == 403, path
        assert (await response.json())["error"] == "origin_not_allowed"
    config = await daemon.get("/widget/config", headers={"Origin": "http://shop.test"})
    assert config.status == 200
    assert config.headers["Access-Control-Allow-Origin"] == "http://shop.test"
    script = await daemon.get("/widget.js", headers={"Referer": "http://evil.test/page"})
    assert "may not embed" in await script.text()


async def test_rate_limits_stop_a_flood(widget: Any, core: Core) -> None:
    tab = widget()
    await tab.connect()
    await tab.queued()
    limit = core.settings.widget.rate.messages_per_minute
    results = [await tab.say(f"m{i}") for i in range(limit + 2)]
    codes = [r.get("code") for r in results if r["t"] == "error"]
    assert codes == ["rate_limited", "rate_limited"]


async def test_writing_after_the_close_moves_the_tab_to_a_new_conversation(
    widget: Any, core: Core, scenario: Scenario
) -> None:
    tab = widget()
    await tab.connect()
    await tab.queued()
    old = ConversationId(tab.conversation)
    await core.conversations.claim(old, scenario.agent("ana"))
    await core.conversations.close(old, scenario.agent("ana"))
    await tab.wait_state(lambda c: c["state"] == "closed")
    await tab.send({"t": "rate", "rating": 5, "comment": "ótimo"})
    await tab.wait_state(lambda c: c["rated"])
    ack = await tab.say("voltei")
    assert ack["conversation"] != old
    await tab.wait_state(lambda c: c["id"] == ack["conversation"] and c["state"] == "queued")
    assert (await core.conversations.get(old)).rating == 5
    assert (
        await core.queries.details(ConversationId(ack["conversation"]), scenario.agent("ana"))
    ).history[0].id == old
    assert AgentId("ana")


async def test_pings_keep_the_visitor_online(widget: Any, core: Core, clock: FakeClock) -> None:
    tab = widget()
    await tab.connect()
    vid = VisitorId(tab.visitor.partition(".")[0])
    assert (await core.leads.visitor(vid)).online
    clock.advance(61)
    assert not (await core.leads.visitor(vid)).online  # a minute without a sign: offline

    await tab.send({"t": "ping"})
    await tab.wait_for(lambda f: f["t"] == "pong")

    async def back_online() -> bool:  # written by the daemon's flusher within a second
        return (await core.leads.visitor(vid)).online

    await until(back_online)
