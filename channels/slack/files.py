"""Files agents share in a thread, fetched from Slack with the bot token.

Slack serves `url_private_download` only with `Authorization: Bearer xoxb-…` (scope
files:read); without it, it answers 200 with an HTML login page, so the content type is checked
as well as the status. The body is read in chunks and refused past the size limit, so a huge
file never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

CHUNK = 64 * 1024


class FileRefused(Exception):
    """The file cannot be taken (too large, not downloadable); str() says why, for the agent."""


async def download(
    session: aiohttp.ClientSession,
    file: Mapping[str, Any],
    *,
    token: str,
    max_bytes: int,
) -> bytes:
    """The bytes of a shared file (payloads._file). Raises FileRefused, or aiohttp errors
    (worth a retry). The caller bounds it with a timeout."""
    url, declared = str(file.get("url") or ""), int(file.get("size") or 0)
    if not url:
        raise FileRefused("Slack gave no download link")
    if declared > max_bytes:
        raise FileRefused(f"larger than the {max_bytes // (1024 * 1024)} MB limit")
    headers = {"Authorization": f"Bearer {token}"}
    async with session.get(url, headers=headers) as response:
        if response.status in (403, 404, 410):
            raise FileRefused(f"Slack answered {response.status}")
        response.raise_for_status()
        if response.content_type == "text/html":
            raise FileRefused("Slack sent a login page: the app needs the files:read scope")
        return await _read(response, max_bytes)


async def _read(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    data = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise FileRefused(f"larger than the {max_bytes // (1024 * 1024)} MB limit")
    return bytes(data)
