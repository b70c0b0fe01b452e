"""The Slack adapter: conversations as threads in department channels, served with slack-bolt
and slack-sdk on the daemon's aiohttp server (or over Socket Mode)."""
