"""Who is acting: a vendor user id mapped to a configured agent, or nobody."""

from __future__ import annotations

from bridge.core import Core
from bridge.domain.model import AgentActor, ChannelKind


def agent_for(core: Core, kind: ChannelKind, external_id: str | int) -> AgentActor | None:
    return core.agents.by_identity(kind, str(external_id))


def language(core: Core, kind: ChannelKind) -> str:
    """The language agents read in this channel: the channel's own setting, else the global."""
    settings = core.settings
    channel = settings.slack if kind is ChannelKind.SLACK else settings.telegram
    return channel.language or settings.language
