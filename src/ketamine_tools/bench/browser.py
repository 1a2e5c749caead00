"""The benchmark's browser: the one launcher (ketamine_tools.localsite), a fresh profile per run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from ketamine_tools.localsite import launch_chromium

VIEWPORT = {"width": 1280, "height": 800}


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_context(browser: Browser) -> Iterator[BrowserContext]:
    """A new profile: empty cache, no cookies, no service workers (a first-time reader)."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")  # type: ignore[arg-type]
    try:
        yield context
    finally:
        context.close()
