"""The website chat widget: script, demo page, WebSocket/SSE endpoints, uploads."""
