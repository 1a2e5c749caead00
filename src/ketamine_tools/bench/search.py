"""Search latency, which no tool measures: from the last keystroke to the results drawn.

The page records the time of every keyup (Material searches on keyup, so timing from keydown
would add the typist's key-hold time), of every change to the results panel, and of the next
animation frame after each change (when the reader can see it). Once the panel has been quiet
for QUIET_MS, latency = (frame after the last change) - (last keyup). Whether search finds
the right pages is tests/browser/test_search.py's job, not this probe's.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from playwright.sync_api import Browser, Page

from ketamine_tools import queries
from ketamine_tools.bench.browser import fresh_context

INPUT = "input.md-search__input"
RESULTS = ".md-search-result__list > li"
TYPE_DELAY_MS = 60  # a quick typist
QUIET_MS = 600
WAIT_S = 10.0

OBSERVE = """() => {
  const b = window.__bench = {key: 0, change: 0, frame: 0};
  document.addEventListener("keyup", () => { b.key = performance.now(); }, true);
  new MutationObserver(() => {
    b.change = performance.now();
    requestAnimationFrame(() => { b.frame = performance.now(); });
  }).observe(document.querySelector(".md-search-result"),
             {childList: true, subtree: true, characterData: true});
}"""
RESET = "() => { Object.assign(window.__bench, {key: 0, change: 0, frame: 0}); }"
STATE = "() => ({...window.__bench, now: performance.now()})"


def load_queries(path: Path) -> list[str]:
    """The words of each entry of tests/search_queries.yml (the shared loader's check)."""
    return [q.query for q in queries.load(path)]


def _wait_quiet(page: Page) -> dict[str, float]:
    deadline = time.monotonic() + WAIT_S
    while True:
        page.wait_for_timeout(100)
        state: dict[str, float] = page.evaluate(STATE)
        if state["now"] - max(state["key"], state["change"], state["frame"]) >= QUIET_MS:
            return state
        if time.monotonic() > deadline:
            return state


def time_query(page: Page, query: str) -> float | None:
    page.fill(INPUT, "")
    _wait_quiet(page)
    page.evaluate(RESET)
    page.type(INPUT, query, delay=TYPE_DELAY_MS)
    state = _wait_quiet(page)
    # nothing drawn after the last keyup: no latency to report (counted, never a zero)
    return state["frame"] - state["key"] if state["frame"] >= state["key"] > 0 else None


def measure(browser: Browser, url: str, queries: list[str]) -> list[float]:
    """Milliseconds for each query that drew results; raises if none did."""
    with fresh_context(browser) as context:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.click(INPUT)  # open search; a warm-up query waits until the index is loaded
        page.type(INPUT, "ketamine")
        page.wait_for_selector(RESULTS, timeout=30_000)
        page.evaluate(OBSERVE)
        times = [time_query(page, query) for query in queries]
    drawn = [t for t in times if t is not None]
    if not drawn:
        raise RuntimeError(f"search at {url}: no query drew results")
    return drawn


def median(values: list[float]) -> float:
    return float(statistics.median(values))
