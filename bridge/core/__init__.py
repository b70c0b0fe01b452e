"""The core: the operations and queries adapters call. Built once, by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bridge.core.agents import Agents
from bridge.core.base import Deps
from bridge.core.contacts import Contacts
from bridge.core.conversations import Conversations
from bridge.core.customers import Customers
from bridge.core.distribution import Distributor
from bridge.core.files import Files
from bridge.core.flow_runner import FlowRunner
from bridge.core.jobs import Jobs
from bridge.core.leads import Leads
from bridge.core.links import Links
from bridge.core.queries import Queries
from bridge.core.quick_replies import QuickReplies
from bridge.core.rules_engine import RulesEngine
from bridge.core.scheduler import Scheduler
from bridge.core.signals import Signals
from bridge.core.stats import Stats
from bridge.core.timers import TimerRunner
from bridge.domain.events import DoorbellEvent
from bridge.ports import Clock, NoObserver, Observer
from bridge.settings import Settings
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.bus import EventReader


@dataclass(frozen=True, slots=True)
class Core:
    """A frozen bundle of the services; what adapters receive."""

    settings: Settings
    directory: Directory
    clock: Clock
    conversations: Conversations
    contacts: Contacts
    customers: Customers
    queries: Queries
    leads: Leads
    agents: Agents
    links: Links
    jobs: Jobs
    files: Files
    events: EventReader
    stats: Stats
    timers: TimerRunner
    quick_replies: QuickReplies
    distributor: Distributor
    signals: Signals

    def on_event(self, listener: Callable[[DoorbellEvent], None]) -> None:
        """Hear every change in any process (the doorbell): e.g. refresh a queue counter. The
        listener must not block; it runs in the event reader's task."""
        self.events.subscribe(listener)

    @classmethod
    def build(
        cls, store: Store, settings: Settings, clock: Clock, observer: Observer | None = None
    ) -> Core:
        directory = Directory(settings)
        stats = Stats(store, directory, clock)
        scheduler = Scheduler(store, directory, clock)
        observed = observer or NoObserver()
        distributor = Distributor(store, directory, clock, stats, observed, scheduler)
        deps = Deps(store, directory, clock, stats, observed, scheduler, distributor)
        flow = FlowRunner(deps)
        conversations = Conversations(deps)
        engine = RulesEngine(deps, flow, conversations)
        customers = Customers(deps, flow)
        return cls(
            settings=settings,
            directory=directory,
            clock=clock,
            conversations=conversations,
            contacts=Contacts(store, clock),
            customers=customers,
            queries=Queries(store, directory, clock),
            leads=Leads(store, clock),
            agents=Agents(store, directory, clock, distributor),
            links=Links(store, clock),
            jobs=Jobs(store),
            files=Files(store, settings),
            events=store.events,
            stats=stats,
            timers=TimerRunner(store, clock, engine.handlers(), scheduler),
            quick_replies=QuickReplies(deps, conversations),
            distributor=distributor,
            signals=Signals(store, customers.conversation),
        )
