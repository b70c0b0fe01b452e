"""The composition root: the aiohttp application, its lifespans, health, metrics and logs."""
