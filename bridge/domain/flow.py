"""The automatic stage as a pure step function: greeting, department, form, bot, hand-off."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bridge.domain.ids import DepartmentId
from bridge.domain.text import fold


class FlowStep(StrEnum):
    DEPARTMENT = "department"
    FORM = "form"
    BOT = "bot"
    DONE = "done"


class FieldKind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    EMAIL = "email"
    PHONE = "phone"
    SELECT = "select"


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    options: tuple[str, ...] = ()
    max_length: int = 200


@dataclass(frozen=True, slots=True)
class BotAnswer:
    keywords: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class MenuItem:
    id: str
    label: str
    text: str = ""  # the answer; empty means "talk to a person"


@dataclass(frozen=True, slots=True)
class FlowSpec:
    departments: tuple[DepartmentId, ...]  # those a customer may choose, in display order
    default_department: DepartmentId
    choose_department: bool = True
    form: tuple[FormField, ...] = ()
    bot: bool = False
    answers: tuple[BotAnswer, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    handoff_keywords: tuple[str, ...] = ()
    handoff_text: str = ""
    unknown_text: str = ""
    handoff_on_unknown: bool = True
    bot_prompt: str = ""


@dataclass(frozen=True, slots=True)
class BotMessage:
    text: str
    options: tuple[tuple[str, str], ...] = ()  # (id, label) buttons


@dataclass(frozen=True, slots=True)
class Start:
    pass


@dataclass(frozen=True, slots=True)
class ChooseDepartment:
    department: DepartmentId


@dataclass(frozen=True, slots=True)
class SubmitForm:
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class CustomerText:
    text: str


@dataclass(frozen=True, slots=True)
class MenuPick:
    item: str


FlowInput = Start | ChooseDepartment | SubmitForm | CustomerText | MenuPick


@dataclass(frozen=True, slots=True)
class FlowResult:
    step: FlowStep
    department: DepartmentId | None
    form: Mapping[str, str] = field(default_factory=dict)
    bot_messages: tuple[BotMessage, ...] = ()
    errors: Mapping[str, str] = field(default_factory=dict)  # field id -> message key

    @property
    def enqueue(self) -> bool:
        return self.step is FlowStep.DONE


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def first_step(spec: FlowSpec) -> FlowResult:
    """Where a new conversation starts: asking the department, or past it when there is one."""
    if spec.choose_department and len(spec.departments) > 1:
        return FlowResult(FlowStep.DEPARTMENT, None)
    only = spec.departments[0] if len(spec.departments) == 1 else spec.default_department
    return _after_department(spec, only)


def advance(
    spec: FlowSpec, step: FlowStep, department: DepartmentId | None, event: FlowInput
) -> FlowResult:
    """The next flow state for `event`; never raises for customer input, returns errors."""
    match event:
        case Start():
            return first_step(spec)
        case ChooseDepartment(chosen) if step is FlowStep.DEPARTMENT:
            if chosen not in spec.departments:
                return FlowResult(step, department, errors={"department": "invalid"})
            return _after_department(spec, chosen)
        case SubmitForm(values) if step is FlowStep.FORM:
            return _submit(spec, department, values)
        case CustomerText(text) if step is FlowStep.BOT:
            return _bot_text(spec, department, text)
        case MenuPick(item) if step is FlowStep.BOT:
            return _bot_menu(spec, department, item)
        case _:
            return FlowResult(step, department)


def _after_department(spec: FlowSpec, department: DepartmentId) -> FlowResult:
    if spec.form:
        return FlowResult(FlowStep.FORM, department)
    return _after_form(spec, department, {})


def _after_form(
    spec: FlowSpec, department: DepartmentId | None, form: Mapping[str, str]
) -> FlowResult:
    if spec.bot:
        return FlowResult(FlowStep.BOT, department, form, (menu_message(spec),))
    return FlowResult(FlowStep.DONE, department, form)


def menu_message(spec: FlowSpec) -> BotMessage:
    options = tuple((item.id, item.label) for item in spec.menu)
    return BotMessage(spec.bot_prompt, options)


def validate_form(
    spec: FlowSpec, values: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(clean values, errors by field id). Error values are message keys: required, email, …"""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for f in spec.form:
        raw = values.get(f.id, "")
        value = raw.strip() if isinstance(raw, str) else ""
        error = _field_error(f, value)
        if error:
            errors[f.id] = error
        elif value:
            clean[f.id] = value
    return clean, errors


def _field_error(f: FormField, value: str) -> str:
    if not value:
        return "required" if f.required else ""
    if len(value) > f.max_length:
        return "too_long"
    if f.kind is FieldKind.EMAIL and not _EMAIL.fullmatch(value):
        return "email"
    if f.kind is FieldKind.PHONE and not 8 <= sum(c.isdigit() for c in value) <= 15:
        return "phone"
    if f.kind is FieldKind.PHONE and any(not (c.isdigit() or c in "+-() .") for c in value):
        return "phone"
    if f.kind is FieldKind.SELECT and value not in f.options:
        return "option"
    return ""


def _submit(
    spec: FlowSpec, department: DepartmentId | None, values: Mapping[str, str]
) -> FlowResult:
    clean, errors = validate_form(spec, values)
    if errors:
        return FlowResult(FlowStep.FORM, department, errors=errors)
    return _after_form(spec, department, clean)


def _bot_text(spec: FlowSpec, department: DepartmentId | None, text: str) -> FlowResult:
    words = fold(text)
    if any(fold(k) in words for k in spec.handoff_keywords):
        return _handoff(spec, department)
    for answer in spec.answers:
        if any(fold(k) in words for k in answer.keywords):
            return FlowResult(FlowStep.BOT, department, bot_messages=(BotMessage(answer.text),))
    if spec.handoff_on_unknown:
        return _handoff(spec, department)
    return FlowResult(FlowStep.BOT, department, bot_messages=(BotMessage(spec.unknown_text),))


def _bot_menu(spec: FlowSpec, department: DepartmentId | None, item_id: str) -> FlowResult:
    item = next((i for i in spec.menu if i.id == item_id), None)
    if item is None or not item.text:
        return _handoff(spec, department)
    return FlowResult(FlowStep.BOT, department, bot_messages=(BotMessage(item.text),))


def _handoff(spec: FlowSpec, department: DepartmentId | None) -> FlowResult:
    messages = (BotMessage(spec.handoff_text),) if spec.handoff_text else ()
    return FlowResult(FlowStep.DONE, department, bot_messages=messages)
