"""The core: the operations and queries adapters call. Built once, by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bridge.core.agents import Agents
from bridge.core.contacts import Contacts
from bridge.core.conversations import Conversations
from bridge.core.customers import Customers
from bridge.core.files import Files
from bridge.core.flow_runner import FlowRunner
from bridge.core.jobs import Jobs
from bridge.core.leads import Leads
from bridge.core.links import Links
from bridge.core.queries import Queries
from bridge.domain.events import DoorbellEvent
from bridge.ports import Clock
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

    def on_event(self, listener: Callable[[DoorbellEvent], None]) -> None:
        """Hear every change in any process (the doorbell): e.g. refresh a queue counter. The
        listener must not block; it runs in the event reader's task."""
        self.events.subscribe(listener)

    @classmethod
    def build(cls, store: Store, settings: Settings, clock: Clock) -> Core:
        directory = Directory(settings)
        flow = FlowRunner(store, directory, clock)
        return cls(
            settings=settings,
            directory=directory,
            clock=clock,
            conversations=Conversations(store, directory, clock),
            contacts=Contacts(store, clock),
            customers=Customers(store, directory, clock, flow),
            queries=Queries(store, directory, clock),
            leads=Leads(store, clock),
            agents=Agents(store, directory, clock),
            links=Links(store, clock),
            jobs=Jobs(store),
            files=Files(store, settings),
            events=store.events,
        )
