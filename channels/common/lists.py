"""The lists behind the commands (queue, chats, auto, contacts, agents, history, leads) as
channel-neutral rows with action buttons. Slack renders them as blocks, Telegram as HTML with an
inline keyboard; both page them with the `cursor`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bridge.core import Core
from bridge.domain.model import AgentActor, ChannelKind, Contact
from bridge.domain.views import ConversationSummary, Page
from channels.common.commands import Command, Name, chat_filter, history_filter, lead_filter
from channels.common.describe import minutes, stars
from channels.common.identity import language
from channels.common.texts import Texts


class Act:
    """Action ids shared by both channels' buttons."""

    CLAIM = "claim"
    PEEK = "peek"
    DETAILS = "details"
    TRANSFER = "transfer"
    CLOSE = "close"
    TRANSCRIPT = "transcript"
    START_CONTACT = "start_contact"
    START_LEAD = "start_lead"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class Button:
    action: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    details: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class ListView:
    title: str
    rows: list[Row]
    command: Command
    cursor: str | None = None
    empty: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class Lists:
    def __init__(self, core: Core, kind: ChannelKind) -> None:
        self.core = core
        self.t = Texts(language(core, kind))

    async def run(
        self, agent: AgentActor, cmd: Command, cursor: str | None = None, limit: int | None = None
    ) -> ListView:
        """Run a list command for `agent`. Raises InvalidInput for bad filters."""
        limit = limit or self.core.settings.limits.page_size
        q, t = self.core.queries, self.t
        match cmd.name:
            case Name.QUEUE:
                page = await q.queue(agent, cursor, limit)
                title = t("list.queue", total=page.total or 0)
                return self._view(title, cmd, page, self._queue_row)
            case Name.CHATS:
                chats = await q.in_service(agent, chat_filter(cmd), cursor, limit)
                return self._view(t("list.chats"), cmd, chats, self._chat_row)
            case Name.AUTO:
                auto = await q.automatic(cursor, limit)
                return self._view(t("list.auto"), cmd, auto, self._auto_row)
            case Name.HISTORY:
                history = await q.history(agent, history_filter(cmd), cursor, limit)
                return self._view(t("list.history"), cmd, history, self._history_row)
            case _:
                return await self._others(agent, cmd, cursor, limit)

    async def _others(
        self, agent: AgentActor, cmd: Command, cursor: str | None, limit: int
    ) -> ListView:
        t = self.t
        match cmd.name:
            case Name.CONTACTS:
                contacts = await self.core.queries.contacts(cmd.text, cursor, limit)
                return self._view(t("list.contacts"), cmd, contacts, self._contact_row)
            case Name.LEADS:
                leads = await self.core.leads.online(lead_filter(cmd), cursor, limit)
                rows = [
                    self._lead_row(
                        lead.visitor.id,
                        lead.visitor.page_title or lead.visitor.page_url,
                        lead.visitor.time_on_site_seconds,
                        lead.contact,
                        lead.visitor.chatting,
                    )
                    for lead in leads.items
                ]
                return ListView(t("list.leads"), rows, cmd, leads.cursor, t("list.empty"))
            case Name.AGENTS:
                rows = [
                    self._agent_row(agent, s.agent, s.presence.value, s.active_chats)
                    for s in await self.core.agents.statuses()
                ]
                return ListView(t("list.agents"), rows, cmd, None, t("list.empty"))
            case _:
                return ListView(t("help"), [], cmd)

    def _view(
        self, title: str, cmd: Command, page: Page[ConversationSummary] | Page[Contact], row: object
    ) -> ListView:
        rows = [row(item) for item in page.items]  # type: ignore[operator]
        return ListView(title, rows, cmd, page.cursor, self.t("list.empty"))

    def _conversation_title(self, s: ConversationSummary) -> str:
        c = s.conversation
        dept = self.core.settings.department_name(c.department_id)
        return f"#{c.number} {s.contact.display_name} — {dept}"

    def _queue_row(self, s: ConversationSummary) -> Row:
        c, t = s.conversation, self.t
        waited = int((self.core.clock.now() - (c.queued_at or c.created_at)).total_seconds())
        reserved = c.reserved_at(self.core.clock.now())
        held = (
            f"🔖 {t('card.reserved')} {self.core.settings.agent_name(reserved)}" if reserved else ""
        )
        details = (f"{t('card.waited')}: {minutes(waited)}", held, c.page_url)
        buttons = (
            Button(Act.CLAIM, t("button.claim"), c.id),
            Button(Act.PEEK, t("button.peek"), c.id),
        )
        return Row(f"{s.position}. {self._conversation_title(s)}", _kept(details), buttons)

    def _chat_row(self, s: ConversationSummary) -> Row:
        c, t = s.conversation, self.t
        agent = self.core.settings.agent_name(c.assignee)
        buttons = (
            Button(Act.PEEK, t("button.peek"), c.id),
            Button(Act.DETAILS, t("button.details"), c.id),
        )
        return Row(self._conversation_title(s), _kept((agent, s.contact.email)), buttons)

    def _auto_row(self, s: ConversationSummary) -> Row:
        c, t = s.conversation, self.t
        return Row(
            f"#{c.number} {s.contact.display_name}",
            _kept((c.flow_step, c.page_url)),
            (Button(Act.PEEK, t("button.peek"), c.id),),
        )

    def _history_row(self, s: ConversationSummary) -> Row:
        c, t = s.conversation, self.t
        closed = _date(c.closed_at)
        details = (
            closed,
            self.core.settings.agent_name(c.assignee or c.closed_by),
            stars(c.rating) if c.rating else "",
            c.close_reason,
        )
        return Row(
            self._conversation_title(s),
            _kept(details),
            (Button(Act.TRANSCRIPT, t("button.transcript"), c.id),),
        )

    def _contact_row(self, c: Contact) -> Row:
        details = (c.email, c.phone, " ".join(f"#{tag}" for tag in c.tags))
        button = Button(Act.START_CONTACT, self.t("button.start_chat"), c.id)
        return Row(c.display_name, _kept(details), (button,))

    def _lead_row(
        self, vid: str, page: str, seconds: int, contact: Contact | None, chatting: bool
    ) -> Row:
        name = contact.display_name if contact and contact.name else vid[:10]
        details = (page, minutes(seconds), "💬" if chatting else "")
        buttons = () if chatting else (Button(Act.START_LEAD, self.t("button.start_chat"), vid),)
        return Row(name, _kept(details), buttons)

    def _agent_row(self, me: AgentActor, other: AgentActor, presence: str, active: int) -> Row:
        t = self.t
        details = (t(f"presence.{presence}"), f"{active}/{other.max_chats}")
        buttons = (
            () if other.id == me.id else (Button(Act.INTERNAL, t("button.message"), other.id),)
        )
        return Row(other.name, details, buttons)


def _kept(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _date(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""
