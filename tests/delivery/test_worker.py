"""The outbox and the delivery worker: order per conversation, retries, dead letters, leases."""

from bridge.core import Core
from bridge.delivery.policy import LaneSettings, RetryPolicy
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.events import EventKind
from bridge.domain.ids import DepartmentId
from bridge.domain.model import Author, ChannelKind
from bridge.ports import DeliveryFailed, RetryLater
from bridge.store import Store
from tests.conftest import SleepRecorder
from tests.fakes import FakeClock, RecordingAgentChannel
from tests.scenario import Scenario
from tests.waiting import until


async def test_a_queued_conversation_opens_one_thread_per_channel_with_its_backlog(
    scenario: Scenario,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
) -> None:
    c = await scenario.queued("vendas", "Maria")  # vendas: Slack and Telegram
    await scenario.say(c, "primeira mensagem")
    await worker.run_until_idle()
    for channel in (slack, telegram):
        [opened] = channel.of("open_thread")
        assert opened.conversation_id == c.id
        assert opened.card is not None
        assert opened.card.contact.name == "Maria"
        assert next(i.text for i in opened.backlog if i.kind is EventKind.MESSAGE) == "Hello!"
        assert [i.text for i in channel.items(c.id)] == ["primeira mensagem"]


async def test_departments_reach_only_their_own_channels(
    scenario: Scenario,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
) -> None:
    await scenario.queued("suporte")  # Slack only
    await scenario.queued("financeiro")  # Telegram only
    await worker.run_until_idle()
    assert [c.card.conversation.department_id for c in slack.of("open_thread") if c.card] == [
        "suporte"
    ]
    assert [c.card.conversation.department_id for c in telegram.of("open_thread") if c.card] == [
        "financeiro"
    ]


async def test_order_per_conversation_is_kept_across_many_conversations(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel
) -> None:
    chats = [await scenario.queued("suporte", f"C{i}") for i in range(8)]
    for n in range(5):
        for c in chats:
            await scenario.say(c, f"{c.id}:{n}")
    await worker.run_until_idle()
    for c in chats:
        assert [i.text for i in slack.items(c.id)] == [f"{c.id}:{n}" for n in range(5)]


async def test_a_failure_is_retried_and_delivered_once(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel, sleeps: SleepRecorder
) -> None:
    c = await scenario.queued("suporte")
    await worker.run_until_idle()
    slack.fail_next(ConnectionError("reset"), TimeoutError("slow"))
    await scenario.say(c, "depois da falha")
    await scenario.say(c, "e a seguinte")
    await worker.run_until_idle()
    assert [i.text for i in slack.items(c.id)] == ["depois da falha", "e a seguinte"]
    assert sleeps.waits == [1.0, 2.0]  # back-off


async def test_retry_after_is_honoured_and_does_not_count_as_a_failure(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel, sleeps: SleepRecorder
) -> None:
    c = await scenario.queued("suporte")
    await worker.run_until_idle()
    slack.fail_next(*[RetryLater(7) for _ in range(5)])  # more than max_attempts (3)
    await scenario.say(c, "depois do 429")
    await worker.run_until_idle()
    assert [i.text for i in slack.items(c.id)] == ["depois do 429"]
    assert sleeps.waits == [7, 7, 7, 7, 7]


async def test_a_delivery_that_cannot_succeed_is_dead_lettered_and_reported(
    scenario: Scenario,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    core: Core,
    store: Store,
    redis: object,
) -> None:
    c = await scenario.queued("suporte")
    await worker.run_until_idle()
    slack.fail_next(DeliveryFailed("channel_not_found"))
    await scenario.say(c, "perdida?")
    await scenario.say(c, "a próxima passa")
    await worker.run_until_idle()
    assert c.visitor_id is not None
    log = await core.customers.log(c.visitor_id, c.id, None)
    notices = [i for i in log if i.actor.author is Author.SYSTEM and i.data.get("delivery_failed")]
    assert len(notices) == 1  # the customer is told; nothing is silently dropped
    assert notices[0].data["reason"] == "channel_not_found"
    assert "a próxima passa" in [i.text for i in slack.items(c.id)]
    assert await store.outbox.dead_count("slack") == 1


async def test_notes_come_back_to_their_own_channel_only_as_a_mark(
    scenario: Scenario,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
    core: Core,
) -> None:
    from bridge.domain.refs import ExternalRef

    c = await scenario.in_service("ana", "vendas")
    source = ExternalRef(ChannelKind.SLACK, "C0VENDAS", "9.9", "t1")
    await core.conversations.thread_message(
        c.id, scenario.agent("bruno"), "só entre nós", author_name="Bruno", source=source
    )
    await worker.run_until_idle()
    assert [m.item.text for m in slack.of("mark") if m.item] == ["só entre nós"]
    assert "só entre nós" not in [i.text for i in slack.items(c.id)]
    assert "só entre nós" in [i.text for i in telegram.items(c.id)]  # the other app shows it


async def test_transfer_moves_the_old_thread_and_opens_a_new_one(
    scenario: Scenario,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
    telegram: RecordingAgentChannel,
    core: Core,
) -> None:
    c = await scenario.in_service("bruno", "suporte")  # Slack
    await worker.run_until_idle()
    await core.conversations.transfer(
        c.id, scenario.agent("bruno"), department=DepartmentId("financeiro")
    )
    await worker.run_until_idle()
    moved = [u for u in slack.of("update_card") if u.card and u.card.moved_to]
    assert [u.card.moved_to for u in moved if u.card] == ["Financeiro"]
    [opened] = telegram.of("open_thread")
    assert opened.conversation_id == c.id


async def test_close_posts_the_line_and_closes_the_thread(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel
) -> None:
    c = await scenario.closed("bruno", "suporte")
    await worker.run_until_idle()
    assert [x.conversation_id for x in slack.of("close_thread")] == [c.id]
    kinds = [i.kind for i in slack.items(c.id)]
    assert kinds == [EventKind.CLAIMED, EventKind.CLOSED]


async def test_two_workers_share_the_lanes_and_deliver_everything_once(
    scenario: Scenario, store: Store, core: Core, clock: FakeClock
) -> None:
    chats = [await scenario.queued("suporte", f"C{i}") for i in range(12)]
    for c in chats:
        for n in range(3):
            await scenario.say(c, f"{c.id}:{n}")
    channels = [RecordingAgentChannel(ChannelKind.SLACK) for _ in range(2)]
    lanes = LaneSettings(lease_ms=5000, renew_every=0.05, idle_wait=0.05)
    workers = [
        DeliveryWorker(store, core.directory, clock, [ch], lanes=lanes, policy=RetryPolicy())
        for ch in channels
    ]
    async with workers[0].lifespan(), workers[1].lifespan():

        async def drained() -> bool:
            return not await store.outbox.backlog("slack", store.keys.lanes)

        async def shared() -> bool:  # the worker that started second gets its share too
            return all(w.owned_lanes for w in workers)

        await until(drained)
        await until(shared)
        owned = [set(w.owned_lanes) for w in workers]
    assert owned[0]
    assert owned[1]
    assert not owned[0] & owned[1]
    delivered = [i for ch in channels for c in chats for i in ch.items(c.id)]
    assert len(delivered) == 36
    assert len({(i.id, i.text) for i in delivered}) == 36  # nothing twice
    for c in chats:
        texts = [i.text for ch in channels for i in ch.items(c.id)]
        assert texts == [f"{c.id}:{n}" for n in range(3)]  # one owner per conversation: order kept


async def test_a_contact_edit_refreshes_the_cards_of_open_conversations(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel, core: Core
) -> None:
    c = await scenario.in_service("bruno", "suporte")
    await worker.run_until_idle()
    before = len(slack.of("update_card"))
    await core.contacts.update(c.contact_id, name="Maria Souza", by=scenario.agent("bruno"))
    await worker.run_until_idle()
    cards = slack.of("update_card")[before:]
    assert [u.card.contact.name for u in cards if u.card] == ["Maria Souza"]


async def test_a_thread_is_found_by_space_and_thread_alone(
    scenario: Scenario, worker: DeliveryWorker, slack: RecordingAgentChannel, core: Core
) -> None:
    from bridge.domain.refs import ThreadRef

    c = await scenario.queued("suporte")
    await worker.run_until_idle()
    [opened] = slack.of("open_thread")
    ref = ThreadRef.decode(ChannelKind.SLACK, opened.thread)
    assert await core.links.conversation_for_thread(ChannelKind.SLACK, ref.key) == c.id
    assert await core.links.conversation_for_thread(ChannelKind.SLACK, ref.encode()) == c.id
