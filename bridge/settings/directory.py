"""Lookups over the settings that the core, delivery and channels share: agents by id or
vendor identity, departments, hours, routes, names on cards."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bridge.domain.errors import NotFound
from bridge.domain.flow import BotMessage, FlowSpec
from bridge.domain.hours import WeeklyHours
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import AgentActor, ChannelKind, Contact, Conversation, Visitor
from bridge.domain.rules import Rules
from bridge.domain.views import ConversationCard
from bridge.settings.models import DepartmentSettings, Settings
from bridge.settings.rules import QuickReplySettings


class Directory:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._agents = {AgentId(a.id): a.actor() for a in settings.agents}
        self._slack = {a.slack_user: AgentId(a.id) for a in settings.agents if a.slack_user}
        self._telegram = {
            str(a.telegram_user): AgentId(a.id) for a in settings.agents if a.telegram_user
        }
        self._departments = {DepartmentId(d.id): d for d in settings.departments}
        self._hours = {DepartmentId(d.id): d.weekly_hours() for d in settings.departments}
        choosable = [DepartmentId(d.id) for d in settings.departments if d.choosable]
        self.flow: FlowSpec = settings.flow.spec(choosable, choosable[0])

    # -- agents ---------------------------------------------------------------------------

    @property
    def agents(self) -> list[AgentActor]:
        return list(self._agents.values())

    def agent(self, agent_id: str) -> AgentActor | None:
        return self._agents.get(AgentId(agent_id))

    def require_agent(self, agent_id: str) -> AgentActor:
        agent = self.agent(agent_id)
        if agent is None:
            raise NotFound("agent", agent_id)
        return agent

    def agent_by_identity(self, kind: ChannelKind, external_id: str) -> AgentActor | None:
        table = self._slack if kind is ChannelKind.SLACK else self._telegram
        agent_id = table.get(external_id)
        return self._agents.get(agent_id) if agent_id else None

    def identity(self, agent: AgentId, kind: ChannelKind) -> str | None:
        found = self.settings.agent(agent)
        if found is None:
            return None
        if kind is ChannelKind.SLACK:
            return found.slack_user
        return str(found.telegram_user) if found.telegram_user else None

    def departments_of(self, agent: AgentActor) -> list[DepartmentId]:
        if agent.sees_everything:
            return list(self._departments)
        return [d for d in self._departments if d in agent.departments]

    # -- departments ----------------------------------------------------------------------

    @property
    def department_ids(self) -> list[DepartmentId]:
        return list(self._departments)

    def department(self, department_id: str) -> DepartmentSettings | None:
        return self._departments.get(DepartmentId(department_id))

    def require_department(self, department_id: str) -> DepartmentSettings:
        found = self.department(department_id)
        if found is None:
            raise NotFound("department", department_id)
        return found

    def hours(self, department_id: DepartmentId) -> WeeklyHours:
        return self._hours[department_id]

    def is_open(self, department_id: DepartmentId, now: datetime) -> bool:
        hours = self._hours.get(department_id)
        return hours is None or hours.is_open(now)

    def routes(self) -> dict[str, list[str]]:
        """Department -> the agent-channel kinds that hear about its conversations."""
        s = self.settings
        out: dict[str, list[str]] = {}
        for d in s.departments:
            kinds = []
            if s.slack.active and d.slack_channel:
                kinds.append(ChannelKind.SLACK.value)
            if s.telegram.active and d.telegram_chat is not None:
                kinds.append(ChannelKind.TELEGRAM.value)
            out[d.id] = kinds
        return out

    def rules(self, department_id: str | None) -> Rules:
        """The department's rules: its own keys over the global ones over the defaults."""
        base = self.settings.rules.over(Rules())
        found = self.department(department_id) if department_id else None
        return found.rules.over(base) if found else base

    def holiday_message(self, department_id: DepartmentId, now: datetime) -> str | None:
        """The message of the holiday the department is in now, or None."""
        hours = self._hours.get(department_id)
        holiday = hours.holiday(now) if hours else None
        return holiday.message if holiday else None

    def quick_replies(self, department_id: str | None) -> list[QuickReplySettings]:
        return [
            r
            for r in self.settings.quick_replies
            if not r.departments or department_id in r.departments
        ]

    def flow_greeting(self) -> tuple[BotMessage, ...]:
        greeting = self.settings.flow.greeting
        return (BotMessage(greeting),) if greeting else ()

    # -- cards ----------------------------------------------------------------------------

    def form_labels(self, form: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        labels = {f.id: f.label for f in self.flow.form}
        return tuple((labels.get(key, key), value) for key, value in form.items())

    def card(
        self,
        conversation: Conversation,
        contact: Contact,
        visitor: Visitor | None,
        now: datetime,
        moved_to: DepartmentId | None = None,
        department: DepartmentId | None = None,
    ) -> ConversationCard:
        """The card of the thread in `department` (default: the conversation's own)."""
        s = self.settings
        dept = department or conversation.department_id
        return ConversationCard(
            conversation=conversation,
            contact=contact,
            department_id=dept,
            department_name=s.department_name(dept),
            assignee_name=s.agent_name(conversation.assignee),
            page_url=visitor.page_url if visitor else conversation.page_url,
            page_title=visitor.page_title if visitor else "",
            form=self.form_labels(conversation.form),
            moved_to=s.department_name(moved_to) if moved_to else "",
            now=now,
        )
