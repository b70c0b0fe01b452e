"""Settings of the automatic stage, and the pure FlowSpec the domain runs on."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bridge.domain.flow import BotAnswer, FieldKind, FlowSpec, FormField, MenuItem
from bridge.domain.ids import DepartmentId


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormFieldSettings(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")
    label: str = Field(min_length=1, max_length=80)
    type: FieldKind = FieldKind.TEXT
    required: bool = False
    options: list[str] = Field(default_factory=list)
    max_length: int = Field(default=200, ge=1, le=2000)


class BotAnswerSettings(Model):
    keywords: list[str] = Field(min_length=1)
    text: str = Field(min_length=1)


class MenuItemSettings(Model):
    id: str = Field(pattern=r"^[a-z0-9_-]{1,30}$")
    label: str = Field(min_length=1, max_length=60)
    text: str = ""


class BotSettings(Model):
    enabled: bool = False
    prompt: str = ""
    answers: list[BotAnswerSettings] = Field(default_factory=list)
    menu: list[MenuItemSettings] = Field(default_factory=list)
    handoff_keywords: list[str] = Field(default_factory=list)
    handoff_text: str = ""
    unknown_text: str = ""
    handoff_on_unknown: bool = True


class FlowSettings(Model):
    greeting: str = ""
    choose_department: bool = True
    default_department: str | None = None
    form: list[FormFieldSettings] = Field(default_factory=list)
    bot: BotSettings = Field(default_factory=BotSettings)

    def spec(self, choosable: list[DepartmentId], default: DepartmentId) -> FlowSpec:
        bot = self.bot
        return FlowSpec(
            departments=tuple(choosable),
            default_department=DepartmentId(self.default_department or default),
            choose_department=self.choose_department,
            form=tuple(
                FormField(f.id, f.label, f.type, f.required, tuple(f.options), f.max_length)
                for f in self.form
            ),
            bot=bot.enabled,
            answers=tuple(BotAnswer(tuple(a.keywords), a.text) for a in bot.answers),
            menu=tuple(MenuItem(m.id, m.label, m.text) for m in bot.menu),
            handoff_keywords=tuple(bot.handoff_keywords),
            handoff_text=bot.handoff_text,
            unknown_text=bot.unknown_text,
            handoff_on_unknown=bot.handoff_on_unknown,
            bot_prompt=bot.prompt,
        )
