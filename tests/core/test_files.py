"""Attachments: real type checked from the bytes, size limited, kept outside Redis."""

import pytest

from bridge.core import Core
from bridge.domain.errors import InvalidInput
from tests.scenario import Scenario

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32


async def test_an_image_is_kept_and_read_back(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued()
    saved = await core.files.save(c.id, PNG, "foto.png", "image/png")
    assert (saved.mime, saved.size, saved.is_image) == ("image/png", len(PNG), True)
    attachment, data = await core.files.read(saved.id)
    assert data == PNG
    assert attachment.name == "foto.png"
    owner, _ = await core.files.meta(saved.id)
    assert owner == c.id


async def test_the_real_type_decides_not_the_name(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued()
    with pytest.raises(InvalidInput, match="not accepted"):
        await core.files.save(c.id, b"MZ\x90\x00" + b"\x00" * 60, "foto.png", "image/png")
    text = await core.files.save(c.id, "olá, pedido 42".encode(), "nota.txt", "text/plain")
    assert text.mime == "text/plain"
    with pytest.raises(InvalidInput, match="not accepted"):
        await core.files.save(c.id, b"\xff\xfe\x00\x00binary", "nota.txt", "text/plain")


async def test_oversized_and_empty_files_are_refused(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued()
    with pytest.raises(InvalidInput, match="larger than the 15 MB limit"):
        await core.files.save(c.id, PNG + b"\x00" * (15 * 1024 * 1024), "big.png", "image/png")
    with pytest.raises(InvalidInput, match="empty"):
        await core.files.save(c.id, b"", "x.txt", "text/plain")


async def test_names_are_made_safe(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued()
    saved = await core.files.save(c.id, PNG, "../../etc/<passwd>.png", "image/png")
    assert "/" not in saved.name
    assert "<" not in saved.name
