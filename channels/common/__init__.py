"""What Slack and Telegram share: who an agent is, the actions and their outcomes, commands,
lists, texts. No vendor SDK, no aiohttp, no store: only the core."""
