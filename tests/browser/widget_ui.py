"""What a customer sees and does in the widget, as Playwright locators (by role and name)."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from playwright.async_api import FilePayload, Locator, Page, expect

from bridge.domain.ids import ConversationId, VisitorId
from widget.i18n import STRINGS

EN = STRINGS["en"]
TITLE = "Fale conosco"  # the widget title: the settings default

# The command-queue stub a site puts before widget.js (docs/widget-api.md), and a recorder of
# the widget's events, registered through it before the widget loads.
STUB = """<script>
  window.ponte = window.ponte || function () { (ponte.q = ponte.q || []).push(arguments); };
</script>"""
EVENTS = ["ready", "opened", "closed", "message", "conversation:closed", "identified"]
RECORDER = f"""{STUB}<script>
  window.heard = [];
  for (const name of {json.dumps(EVENTS)})
    ponte("on", name, (detail) => heard.push([name, detail]));
</script>"""


class Heard:
    """What the page's listeners heard (the page must carry RECORDER)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def names(self) -> list[str]:
        names: list[str] = await self.page.evaluate("() => heard.map(([name]) => name)")
        return names

    async def of(self, name: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self.page.evaluate(
            "n => heard.filter(([name]) => name === n).map(([, detail]) => detail)", name
        )
        return found

    async def wait(self, name: str, count: int = 1) -> list[dict[str, Any]]:
        """Once `name` was heard `count` times: every time it was."""
        await self.page.wait_for_function(
            "([n, c]) => heard.filter(([name]) => name === n).length >= c", arg=[name, count]
        )
        return await self.of(name)


class WidgetUI:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.host = page.locator("#ponte-widget")
        self.launcher = self.host.get_by_role("button", name=EN["open"])
        self.panel = self.host.get_by_role("dialog", name=TITLE)
        self.log = self.panel.get_by_role("log")
        self.status = self.panel.get_by_role("status")
        self.message_box = self.panel.get_by_role("textbox", name=EN["message_label"])

    def button(self, name: str, *, exact: bool = True) -> Locator:
        return self.panel.get_by_role("button", name=name, exact=exact)

    def field(self, label: str) -> Locator:
        return self.panel.get_by_role("textbox", name=label)

    def message(self, text: str) -> Locator:
        """A message bubble of the log whose text is exactly `text`."""
        text_is = self.page.locator(".x").get_by_text(text, exact=True)
        return self.log.locator(".m").filter(has=text_is)

    async def texts(self) -> list[str]:
        return await self.log.locator(".m .x").all_text_contents()

    async def open(self, url: str) -> WidgetUI:
        await self.page.goto(url)
        await expect(self.launcher).to_be_visible()
        return self

    async def open_panel(self) -> None:
        await self.launcher.click()
        await expect(self.panel).to_be_visible()

    async def fill_form(self, name: str, email: str) -> None:
        await self.field("Name").fill(name)
        await self.field("E-mail").fill(email)
        await self.button(EN["form_submit"]).click()

    async def reach_queue(self, department: str = "Vendas", name: str = "Maria") -> None:
        """From the greeting to the queue: start, department, form."""
        if not await self.panel.is_visible():
            await self.open_panel()
        await self.button(EN["start"]).click()
        await self.button(department).click()
        await self.fill_form(name, f"{name.lower()}@example.com")
        await expect(self.status).to_contain_text(EN["queue_position"].split("{")[0])

    async def say(self, text: str) -> None:
        """Type and press Enter; returns once the server acknowledged it (no longer pending)."""
        await self.message_box.fill(text)
        await self.message_box.press("Enter")
        await self.sent(text)

    async def sent(self, text: str) -> None:
        bubble = self.message(text)
        await expect(bubble).to_have_count(1)
        await expect(bubble.get_by_text(EN["sending"])).to_have_count(0)

    async def stored(self, key: str) -> Any:
        raw = await self.page.evaluate("k => localStorage.getItem(k)", key)
        return raw if key == "ponte.visitor" else json.loads(raw or "null")

    async def conversation(self) -> ConversationId:
        await self.page.wait_for_function("() => /c_/.test(localStorage.getItem('ponte.last'))")
        return ConversationId((await self.stored("ponte.last"))["c"])

    async def visitor(self) -> VisitorId:
        await self.page.wait_for_function("() => localStorage.getItem('ponte.visitor')")
        token: str = await self.stored("ponte.visitor")
        return VisitorId(token.split(".")[0])

    async def attach(self, name: str, mime: str, data: bytes) -> None:
        """Click the paperclip and pick a file, as a person would."""
        async with self.page.expect_file_chooser() as chooser:
            await self.button(EN["attach"]).click()
        payload: FilePayload = {"name": name, "mimeType": mime, "buffer": data}
        await (await chooser.value).set_files(files=[payload])

    async def set_hidden(self, hidden: bool) -> None:
        """What the browser does when the tab goes to the background (or comes back)."""
        await self.page.evaluate(
            """hidden => {
                Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
                Object.defineProperty(document, "visibilityState",
                    {configurable: true, get: () => hidden ? "hidden" : "visible"});
                document.dispatchEvent(new Event("visibilitychange"));
            }""",
            hidden,
        )

    async def shadow(self, script: str, arg: Any = None) -> Any:
        """Evaluate `script` with the (test-opened) shadow root as its first argument."""
        return await self.page.evaluate(
            f"([arg]) => (({script}))(document.getElementById('ponte-widget').shadowRoot, arg)",
            [arg],
        )


def png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small solid PNG, made here so the test needs no asset file."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def first_pixel(data: bytes) -> tuple[int, int, int]:
    """The top-left pixel of a PNG screenshot (8-bit RGB or RGBA). On the first pixel every
    PNG row filter leaves the bytes as they are, so no unfiltering is needed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, colour_type = 8, b"", 2
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            colour_type = body[9]
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    assert colour_type in (2, 6), colour_type
    pixels = zlib.decompress(idat)
    return pixels[1], pixels[2], pixels[3]
