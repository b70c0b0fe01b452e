"""Fixtures for the real-browser widget tests.

One headless Chromium runs for the whole session, started here with our own flags (Playwright's
`launch()` refuses `--user-data-dir`), and each test connects to it over CDP from its own event
loop: pytest-aiohttp's servers live in the test's loop, and Playwright objects are bound to the
loop that made them, so only the browser process is shared. Each test gets a fresh context.

The daemon is the real `create_app`; the shop page embedding it is served by a second server on
another port, so it is another origin, exactly like a customer's site.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Browser, BrowserContext, Dialog, Error, Page, async_playwright

from bridge.settings import Settings
from tests.fakes import FakeClock
from tests.settings_factory import BASE, ENV, make_settings, merge

# What Playwright's own launch would add that matters here, plus the flags a CI box needs as root.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--password-store=basic",
    "--mute-audio",
    "--hide-scrollbars",
)
STARTUP_SECONDS = 30

# Test-only: the widget draws in a CLOSED shadow root, which Playwright's locators cannot enter.
# Tests that look inside open it by patching attachShadow before any page script runs; widget.js
# has no switch for this, so production pages cannot be made to expose it. One test runs without
# the patch to check the closed root itself.
OPEN_SHADOW = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, {...init, mode: "open"});
  };
})();"""

SHOP_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
<style>
  /* hostile page styles: the widget must not inherit them */
  button {{ all: unset; background: hotpink !important; font-size: 30px !important; }}
  div {{ letter-spacing: 1px; }}
  body {{ font-family: serif; margin: 0; }}
</style></head>
<body>
  <h1>{title}</h1>
  <p><a href="/page2">Next page</a></p>
  <script src="{daemon}/widget.js" data-site="default" async></script>
</body></html>
"""
PAGES = {"/": "Shop — home", "/page2": "Shop — page 2"}
# The shop's server side vouches for its logged-in users with this key (docs/widget-api.md).
IDENTITY_SECRET = "shop-identity-secret"


@dataclass
class Shop:
    """The customer's site (one origin) and the daemon (another)."""

    url: str = ""
    daemon: str = ""
    head: str = ""  # more markup for the pages' <head>, before widget.js (a test sets it)

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def page(self, path: str = "/") -> str:
        return self.origin + path


# -- the browser ------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Debian's chromium on PATH, else the browser Playwright installed, else None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = p.chromium.executable_path
    return path if os.path.exists(path) else None


@dataclass
class _Output:
    """Chromium's stderr, drained by a thread (a full pipe would stall the browser)."""

    lines: deque[str] = field(default_factory=lambda: deque(maxlen=50))
    endpoint: str | None = None
    ready: threading.Event = field(default_factory=threading.Event)

    def drain(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line.rstrip())
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found and self.endpoint is None:
                self.endpoint = found.group(1)
                self.ready.set()
        self.ready.set()  # EOF: the browser exited (endpoint stays None if it never started)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The CDP endpoint of one headless Chromium for the session. Fails (never skips) when no
    browser is installed: .ci/run installs one, so a missing browser is a broken setup."""
    path = find_chromium()
    if path is None:
        pytest.fail(
            "no Chromium found: install Debian's `chromium` package or run "
            "`python -m playwright install chromium`",
            pytrace=False,
        )
    profile = tmp_path_factory.mktemp("chromium-profile")
    args = [path, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0"]
    process = subprocess.Popen(
        [*args, "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    output = _Output()
    reader = threading.Thread(target=output.drain, args=(process.stderr,), daemon=True)
    reader.start()
    try:
        output.ready.wait(STARTUP_SECONDS)
        if output.endpoint is None:
            pytest.fail(f"Chromium did not start: {path}\n" + "\n".join(output.lines))
        yield output.endpoint
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(10)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        connected = await p.chromium.connect_over_cdp(chromium)
        yield connected
        await connected.close()  # over CDP this disconnects; the session's browser stays up


@dataclass
class Watch:
    """What no test may ever see: a dialog (alert/confirm/prompt) or an uncaught page error."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def on_page(self, page: Page) -> None:
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self.on_dialog)


NewContext = Callable[..., Awaitable[BrowserContext]]


@pytest.fixture
async def new_context(browser: Browser, shop: Shop) -> AsyncIterator[NewContext]:
    """Fresh browser contexts (own storage, own cookies), watched for dialogs and page errors.
    Set up after the daemon (`shop`), so they close before it stops: an open EventSource would
    otherwise hold the daemon's shutdown until its timeout (SSE streams are not closed on
    shutdown; WebSockets are)."""
    made: list[BrowserContext] = []
    watch = Watch()

    async def make(*, open_shadow: bool = True, **options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("locale", "en-US")
        context = await browser.new_context(**options)
        made.append(context)
        context.set_default_timeout(5000)
        context.on("page", watch.on_page)
        if open_shadow:
            await context.add_init_script(OPEN_SHADOW)
        return context

    yield make
    for context in made:
        with suppress(Error):  # the test closed it already
            await context.close()
    assert watch.dialogs == [], "a dialog opened"
    assert watch.errors == [], "uncaught errors in the page"


@pytest.fixture
async def context(new_context: NewContext) -> BrowserContext:
    return await new_context()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


# -- the shop and the daemon ------------------------------------------------------------------


@pytest.fixture
async def shop_server(aiohttp_server: Any) -> Shop:
    shop = Shop()

    async def serve(request: web.Request) -> web.Response:
        title = PAGES[request.path]
        html = SHOP_PAGE.format(title=title, daemon=shop.daemon, head=shop.head)
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.add_routes([web.get(path, serve) for path in PAGES])
    server = await aiohttp_server(app)
    shop.url = str(server.make_url("/"))
    return shop


def departments() -> list[dict[str, Any]]:
    """The shared test departments; Financeiro is closed at the fake clock's time (Wednesday)."""
    found = [dict(d) for d in BASE["departments"]]
    found[2] |= {"hours": {"sat": ["09:00-12:00"]}, "offline_message": "Voltamos sábado."}
    return found


@pytest.fixture
def settings_changes() -> dict[str, Any]:
    """More settings for one test: parametrize this name to change them."""
    return {}


@pytest.fixture
def daemon_port() -> int:
    """A free port for the daemon, chosen before it starts: its own origin (the demo page's)
    must be in the allow-list the settings are built with."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def settings(
    prefix: str,
    tmp_path: Path,
    shop_server: Shop,
    daemon_port: int,
    settings_changes: dict[str, Any],
) -> Settings:
    """The shared test settings: the shop's origin (and the daemon's own, for its demo page)
    may embed the widget, and the default site identifies its users."""
    base = {
        "server": {
            "allowed_origins": [
                "http://shop.test",
                shop_server.origin,
                f"http://127.0.0.1:{daemon_port}",
            ]
        },
        "widget": {
            "uploads": {"dir": str(tmp_path / "uploads")},
            "sites": {"default": {"identity_secret": "${SHOP_IDENTITY_SECRET}"}},
        },
        "departments": departments(),
    }
    env = {**ENV, "SHOP_IDENTITY_SECRET": IDENTITY_SECRET}
    return make_settings(prefix, merge(base, settings_changes), env=env)


@pytest.fixture
async def shop(
    shop_server: Shop,
    settings: Settings,
    clock: FakeClock,
    redis_url: str,
    daemon_port: int,
    aiohttp_server: Any,
) -> Shop:
    """The shop page, embedding the widget of a real daemon running on another origin."""
    from bridge.daemon.app import create_app

    app = create_app(settings, env={"REDIS_URL": redis_url}, clock=clock, adapters=lambda core: [])
    server = await aiohttp_server(app, host="127.0.0.1", port=daemon_port)
    shop_server.daemon = str(server.make_url("")).rstrip("/")
    return shop_server
