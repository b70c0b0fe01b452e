"""Agent channels: Slack and Telegram adapters, and what they share (channels.common)."""
