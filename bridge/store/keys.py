"""Every Redis key name, in one place. docs/data-model.md documents each family."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from bridge.domain.ids import (
    AgentId,
    ContactId,
    ConversationId,
    DepartmentId,
    VisitorId,
)


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str
    lanes: int = 32

    def conversation(self, cid: ConversationId) -> str:
        return f"{self.prefix}conv:{cid}"

    def log(self, cid: ConversationId) -> str:
        return f"{self.prefix}conv:{cid}:log"

    def conversation_seq(self) -> str:
        return f"{self.prefix}seq:conversation"

    def doorbell(self) -> str:
        return f"{self.prefix}events"

    def queue(self, dept: DepartmentId) -> str:
        return f"{self.prefix}queue:{dept}"

    def automatic(self) -> str:
        return f"{self.prefix}automatic"

    def in_service(self) -> str:
        return f"{self.prefix}inservice"

    def agent_active(self, agent: AgentId) -> str:
        return f"{self.prefix}agent:{agent}:active"

    def agent_presence(self, agent: AgentId) -> str:
        return f"{self.prefix}agent:{agent}:presence"

    def history(self) -> str:
        return f"{self.prefix}history"

    def history_department(self, dept: DepartmentId) -> str:
        return f"{self.prefix}history:dept:{dept}"

    def history_agent(self, agent: AgentId) -> str:
        return f"{self.prefix}history:agent:{agent}"

    def contact(self, kid: ContactId) -> str:
        return f"{self.prefix}contact:{kid}"

    def contact_conversations(self, kid: ContactId) -> str:
        return f"{self.prefix}contact:{kid}:convs"

    def contacts_index(self) -> str:
        return f"{self.prefix}contacts:lex"

    def contact_external(self, key: str) -> str:
        """A site's own user id -> the contact (identified visitors)."""
        return f"{self.prefix}contact:ext:{key}"

    def contacts_all(self) -> str:
        return f"{self.prefix}contacts:all"

    def visitor(self, vid: VisitorId) -> str:
        return f"{self.prefix}visitor:{vid}"

    def visitor_pages(self, vid: VisitorId) -> str:
        return f"{self.prefix}visitor:{vid}:pages"

    def leads_online(self) -> str:
        return f"{self.prefix}leads:online"

    def lane(self, cid: str) -> int:
        """The outbox lane of a conversation: stable across processes and restarts."""
        return zlib.crc32(cid.encode()) % self.lanes

    def outbox(self, kind: str, lane: int) -> str:
        return f"{self.prefix}outbox:{kind}:{lane}"

    def outbox_for(self, kind: str, cid: str) -> str:
        return self.outbox(kind, self.lane(cid))

    def receipt(self, kind: str, key: str) -> str:
        return f"{self.prefix}receipt:{kind}:{key}"

    def dead(self, kind: str) -> str:
        return f"{self.prefix}dead:{kind}"

    def thread(self, kind: str, cid: ConversationId) -> str:
        return f"{self.prefix}thread:{kind}:{cid}"

    def thread_reverse(self, kind: str, ref: str) -> str:
        return f"{self.prefix}thread-rev:{kind}:{ref}"

    def message_refs(self, cid: ConversationId) -> str:
        return f"{self.prefix}msgref:{cid}"

    def external_message(self, kind: str, ref: str) -> str:
        return f"{self.prefix}extmsg:{kind}:{ref}"

    def dedupe(self, scope: str, key: str) -> str:
        return f"{self.prefix}dedupe:{scope}:{key}"

    def lease(self, name: str) -> str:
        return f"{self.prefix}lease:{name}"

    def rate(self, name: str) -> str:
        return f"{self.prefix}rate:{name}"

    def nodes(self) -> str:
        return f"{self.prefix}nodes"

    def secret(self, name: str) -> str:
        return f"{self.prefix}secret:{name}"

    def internal_chat(self, a: AgentId, b: AgentId) -> str:
        low, high = sorted((a, b))
        return f"{self.prefix}internal:{low}:{high}"

    def stats(self, dept: str, day: str) -> str:
        """A department's counts for one day (its own time zone): the reports read these."""
        return f"{self.prefix}stats:{dept}:{day}"

    def timers(self) -> str:
        return f"{self.prefix}timers"

    def file(self, aid: str) -> str:
        return f"{self.prefix}file:{aid}"

    def inbox(self, name: str) -> str:
        return f"{self.prefix}inbox:{name}"

    def inbox_dead(self, name: str) -> str:
        return f"{self.prefix}inbox-dead:{name}"

    def kv(self, name: str) -> str:
        """Small adapter-owned values (a Telegram polling offset, a Slack view hash)."""
        return f"{self.prefix}kv:{name}"
