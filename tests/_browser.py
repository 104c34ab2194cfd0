"""Headless Chromium for map tests (Debian ``chromium`` driven by ``playwright``).

Tests that use the ``page`` fixture are marked ``browser`` and skip cleanly when
either piece is missing (``playwright install`` is not needed: we point
playwright at the system Chromium).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A page that records every request it makes and every script error."""

    def __init__(self, browser, path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function("window.geoeventsReady >= 1", timeout=20000)

    def _route(self, route):
        self.requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    @property
    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def close(self):
        self.page.close()


@pytest.fixture
def open_page(chromium):
    pages = []

    def _open(path):
        p = Page(chromium, path)
        pages.append(p)
        return p

    yield _open
    for p in pages:
        p.close()
