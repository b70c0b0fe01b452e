"""Applies the pure automatic flow (domain.flow) to a stored conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bridge.core.base import Deps
from bridge.core.timeline import LOG_ONLY, OPEN_THREAD, event
from bridge.domain.events import EventKind
from bridge.domain.flow import BotMessage, FlowInput, FlowResult, FlowStep, advance
from bridge.domain.ids import DepartmentId
from bridge.domain.model import BOT, ActorRef, Conversation
from bridge.domain.states import Action
from bridge.store.codec import dumps, to_ms
from bridge.store.scripts import EventSpec


@dataclass(frozen=True, slots=True)
class FlowOutcome:
    step: FlowStep
    errors: Mapping[str, str] = field(default_factory=dict)
    position: int | None = None  # queue position when the flow ended in the queue


class FlowRunner:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._store, self._directory, self._clock = deps.store, deps.directory, deps.clock

    def bot_events(self, messages: tuple[BotMessage, ...]) -> list[EventSpec]:
        now = self._clock.now()
        return [
            event(EventKind.MESSAGE, now, BOT, LOG_ONLY, text=m.text, data=_options(m))
            for m in messages
        ]

    async def run(
        self, conversation: Conversation, action: Action, step_input: FlowInput, actor: ActorRef
    ) -> FlowOutcome:
        """Advance the flow by one input and store the result (or return the field errors)."""
        step = FlowStep(conversation.flow_step) if conversation.flow_step else FlowStep.DONE
        result = advance(self._directory.flow, step, conversation.department_id, step_input)
        if result.errors:
            return FlowOutcome(step, result.errors)
        if result.step is step and not result.bot_messages:
            return FlowOutcome(step)
        return await self.apply(conversation, action, result, actor, expect_step=step.value)

    async def apply(
        self,
        conversation: Conversation,
        action: Action,
        result: FlowResult,
        actor: ActorRef,
        *,
        expect_step: str,
        fields: dict[str, str] | None = None,
    ) -> FlowOutcome:
        events = self._step_events(conversation, result, actor)
        fields = {**self._fields(conversation, result), **(fields or {})}
        now_ms = to_ms(self._clock.now())
        if result.enqueue:
            dept = result.department or self._directory.flow.default_department
            events.append(self._queued(dept))
            tally = self._deps.stats.tally(dept, "queued")
            position, _ = await self._store.conversations.enqueue(
                conversation.id,
                dept,
                events,
                now_ms,
                expect_step=expect_step,
                fields=fields,
                tally=tally,
            )
            await self._deps.distributor.dispatch(dept)
            return FlowOutcome(FlowStep.DONE, position=position)
        await self._store.conversations.append(
            conversation.id, action, events, now_ms, fields=fields, expect_step=expect_step
        )
        return FlowOutcome(result.step)

    def _step_events(self, c: Conversation, result: FlowResult, actor: ActorRef) -> list[EventSpec]:
        now = self._clock.now()
        events: list[EventSpec] = []
        chosen = result.department
        if chosen and chosen != c.department_id:
            events.append(
                event(EventKind.DEPARTMENT_CHOSEN, now, actor, data={"department": chosen})
            )
            events += self.bot_events(self._department_messages(chosen))
        if result.form:
            events.append(event(EventKind.FORM_SUBMITTED, now, actor, form=result.form))
        events += self.bot_events(result.bot_messages)
        return events

    def _department_messages(self, dept: DepartmentId) -> tuple[BotMessage, ...]:
        settings = self._directory.require_department(dept)
        now = self._clock.now()
        holiday = self._directory.holiday_message(dept, now)
        if holiday:
            return (BotMessage(holiday),)
        if not self._directory.is_open(dept, now) and settings.offline_message:
            return (BotMessage(settings.offline_message),)
        return (BotMessage(settings.greeting),) if settings.greeting else ()

    def _fields(self, c: Conversation, result: FlowResult) -> dict[str, str]:
        fields = {"step": result.step.value}
        if result.department:
            fields["dept"] = result.department
            if not self._directory.is_open(result.department, self._clock.now()):
                fields["offline"] = "1"
        if result.form:
            fields["form"] = dumps({**c.form, **result.form})
        return fields

    def _queued(self, dept: DepartmentId) -> EventSpec:
        now = self._clock.now()
        offline = "" if self._directory.is_open(dept, now) else "1"
        return event(
            EventKind.QUEUED, now, BOT, OPEN_THREAD, data={"department": dept, "offline": offline}
        )


def _options(message: BotMessage) -> dict[str, str]:
    if not message.options:
        return {}
    return {"options": "|".join(f"{i}={label}" for i, label in message.options)}
