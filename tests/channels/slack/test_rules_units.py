"""The pure parts of the service rules in Slack: the close modal by the department's rules,
thread lines of an automatic assignment and a reservation, the reservation on the card, the
notices' buttons, and the quick reply command's choice of conversation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.ids import AgentId, ContactId, ConversationId, DepartmentId, EventId
from bridge.domain.model import SYSTEM, ActorRef, Author, Contact, Conversation, ConversationState
from bridge.domain.rules import Rules
from bridge.domain.views import ConversationCard, ConversationSummary
from bridge.settings import Settings
from channels.slack import modals, notices, render
from channels.slack.quick import number, target
from channels.slack.texts import CATALOG, SlackTexts

T = SlackTexts("en")
AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 12:00 in São Paulo


def conversation(n: int = 7, **fields: object) -> Conversation:
    base = Conversation(
        ConversationId(f"c_{n}"),
        n,
        ContactId("k_1"),
        None,
        ConversationState.QUEUED,
        DepartmentId("vendas"),
        None,
        AT,
    )
    return replace(base, **fields)  # type: ignore[arg-type]  # test data: any field by name


def card(c: Conversation, now: datetime = AT) -> ConversationCard:
    return ConversationCard(
        c, Contact(ContactId("k_1"), "Maria"), "Vendas", "", "", "", (), now=now
    )


def test_the_close_modal_follows_the_departments_reasons() -> None:
    required = Rules(close_reasons=("resolvido", "venda"), close_reason_required=True)
    optional = Rules(close_reasons=("resolvido",))
    picks = [modals.close(T, 3, rules, {})["blocks"][1] for rules in (required, optional)]
    free = modals.close(T, 3, Rules(), {})["blocks"][1]
    assert [(b["optional"], b["element"]["type"]) for b in picks] == [
        (False, "static_select"),
        (True, "static_select"),
    ]
    assert [o["value"] for o in picks[0]["element"]["options"]] == ["resolvido", "venda"]
    assert picks[0]["label"]["text"] == "Reason"
    assert (free["optional"], free["element"]["type"]) == (True, "plain_text_input")


def test_automatic_assignments_and_reservations_read_as_thread_lines(settings: Settings) -> None:
    agent = ActorRef(Author.AGENT, "ana", "Ana")
    auto = TimelineItem(
        EventId("1-0"),
        EventKind.CLAIMED,
        AT,
        agent,
        data={"agent": "ana", "agent_name": "Ana", "automatic": "1"},
    )
    manual = replace(auto, data={"agent": "ana", "agent_name": "Ana"})
    reserved = TimelineItem(
        EventId("2-0"),
        EventKind.RESERVED,
        AT,
        SYSTEM,
        data={"notice": "reserved", "agent": "ana", "agent_name": "Ana", "minutes": "10"},
    )
    assert render.line(auto, T, settings) == "_Assigned automatically to Ana._"
    assert render.line(manual, T, settings) == "_Ana claimed the conversation._"
    assert render.line(reserved, T, settings) == (
        "_🔖 Reserved for Ana for 10 min: they served this customer before._"
    )


def test_the_card_shows_a_reservation_only_while_it_lasts(settings: Settings) -> None:
    until = AT + timedelta(minutes=10)
    held = conversation(reserved_for=AgentId("ana"), reserved_until=until)
    assert render.reservation(card(held), T, settings) == "🔖 Reserved for Ana until 12:10"
    assert render.reservation(card(held, until), T, settings) == ""
    claimed = replace(held, state=ConversationState.IN_SERVICE)
    assert render.reservation(card(claimed), T, settings) == ""
    _, blocks = render.card(card(held), T, reserved="🔖 <b>")
    assert "🔖 &lt;b&gt;" in str(blocks)


def test_notices_offer_what_the_reader_can_do_next(settings: Settings) -> None:
    waiting = TimelineItem(
        EventId("1-0"),
        EventKind.MESSAGE,
        AT,
        SYSTEM,
        data={"notice": "waiting", "department": "vendas", "waiting": "2", "waited_seconds": "400"},
    )
    reserved = replace(
        waiting,
        data={"notice": "reserved", "number": "7", "department": "vendas", "conversation": "c_7"},
    )
    text, blocks = notices.blocks(waiting, T, settings)
    assert text == "⏰ 2 waiting in Vendas; the oldest for 6 min."
    assert [e["action_id"] for e in blocks[1]["elements"]] == ["home_list:queue"]
    _, reserved_blocks = notices.blocks(reserved, T, settings)
    assert [(e["action_id"], e["value"]) for e in reserved_blocks[1]["elements"]] == [
        ("claim", "c_7"),
        ("peek", "c_7"),
    ]
    odd = replace(waiting, text="something", data={"notice": "other"})
    assert len(notices.blocks(odd, T, settings)[1]) == 1  # words only, no buttons


def test_the_reply_command_finds_the_conversation_by_number_or_alone() -> None:
    contact = Contact(ContactId("k_1"))
    one, two = (ConversationSummary(conversation(n), contact) for n in (7, 8))
    assert number(["#8"]) == 8
    assert number(["agora", "12"]) == 12
    assert number(["x"]) is None
    assert target([one], None) == (one.conversation.id, "")
    assert target([one, two], None) == (None, "reply.choose_chat")
    assert target([one, two], 8) == (two.conversation.id, "")
    assert target([one, two], 9) == (None, "reply.no_chat")
    assert target([], None) == (None, "reply.no_chats")


def test_slacks_own_words_are_in_both_languages() -> None:
    assert all(set(entry) == {"en", "pt-BR"} for entry in CATALOG.values())
    assert SlackTexts("pt-BR")("home.status", status="online") == "Seu status: online"
    assert SlackTexts("en")("button.claim") == "Claim"  # the shared catalog behind it
