"""The configuration's shape. Defaults live here and nowhere else."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bridge.domain.hours import DAYS, Interval, WeeklyHours, parse_interval
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import AgentActor, Role
from bridge.settings.channels import SlackSettings, TelegramSettings, WidgetSettings
from bridge.settings.flow import FlowSettings
from bridge.settings.rules import HolidaySettings, QuickReplySettings, RulesSettings

__all__ = [
    "AgentSettings",
    "DepartmentSettings",
    "FlowSettings",
    "RedisSettings",
    "ServerSettings",
    "Settings",
    "SlackSettings",
    "TelegramSettings",
    "WidgetSettings",
]

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
ORIGIN_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$"
Name = Annotated[str, Field(pattern=NAME_PATTERN)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(Model):
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str = Field(default="http://localhost:8080", pattern=r"^https?://[^\s/]+(/\S*)?$")
    allowed_origins: list[Annotated[str, Field(pattern=ORIGIN_PATTERN)]] = Field(
        default_factory=list
    )
    demo_page: bool = False
    shutdown_timeout: float = Field(default=10.0, gt=0, le=120)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    gc_freeze_seconds: float = Field(default=10.0, ge=0, le=3600)  # 0: the collector as is
    gc_full_minutes: float = Field(default=15.0, gt=0, le=24 * 60)


class RedisSettings(Model):
    url: str | None = None
    prefix: str = Field(default="ponte:", pattern=r"^[A-Za-z0-9:_.-]{0,40}$")
    data_dir: str = "var"
    appendfsync: Literal["always", "everysec", "no"] = "everysec"
    max_connections: int = Field(default=64, ge=4, le=10_000)
    log_maxlen: int = Field(default=10_000, ge=100)
    events_maxlen: int = Field(default=20_000, ge=100)
    outbox_maxlen: int = Field(default=100_000, ge=1000)
    outbox_lanes: int = Field(default=32, ge=1, le=1024)
    retention_days: int = Field(default=365, ge=1)
    visitor_days: int = Field(default=30, ge=1)


class DepartmentSettings(Model):
    id: Name
    name: str = Field(min_length=1, max_length=80)
    timezone: str = "America/Sao_Paulo"
    hours: dict[str, list[str]] = Field(default_factory=dict)
    greeting: str = ""
    offline_message: str = ""
    choosable: bool = True
    slack_channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,20}$")
    telegram_chat: int | None = None
    holidays: list[HolidaySettings] = Field(default_factory=list)
    rules: RulesSettings = Field(default_factory=RulesSettings)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for days, intervals in value.items():
            _day_numbers(days)
            for text in intervals:
                parse_interval(text)
        return value

    @property
    def department_id(self) -> DepartmentId:
        return DepartmentId(self.id)

    def weekly_hours(self) -> WeeklyHours:
        table: dict[int, tuple[Interval, ...]] = {}
        for days, intervals in self.hours.items():
            parsed = tuple(parse_interval(t) for t in intervals)
            for day in _day_numbers(days):
                table[day] = table.get(day, ()) + parsed
        holidays = tuple(h.holiday() for h in self.holidays)
        return WeeklyHours(ZoneInfo(self.timezone), table, holidays)


def _day_numbers(text: str) -> list[int]:
    """'mon-fri' -> [0..4]; 'sat' -> [5]."""
    first, _, last = text.partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise ValueError(f"unknown day {text!r}: use mon, tue, … sun or a range like mon-fri")
    start, end = DAYS.index(first), DAYS.index(last or first)
    if end < start:
        raise ValueError(f"day range {text!r} runs backwards")
    return list(range(start, end + 1))


class AgentSettings(Model):
    id: Name
    name: str = Field(min_length=1, max_length=80)
    slack_user: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,20}$")
    telegram_user: int | None = Field(default=None, gt=0)
    departments: list[Name] = Field(default_factory=list)
    role: Role = Role.AGENT
    max_chats: int = Field(default=5, ge=1, le=100)

    def actor(self) -> AgentActor:
        return AgentActor(
            id=AgentId(self.id),
            name=self.name,
            role=self.role,
            departments=frozenset(DepartmentId(d) for d in self.departments),
            max_chats=self.max_chats,
        )


class LimitSettings(Model):
    message_chars: int = Field(default=4000, ge=100, le=40_000)
    page_size: int = Field(default=10, ge=1, le=50)


class Settings(Model):
    language: Literal["pt-BR", "en"] = "pt-BR"
    server: ServerSettings = Field(default_factory=ServerSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    departments: list[DepartmentSettings] = Field(min_length=1)
    agents: list[AgentSettings] = Field(default_factory=list)
    flow: FlowSettings = Field(default_factory=FlowSettings)
    widget: WidgetSettings = Field(default_factory=WidgetSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    rules: RulesSettings = Field(default_factory=RulesSettings)
    quick_replies: list[QuickReplySettings] = Field(default_factory=list)

    def department(self, department_id: str) -> DepartmentSettings | None:
        return next((d for d in self.departments if d.id == department_id), None)

    def agent(self, agent_id: str) -> AgentSettings | None:
        return next((a for a in self.agents if a.id == agent_id), None)

    def department_name(self, department_id: str | None) -> str:
        found = self.department(department_id) if department_id else None
        return found.name if found else (department_id or "")

    def agent_name(self, agent_id: str | None) -> str:
        found = self.agent(agent_id) if agent_id else None
        return found.name if found else (agent_id or "")
