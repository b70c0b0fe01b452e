"""The Details button and /details: the sections of the helpdesk's right-hand column (chat
details, contact, timeline, history) as one message whose buttons switch section and page by
editing it in place. Contact fields can be changed from the contact section (see prompts)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bridge.domain.errors import BridgeError
from bridge.domain.ids import ConversationId
from bridge.domain.model import AgentActor, Conversation, ConversationState
from bridge.domain.views import ConversationDetails
from channels.common.actions import explain
from channels.common.describe import minutes, stars
from channels.common.texts import Texts
from channels.telegram.buttons import Op, button
from channels.telegram.context import Context
from channels.telegram.html import Html, bold, clip, italic, pack, text
from channels.telegram.render import line_messages, thread_line

SECTIONS = {
    "c": "details.chat",
    "k": "details.contact",
    "t": "details.timeline",
    "h": "details.history",
}
PAGE = 10
LINE_LIMIT = 350  # a timeline line is cut here, so a page of ten fits one message
VALUE_LIMIT = 300
# Contact fields the contact section can change: letter in callback_data -> field name.
FIELDS = {"n": "name", "e": "email", "p": "phone", "t": "tags"}

Rendered = tuple[Html, InlineKeyboardMarkup]


def _fact(label: str, value: str) -> Html:
    return bold(f"{label}:") + text(" " + clip(value, VALUE_LIMIT)) if value else Html()


class Details:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._t: Texts = ctx.t

    async def render(
        self, agent: AgentActor, cid: ConversationId, section: str, page: int
    ) -> Rendered | str:
        """The section as HTML with its keyboard, or the text saying why it cannot be shown."""
        try:
            details = await self._ctx.core.queries.details(cid, agent)
        except BridgeError as e:
            return explain(e, self._t)
        section = section if section in SECTIONS else "c"
        body, pages = self._section(details, section, page)
        c = details.conversation
        title = bold(self._t("details.title", number=c.number, section=self._t(SECTIONS[section])))
        if pages > 1:
            title = title + text(" ") + italic(self._t("details.page", page=page + 1, pages=pages))
        html = pack([title, *body])[0]
        return html, self._keyboard(c, section, page, pages)

    def _section(self, d: ConversationDetails, section: str, page: int) -> tuple[list[Html], int]:
        match section:
            case "k":
                return self._contact(d), 1
            case "t":
                return self._timeline(d, page)
            case "h":
                return self._history(d, page)
            case _:
                return self._chat(d), 1

    def _when(self, c: Conversation, moment: datetime | None) -> str:
        if moment is None:
            return ""
        dept = self._ctx.core.directory.department(c.department_id) if c.department_id else None
        zone = ZoneInfo(dept.timezone) if dept else UTC
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def _chat(self, d: ConversationDetails) -> list[Html]:
        c, t, s = d.conversation, self._t, self._ctx.core.settings
        state = t(f"state.{c.state.value}")
        if c.state is ConversationState.IN_SERVICE and c.assignee:
            state += f" — {s.agent_name(c.assignee)}"
        waited = (c.claimed_at or c.closed_at or self._ctx.core.clock.now()) - (
            c.queued_at or c.created_at
        )
        facts = [
            _fact(t("card.state"), state),
            _fact(t("card.department"), s.department_name(c.department_id)),
            _fact(t("details.channel"), c.channel.value),
            _fact(t("details.created"), self._when(c, c.created_at)),
            _fact(t("details.claimed"), self._when(c, c.claimed_at)),
            _fact(t("details.first_response"), self._when(c, c.first_response_at)),
            _fact(t("details.closed"), self._when(c, c.closed_at)),
            _fact(t("card.waited"), minutes(max(0, int(waited.total_seconds())))),
            _fact(t("card.page"), c.page_url),
            _fact(t("card.rating"), stars(c.rating) if c.rating else ""),
            _fact(t("card.reason"), c.close_reason),
        ]
        form = self._ctx.core.directory.form_labels(c.form)
        return [f for f in facts if f] + [_fact(label, value) for label, value in form if value]

    def _contact(self, d: ConversationDetails) -> list[Html]:
        k, t, v = d.contact, self._t, d.visitor
        facts = [
            _fact(t("card.contact"), k.name),
            _fact(t("card.email"), k.email),
            _fact(t("card.phone"), k.phone),
            _fact(t("contact.field.tags"), " ".join(f"#{tag}" for tag in k.tags)),
            *(_fact(name, value) for name, value in k.fields.items()),
        ]
        if v is not None:
            where = t("details.online") if v.online else t("details.offline")
            facts.append(_fact(where, v.page_title or v.page_url))
            facts.append(_fact(t("details.time_on_site"), minutes(v.time_on_site_seconds)))
        return [f for f in facts if f] or [italic(t("list.empty"))]

    def _timeline(self, d: ConversationDetails, page: int) -> tuple[list[Html], int]:
        items = [i for i in d.timeline if i.kind.value != "peeked"]
        pages = max(1, -(-len(items) // PAGE))
        page = min(max(page, 0), pages - 1)
        end = len(items) - page * PAGE  # page 0 is the newest
        window = items[max(0, end - PAGE) : end]
        name = d.contact.display_name
        settings = self._ctx.core.settings
        lines: list[Html] = []
        for item in window:
            stamp = italic(self._when(d.conversation, item.at)[11:] + " ")
            first = line_messages(thread_line(item, self._t, settings, name), LINE_LIMIT)[0]
            lines.append(stamp + first)
        return lines or [italic(self._t("list.empty"))], pages

    def _history(self, d: ConversationDetails, page: int) -> tuple[list[Html], int]:
        past = sorted(d.history, key=lambda c: c.created_at, reverse=True)
        pages = max(1, -(-len(past) // PAGE))
        page = min(max(page, 0), pages - 1)
        s, t = self._ctx.core.settings, self._t
        rows = []
        for c in past[page * PAGE : (page + 1) * PAGE]:
            bits = [
                self._when(c, c.created_at),
                t(f"state.{c.state.value}"),
                s.agent_name(c.assignee or c.closed_by),
                stars(c.rating) if c.rating else "",
            ]
            rows.append(bold(f"#{c.number}") + text(" · " + " · ".join(b for b in bits if b)))
        return rows or [italic(t("list.empty"))], pages

    def _keyboard(
        self, c: Conversation, section: str, page: int, pages: int
    ) -> InlineKeyboardMarkup:
        t = self._t
        tabs = [
            button(("• " if key == section else "") + t(name), Op.SECTION, c.id, key, "0")
            for key, name in SECTIONS.items()
        ]
        rows: list[list[InlineKeyboardButton]] = [tabs[:2], tabs[2:]]
        paging = []
        if page + 1 < pages:
            paging.append(
                button("◂ " + t("details.older"), Op.SECTION, c.id, section, str(page + 1))
            )
        if page > 0:
            paging.append(
                button(t("details.newer") + " ▸", Op.SECTION, c.id, section, str(page - 1))
            )
        if paging:
            rows.append(paging)
        if section == "k":
            rows.append(
                [
                    button(t(f"contact.field.{field}"), Op.CONTACT_EDIT, c.id, letter)
                    for letter, field in FIELDS.items()
                ]
            )
        return InlineKeyboardMarkup(rows)
