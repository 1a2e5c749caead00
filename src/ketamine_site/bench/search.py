"""Search latency: from the last keystroke to the results drawn on screen.

The page records the time of every keyup (the end of a keystroke: Material's search reacts
to keyup, so timing from keydown would add the typist's key-hold time), of every change to
the results panel (a MutationObserver), and of the next animation frame after each change
(when the reader can see it). Each query is typed at a steady pace; once the panel has been
quiet for QUIET_MS the latency is (frame after the last change) - (last keyup).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Browser, Page

from ketamine_site.bench.browser import fresh_context
from ketamine_site.bench.stats import median

INPUT = "input.md-search__input"
RESULTS = ".md-search-result__list > li"
TYPE_DELAY_MS = 60  # a quick typist
QUIET_MS = 600
WAIT_S = 10.0
WARM_UP = "ketamine"
BUILT_IN = [
    "how long does ketamine last", "esketamine", "Spravato", "booster", "nasal spray",
    "side effects", "cost", "TRD", "NMDA", "988",
]  # fmt: skip

OBSERVE = """() => {
  const b = window.__bench = {key: 0, change: 0, frame: 0};
  document.addEventListener("keyup", () => { b.key = performance.now(); }, true);
  const panel = document.querySelector(".md-search-result");
  new MutationObserver(() => {
    b.change = performance.now();
    requestAnimationFrame(() => { b.frame = performance.now(); });
  }).observe(panel, {childList: true, subtree: true, characterData: true});
}"""

STATE = "() => ({...window.__bench, now: performance.now()})"


@dataclass(frozen=True)
class Query:
    query: str
    expect: tuple[str, ...] = ()  # any of these pages counts as found


def _expected(item: dict[str, Any]) -> tuple[str, ...]:
    """The page(s) a query must find: `expect` (as the issue names it) or `page`."""
    found = item.get("expect") or item.get("page") or ()
    return tuple(str(page) for page in found) if isinstance(found, list) else (str(found),)


def url_path(page: str) -> str:
    """'faq.md', 'faq', '/faq/' -> '/faq/'; 'index.md', '/' -> '/'."""
    stem = page.strip("/").removesuffix(".md").removesuffix("index").strip("/")
    return f"/{stem}/" if stem else "/"


def rank(links: list[str], expected: tuple[str, ...] | str | None) -> int | None:
    """1-based position of the first result link that is one of the expected pages."""
    pages = (expected,) if isinstance(expected, str) else expected or ()
    wanted = {url_path(page) for page in pages}
    for position, link in enumerate(links, start=1):
        if urlsplit(link).path in wanted:
            return position
    return None


def load_queries(path: Path) -> tuple[list[Query], str]:
    """The reader queries from tests/search_queries.yml, or a built-in list when it is absent."""
    if not path.is_file():
        return [Query(q) for q in BUILT_IN], f"built-in list ({path.name} not found)"
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(items, dict):  # tolerate {queries: [...]}
        items = next((v for v in items.values() if isinstance(v, list)), [])
    queries = [
        Query(str(item["query"]), _expected(item))
        for item in items
        if isinstance(item, dict) and item.get("query")
    ]
    if not queries:
        return [Query(q) for q in BUILT_IN], f"built-in list ({path.name} has no queries)"
    return queries, f"{path.parent.name}/{path.name}, {len(queries)} queries"


def _wait_quiet(page: Page) -> dict[str, float]:
    deadline = time.monotonic() + WAIT_S
    while True:
        page.wait_for_timeout(100)
        state: dict[str, float] = page.evaluate(STATE)
        last = max(state["key"], state["change"], state["frame"])
        if state["now"] - last >= QUIET_MS or time.monotonic() > deadline:
            return state


def _clear(page: Page) -> None:
    page.fill(INPUT, "")
    _wait_quiet(page)


def _top_links(page: Page, count: int = 3) -> list[str]:
    """The page link of each of the first results (one per page; sections nest inside)."""
    links: list[str | None] = page.eval_on_selector_all(
        RESULTS,
        f"items => items.slice(0, {count}).map(li => li.querySelector('a')?.getAttribute('href'))",
    )
    return [link for link in links if link]


def time_query(page: Page, query: Query) -> dict[str, Any]:
    _clear(page)
    page.evaluate("() => { Object.assign(window.__bench, {key: 0, change: 0, frame: 0}); }")
    page.type(INPUT, query.query, delay=TYPE_DELAY_MS)
    state = _wait_quiet(page)
    drawn = state["frame"] >= state["key"] > 0
    top = _top_links(page)
    return {
        "query": query.query,
        "expect": list(query.expect),
        "ms": round(state["frame"] - state["key"], 1) if drawn else None,
        "dom_ms": round(state["change"] - state["key"], 1) if drawn else None,
        "results": page.locator(RESULTS).count(),
        "top": top,
        "rank": rank(top, query.expect),
    }


def _ready(page: Page) -> None:
    """Open search and wait until the worker has its index (a warm-up query has results)."""
    page.click(INPUT)
    page.type(INPUT, WARM_UP)
    page.wait_for_selector(RESULTS, timeout=30_000)
    page.evaluate(OBSERVE)


def measure(browser: Browser, url: str, queries: list[Query]) -> dict[str, Any]:
    with fresh_context(browser) as context:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        _ready(page)
        runs = [time_query(page, query) for query in queries]
    drawn = [run["ms"] for run in runs if run["ms"] is not None]
    expected = [run for run in runs if run["expect"]]
    return {
        "found_top3": sum(run["rank"] is not None for run in expected),
        "found_first": sum(run["rank"] == 1 for run in expected),
        "with_expected_page": len(expected),
        "median_ms": median(drawn),
        "median_dom_ms": median(run["dom_ms"] for run in runs if run["dom_ms"] is not None),
        "max_ms": max(drawn, default=None),
        "queries": len(runs),
        "not_drawn": len(runs) - len(drawn),
        "runs": runs,
    }
