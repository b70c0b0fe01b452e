"""Settings of the service rules (global, and per department), holidays and quick replies."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bridge.domain.holidays import Holiday
from bridge.domain.rules import Distribution, Reopen, Rules

_WITHIN = re.compile(r"within (\d{1,6})")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesSettings(Model):
    """Every key optional: a department's rules override the global ones key by key."""

    max_automatic_minutes: int | None = Field(default=None, ge=0)
    inactivity_warn_minutes: int | None = Field(default=None, ge=0)
    inactivity_close_minutes: int | None = Field(default=None, ge=1)
    waiting_alert_minutes: int | None = Field(default=None, ge=0)
    reopen: str | None = None  # always | never | "within <minutes>"
    last_agent_minutes: int | None = Field(default=None, ge=0)
    distribution: Distribution | None = None
    close_reasons: list[str] | None = None
    close_reason_required: bool | None = None

    @field_validator("reopen")
    @classmethod
    def _reopen(cls, value: str | None) -> str | None:
        if value is not None and value not in ("always", "never") and not _WITHIN.fullmatch(value):
            raise ValueError('use "always", "never" or "within <minutes>" (e.g. "within 60")')
        return value

    def over(self, base: Rules) -> Rules:
        """These settings applied over `base` (unset keys keep base's value)."""
        values: dict[str, Any] = {k: v for k, v in self.model_dump().items() if v is not None}
        reopen = values.pop("reopen", None)
        if "close_reasons" in values:
            values["close_reasons"] = tuple(values["close_reasons"])
        if reopen is not None:
            within = _WITHIN.fullmatch(reopen)
            values["reopen"] = Reopen.WITHIN if within else Reopen(reopen)
            values["reopen_minutes"] = int(within.group(1)) if within else 0
        return replace(base, **values)


class HolidaySettings(Model):
    start: date
    end: date | None = None  # default: the start day only
    yearly: bool = False
    from_time: time | None = Field(default=None, alias="from")
    until: time | None = None
    message: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end is not None and self.end < self.start and not self.yearly:
            raise ValueError("end is before start")
        return self

    def holiday(self) -> Holiday:
        return Holiday(
            self.start,
            self.end or self.start,
            self.yearly,
            self.from_time,
            self.until,
            self.message,
        )


class QuickReplySettings(Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,30}$")
    text: str = Field(min_length=1, max_length=4000)
    file: str | None = None  # a path, read when the reply is used
    departments: list[str] = Field(default_factory=list)  # empty: every department
