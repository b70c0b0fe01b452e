"""Delivery of outbox entries to agent channels: ordered per conversation, retried, acked."""
