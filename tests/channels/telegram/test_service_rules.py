"""Issue 7 from Telegram, what agents do: presence with /status (feeding automatic
distribution), close reasons asked with an inline keyboard, quick replies with /r, /stats."""

from __future__ import annotations

import pytest

from bridge.core import Core
from bridge.domain.model import ConversationState, Presence
from tests.channels.telegram.helpers import (
    DIEGO,
    ELISA,
    FINANCEIRO,
    RULES,
    VENDAS,
    Daemon,
    buttons,
)
from tests.fakes import FakeClock

pytestmark = pytest.mark.parametrize("changes", [RULES])


async def test_status_online_brings_an_automatic_assignment(daemon: Daemon, core: Core) -> None:
    emu = daemon.emu
    emu.open_private_chat(DIEGO)
    customer = daemon.customer()
    cid, number = await customer.queue("financeiro")
    topic = await daemon.topic(FINANCEIRO, number)
    assert (await core.conversations.get(cid)).state is ConversationState.QUEUED  # nobody online

    await emu.user_sends(DIEGO, DIEGO, "/status")
    current = await daemon.posted(DIEGO, None, "Your status is offline.")
    assert buttons(current) == [
        ("online", "st:online"),
        ("away", "st:away"),
        ("• offline", "st:offline"),
    ]

    await emu.user_sends(DIEGO, DIEGO, "/status online")
    told = await daemon.posted(DIEGO, None, "Your status is now online.")
    assert ("• online", "st:online") in buttons(told)
    await daemon.posted(FINANCEIRO, topic.thread, "Assigned automatically to Diego.")
    await daemon.edited(FINANCEIRO, topic.header, "in service — Diego")
    await customer.tab.wait_event(lambda e: e["kind"] == "claimed")
    assert (await core.conversations.get(cid)).assignee == "diego"

    # a press on the status message changes it in place; away gets no new conversations
    message_id = told.result["message_id"]
    toast = await daemon.answer(await emu.press_button(DIEGO, DIEGO, message_id, "st:away"))
    assert toast["text"] == "Your status is now away."
    await daemon.edited(DIEGO, message_id, "Your status is now away.")
    assert await core.agents.presence(core.directory.require_agent("diego")) is Presence.AWAY
    other = daemon.customer()
    second, _ = await other.queue("financeiro", name="Bia")
    assert (await core.conversations.get(second)).state is ConversationState.QUEUED

    await emu.user_sends(DIEGO, FINANCEIRO, "/status")
    in_group = await daemon.posted(FINANCEIRO, None, "Your status is away.")
    assert buttons(in_group) == []  # anyone in a group could press them
    await emu.user_sends(DIEGO, DIEGO, "/status sleeping")
    await daemon.posted(DIEGO, None, "Unknown status 'sleeping'")
    commands = [c["command"] for c in (await emu.wait_for_call("setMyCommands")).params["commands"]]
    assert {"status", "stats", "r"} <= set(commands)


async def test_closing_asks_for_the_reason_and_history_filters_by_it(
    daemon: Daemon, core: Core
) -> None:
    emu = daemon.emu
    customer = daemon.customer()
    cid, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    await emu.user_sends(ELISA, VENDAS, "Oi Maria!", thread_id=topic.thread)  # claims and replies
    await customer.sees("Oi Maria!")

    # the Close button asks; Vendas requires a reason, so there is no "No reason" button
    await daemon.answer(await emu.press_button(ELISA, VENDAS, topic.header, f"x:{cid}"))
    menu = await daemon.posted(VENDAS, topic.thread, f"Close #{number}: choose the reason.")
    assert buttons(menu) == [
        ("resolvido", f"xr:{cid}:0"),
        ("sem resposta", f"xr:{cid}:1"),
        ("venda feita", f"xr:{cid}:2"),
    ]
    assert (await core.conversations.get(cid)).state is ConversationState.IN_SERVICE
    menu_id = menu.result["message_id"]
    toast = await daemon.answer(await emu.press_button(ELISA, VENDAS, menu_id, f"xr:{cid}:2"))
    assert toast["text"] == f"Closed #{number}."
    await daemon.edited(VENDAS, menu_id, "— venda feita")
    await daemon.edited(VENDAS, topic.header, "Close reason:</b> venda feita")
    await daemon.posted(VENDAS, topic.thread, "Closed by Elisa: venda feita.")
    await emu.wait_for_call(
        "closeForumTopic", lambda c: c.params["message_thread_id"] == topic.thread
    )
    assert (await core.conversations.get(cid)).close_reason == "venda feita"

    # /close: a typed reason is taken when it names one; anything else gets the buttons
    other = daemon.customer()
    second, number2 = await other.queue("vendas", name="Bia")
    topic2 = await daemon.topic(VENDAS, number2, after=topic.thread)
    await emu.user_sends(ELISA, VENDAS, "Oi Bia!", thread_id=topic2.thread)
    await other.sees("Oi Bia!")
    await emu.user_sends(ELISA, VENDAS, "/close porque sim", thread_id=topic2.thread)
    await daemon.posted(VENDAS, topic2.thread, f"Close #{number2}: choose the reason.")
    await emu.user_sends(ELISA, VENDAS, "/close Sem_Resposta", thread_id=topic2.thread)
    await daemon.posted(VENDAS, topic2.thread, f"Closed #{number2}.")
    assert (await core.conversations.get(second)).close_reason == "sem resposta"

    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/history reason:venda_feita")
    found = await daemon.posted(ELISA, None, "History")
    assert f"#{number} Maria" in found.params["text"]
    assert "Bia" not in found.params["text"]


async def test_an_optional_reason_can_be_left_out(daemon: Daemon, core: Core) -> None:
    emu = daemon.emu
    customer = daemon.customer()
    cid, number = await customer.queue("financeiro")
    topic = await daemon.topic(FINANCEIRO, number)
    await core.conversations.claim(cid, core.directory.require_agent("diego"))
    await emu.user_sends(DIEGO, FINANCEIRO, "/close", thread_id=topic.thread)
    menu = await daemon.posted(FINANCEIRO, topic.thread, f"Close #{number}: choose the reason.")
    assert buttons(menu)[-1] == ("No reason", f"xr:{cid}:-")
    menu_id = menu.result["message_id"]
    await daemon.answer(await emu.press_button(DIEGO, FINANCEIRO, menu_id, f"xr:{cid}:-"))
    closed = await core.conversations.get(cid)
    assert (closed.state, closed.close_reason) == (ConversationState.CLOSED, "")


async def test_quick_replies_reach_the_customer_with_placeholders_filled(
    daemon: Daemon, core: Core
) -> None:
    emu = daemon.emu
    customer = daemon.customer()
    cid, number = await customer.queue("vendas", name="Maria")
    topic = await daemon.topic(VENDAS, number)
    await emu.user_sends(ELISA, VENDAS, "/r ola", thread_id=topic.thread)
    await daemon.posted(VENDAS, topic.thread, "held by")  # not claimed yet: refused
    await daemon.answer(await emu.press_button(ELISA, VENDAS, topic.header, f"c:{cid}"))

    await emu.user_sends(ELISA, VENDAS, "/r ola", thread_id=topic.thread)
    said = await customer.sees("Olá Maria, aqui é Elisa de Vendas!")
    assert (said["author"], said["name"]) == ("agent", "Elisa")
    await daemon.posted(VENDAS, topic.thread, "Elisa</b>: Olá Maria, aqui é Elisa de Vendas!")

    await emu.user_sends(ELISA, VENDAS, "/r", thread_id=topic.thread)
    menu = await daemon.posted(VENDAS, topic.thread, f"Quick replies for #{number}:")
    assert [d for _, d in buttons(menu)] == [f"qr:{cid}:ola"]  # pix is Financeiro's only
    menu_id = menu.result["message_id"]
    toast = await daemon.answer(await emu.press_button(ELISA, VENDAS, menu_id, f"qr:{cid}:ola"))
    assert toast["text"] == f"Quick reply 'ola' sent in #{number}."
    await daemon.edited(VENDAS, menu_id, "Quick reply 'ola' sent")
    await emu.user_sends(ELISA, VENDAS, "/reply pix", thread_id=topic.thread)
    await daemon.posted(VENDAS, topic.thread, "No quick reply 'pix'. Available: ola.")
    await customer.tab.wait_event(
        lambda e: e["text"] == "Olá Maria, aqui é Elisa de Vendas!" and e["id"] != said["id"]
    )

    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/r ola")
    await daemon.posted(ELISA, None, "Use this command inside a conversation's topic.")


async def test_stats_count_the_day(daemon: Daemon, core: Core, clock: FakeClock) -> None:
    emu = daemon.emu
    first = daemon.customer()
    _, number = await first.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    clock.advance(3 * 60)
    await emu.user_sends(ELISA, VENDAS, "Oi!", thread_id=topic.thread)
    await first.sees("Oi!")
    await emu.user_sends(ELISA, VENDAS, "/close resolvido", thread_id=topic.thread)
    await daemon.posted(VENDAS, topic.thread, f"Closed #{number}.")
    await first.rate(5)
    second = daemon.customer()
    other, _ = await second.queue("vendas", name="Bia")
    await core.conversations.claim(other, core.directory.require_agent("elisa"))

    emu.open_private_chat(ELISA)
    await emu.user_sends(ELISA, ELISA, "/stats")
    report = await daemon.posted(ELISA, None, "Statistics")
    shown = report.params["text"]
    vendas = shown[shown.index("<b>Vendas</b>") :].split("<b>", 2)[1]
    assert "today: 2 conversations, 1 closed; wait median ≤ 10s (p90 ≤ 5 min)" in vendas
    assert "first response median ≤ 5 min; rating 5.0 (1); close reasons: resolvido 1" in vendas
    assert "<b>Financeiro</b>" in shown  # Elisa, a supervisor, sees every department
    emu.open_private_chat(DIEGO)
    await emu.user_sends(DIEGO, DIEGO, "/estatisticas")
    mine = await daemon.posted(DIEGO, None, "Statistics")
    assert "Vendas" not in mine.params["text"]
