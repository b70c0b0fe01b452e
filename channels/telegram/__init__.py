"""The Telegram agent channel: conversations as forum topics in each department's group, agents
acting through inline buttons, topic replies and commands (python-telegram-bot 22)."""
