"""Atendimentos, Histórico, Contatos, Leads and Agentes: each filter, bounded and paged."""

from datetime import timedelta

from bridge.core import Core
from bridge.core.leads import LeadFilter
from bridge.core.queries import ChatFilter, HistoryFilter
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ChannelKind, Presence
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def test_in_service_filters(scenario: Scenario, core: Core) -> None:
    a = await scenario.in_service("ana", "vendas", "Maria Conceição")
    b = await scenario.in_service("bruno", "suporte", "Pedro")
    await scenario.say(b, "meu pedido 4411 atrasou")
    elisa = scenario.agent("elisa")

    async def ids(f: ChatFilter) -> list[str]:
        return [s.conversation.id for s in (await core.queries.in_service(elisa, f)).items]

    assert set(await ids(ChatFilter())) == {a.id, b.id}
    assert await ids(ChatFilter(department=DepartmentId("suporte"))) == [b.id]
    assert await ids(ChatFilter(agent=AgentId("ana"))) == [a.id]
    assert await ids(ChatFilter(text="conceicao")) == [a.id]  # accents and case ignored
    assert await ids(ChatFilter(text="pedido 4411")) == [b.id]  # found in the messages
    assert set(await ids(ChatFilter(channel=ChannelKind.WIDGET))) == {a.id, b.id}
    assert await ids(ChatFilter(channel=ChannelKind.SLACK)) == []
    assert await ids(ChatFilter(tag="vip")) == []
    # an agent sees only their departments
    ana_view = await core.queries.in_service(scenario.agent("ana"))
    assert [s.conversation.id for s in ana_view.items] == [a.id]


async def test_history_filters_and_cursor(scenario: Scenario, core: Core, clock: FakeClock) -> None:
    start = clock.now()
    old = await scenario.closed("ana", "vendas")
    clock.advance(3 * 24 * 3600)
    mid = await scenario.closed("bruno", "suporte")
    clock.advance(24 * 3600)
    new = await scenario.closed("bruno", "vendas")
    elisa = scenario.agent("elisa")

    async def ids(f: HistoryFilter, limit: int = 10) -> list[str]:
        return [
            s.conversation.id for s in (await core.queries.history(elisa, f, limit=limit)).items
        ]

    assert await ids(HistoryFilter()) == [new.id, mid.id, old.id]
    assert await ids(HistoryFilter(since=start + timedelta(days=1))) == [new.id, mid.id]
    assert await ids(HistoryFilter(until=start + timedelta(days=2))) == [old.id]
    assert await ids(HistoryFilter(department=DepartmentId("vendas"))) == [new.id, old.id]
    assert await ids(HistoryFilter(agent=AgentId("bruno"))) == [new.id, mid.id]
    assert await ids(HistoryFilter(contact=old.contact_id)) == [old.id]
    page = await core.queries.history(elisa, HistoryFilter(), limit=2)
    rest = await core.queries.history(elisa, HistoryFilter(), page.cursor, limit=2)
    assert [s.conversation.id for s in [*page.items, *rest.items]] == [new.id, mid.id, old.id]
    assert rest.cursor is None


async def test_history_text_search_reads_the_messages(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    await scenario.say(c, "Quero trocar o tênis azul")
    await core.conversations.close(c.id, scenario.agent("ana"))
    await scenario.closed("ana")
    found = await core.queries.history(scenario.agent("ana"), HistoryFilter(text="tenis AZUL"))
    assert [s.conversation.id for s in found.items] == [c.id]


async def test_contacts_search_is_case_and_accent_insensitive(
    scenario: Scenario, core: Core
) -> None:
    await scenario.queued(name="João Conceição", email="joao@loja.com.br")
    await scenario.queued(name="Joana Prado", email="joana@x.com")
    await scenario.queued(name="Pedro", email="pedro@x.com")

    async def names(query: str) -> list[str]:
        return [c.name for c in (await core.queries.contacts(query)).items]

    assert await names("joao") == ["João Conceição"]
    assert await names("JOÃO") == ["João Conceição"]
    assert await names("conceicao") == ["João Conceição"]
    assert await names("jo") == ["Joana Prado", "João Conceição"]
    assert await names("joana@x.com") == ["Joana Prado"]
    assert await names("nobody") == []
    everyone = await core.queries.contacts("", limit=2)
    assert len(everyone.items) == 2
    assert everyone.cursor is not None


async def test_contact_search_finds_phones_by_digits(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued(name="Rita")
    await core.contacts.update(c.contact_id, phone="+55 (11) 98765-4321", tags=["VIP"])
    found = await core.queries.contacts("98765 4321")
    assert [x.name for x in found.items] == ["Rita"]
    assert (await core.queries.contact(c.contact_id)).tags == ("vip",)


async def test_leads_filters_and_online_window(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    browsing = await scenario.visitor("https://shop.test/tenis", "Tênis de corrida")
    clock.advance(120)
    chatting = await scenario.visitor("https://shop.test/checkout", "Checkout")
    await scenario.queued(vid=chatting)
    core.leads.alive(browsing)  # browsing has been here 2 minutes
    await core.leads.flush()

    async def vids(f: LeadFilter) -> list[str]:
        return [lead.visitor.id for lead in (await core.leads.online(f)).items]

    assert set(await vids(LeadFilter())) == {browsing, chatting}
    assert await vids(LeadFilter(page="tenis")) == [browsing]
    assert await vids(LeadFilter(min_seconds=100)) == [browsing]
    assert await vids(LeadFilter(has_chat=True)) == [chatting]
    assert await vids(LeadFilter(has_chat=False)) == [browsing]
    clock.advance(61)
    core.leads.alive(chatting)
    await core.leads.flush()
    assert await vids(LeadFilter()) == [chatting]  # the other went quiet: offline
    lead = await core.leads.visitor(browsing)
    assert (lead.pages_viewed, lead.online) == (1, False)


async def test_agents_list_with_presence_and_load(scenario: Scenario, core: Core) -> None:
    await scenario.in_service("ana")
    await core.agents.set_presence(scenario.agent("ana"), Presence.ONLINE)
    statuses = {s.agent.id: s for s in await core.agents.statuses()}
    assert (statuses[AgentId("ana")].presence, statuses[AgentId("ana")].active_chats) == (
        Presence.ONLINE,
        1,
    )
    assert (statuses[AgentId("bruno")].presence, statuses[AgentId("bruno")].active_chats) == (
        Presence.OFFLINE,
        0,
    )


async def test_a_proactive_chat_opens_in_service_with_the_agents_message(
    scenario: Scenario, core: Core
) -> None:
    vid = await scenario.visitor("https://shop.test/carrinho", "Carrinho")
    c = await core.customers.start_by_agent(
        scenario.agent("ana"), vid, "Posso ajudar com o carrinho?"
    )
    assert (c.assignee, c.department_id) == ("ana", "vendas")
    seen = await core.customers.log(vid, c.id, None)
    assert "Posso ajudar com o carrinho?" in [i.text for i in seen]
    current = await core.customers.current(vid)
    assert current is not None
    assert current.id == c.id


async def test_timeline_and_contact_history_in_details(scenario: Scenario, core: Core) -> None:
    old = await scenario.closed("ana")
    assert old.visitor_id is not None
    said = await core.customers.say(old.visitor_id, old.id, "voltei", client_id="v1")
    details = await core.queries.details(said.conversation_id, scenario.agent("ana"))
    assert [h.id for h in details.history] == [old.id]
    assert details.visitor is not None
    assert details.visitor.id == old.visitor_id
    kinds = [i.kind.value for i in details.timeline]
    assert kinds[0] == "created"
    assert "queued" in kinds
