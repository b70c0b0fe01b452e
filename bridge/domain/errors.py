"""The errors callers can act on. Fields carry the data; str() is safe to show a user."""

from __future__ import annotations


class BridgeError(Exception):
    """An error the caller can act on."""


class NotFound(BridgeError):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} not found: {ident}")
        self.what, self.ident = what, ident


class Forbidden(BridgeError):
    def __init__(self, who: str, action: str, reason: str) -> None:
        super().__init__(f"{who} may not {action}: {reason}")
        self.who, self.action, self.reason = who, action, reason


class IllegalTransition(BridgeError):
    def __init__(self, conversation_id: str, current: str, action: str, expected: str = "") -> None:
        text = f"cannot {action} conversation {conversation_id} in state {current}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)
        self.conversation_id, self.current, self.action = conversation_id, current, action


class AlreadyClaimed(BridgeError):
    def __init__(self, conversation_id: str, winner: str) -> None:
        super().__init__(f"conversation {conversation_id} was already claimed by {winner}")
        self.conversation_id, self.winner = conversation_id, winner


class Reserved(BridgeError):
    """The conversation is offered first to the agent who served the contact last."""

    def __init__(self, conversation_id: str, agent: str, until: str) -> None:
        super().__init__(f"conversation {conversation_id} is reserved for {agent} until {until}")
        self.conversation_id, self.agent, self.until = conversation_id, agent, until


class CapacityReached(BridgeError):
    def __init__(self, agent: str, limit: int) -> None:
        super().__init__(f"agent {agent} already serves {limit} conversations (the maximum)")
        self.agent, self.limit = agent, limit


class InvalidInput(BridgeError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class Duplicate(BridgeError):
    """The same client message id or vendor event was seen before; nothing changed."""

    def __init__(self, key: str) -> None:
        super().__init__(f"already processed: {key}")
        self.key = key


class Unavailable(BridgeError):
    """The store did not answer; the operation did not happen and may be retried."""
