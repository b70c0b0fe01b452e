"""Ponte: a chat widget whose conversations agents serve from Slack threads and Telegram topics."""
