"""Browser tests: the built site, served on 127.0.0.1, in Debian's Chromium.

Everything the browser test modules share lives here: the served site, the browser, tabs
with a palette and a screen size, axe-core, and the search box. Every module marks its
tests `browser` (`make test-fast` skips them); without Chromium they fail, never skip.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from _support import ROOT, build
from ketamine_tools.localsite import (
    DESKTOP,
    ChromiumMissingError,
    LocalSite,
    chromium_path,
    launch_chromium,
    open_page,
    serve,
)

# Every rule axe-core runs by default, not only WCAG 2.0-2.2 A and AA: its best practices too
# (unique landmarks, heading order, table headers, content inside landmarks, a named search
# dialog). Left out are the rules axe itself ships switched off: experimental ones and AAA
# enhanced contrast.
AXE_OPTIONS: dict[str, Any] = {
    "rules": {"aria-dialog-name": {"enabled": True}},
    "resultTypes": ["violations"],
}
# Watches (never changes) the messages between Material and its search worker, so a test
# knows when the worker has answered the last query typed: no sleeping, no guessing.
SEARCH_PROBE_JS = """(() => {
  const probe = window.__searchProbe = { query: null, pending: 0 };
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        if (event.data && event.data.type === 3) probe.pending--;  // RESULT
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { probe.pending++; probe.query = message.data; }
      return super.postMessage(message, ...rest);  // 2 = QUERY
    }
  };
})();"""


# --- the site and the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Fail (not skip) when Chromium is missing: CI must run these tests."""
    try:
        return chromium_path()
    except ChromiumMissingError as error:
        message = str(error)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def site_dir(built_site: Path) -> Path:
    """The session's strict build (tests/conftest.py `built_site`), shared with other tests."""
    return built_site


@pytest.fixture(scope="session")
def site(site_dir: Path) -> Iterator[LocalSite]:
    with serve(site_dir) as served:
        yield served


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """The same sources built by Zensical, which must run the site unchanged."""
    root = tmp_path_factory.mktemp("zensical")
    for name in ("docs", "includes", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    result = build(root / "site", cwd=root, engine="zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "site") as served:
        yield served


@pytest.fixture(scope="session")
def pages(site: LocalSite) -> list[str]:
    """Every page of the sitemap, as paths relative to the site root ("" is the home page)."""
    return site.page_paths()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


# --- tabs -------------------------------------------------------------------------------


@dataclass
class Tab:
    """A page in its own browser context (own cookies and storage), with a palette."""

    context: BrowserContext
    page: Page
    site: LocalSite
    scheme: str
    requests: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        open_page(self.page, self.site.url(path), self.scheme)

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def close(self) -> None:
        self.context.close()


TabMaker = Callable[..., Tab]


@pytest.fixture(scope="session")
def new_tab(browser: Browser, site: LocalSite) -> TabMaker:
    """`new_tab(scheme="light", viewport=DESKTOP)`: a fresh tab; the caller closes it.

    Every request the tab makes (workers included) is recorded in `tab.requests`.
    """

    def make(scheme: str = "light", viewport: dict[str, int] = DESKTOP) -> Tab:
        context = browser.new_context(
            color_scheme=scheme,  # type: ignore[arg-type]
            viewport=viewport,  # type: ignore[arg-type]
            service_workers="block",
            # Playwright's wait_for_function and axe-core evaluate strings in the page, which
            # the site's Content Security Policy rightly forbids. The policy itself is tested
            # in contexts without this bypass (test_csp.py).
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        context.add_init_script(SEARCH_PROBE_JS)
        tab = Tab(context, context.new_page(), site, scheme)
        context.on("request", lambda request: tab.requests.append(request.url))
        return tab

    return make


@pytest.fixture()
def tab_factory(new_tab: TabMaker) -> Iterator[TabMaker]:
    """Like `new_tab`, but every tab is closed when the test ends."""
    opened: list[Tab] = []

    def make(scheme: str = "light", viewport: dict[str, int] = DESKTOP) -> Tab:
        opened.append(new_tab(scheme, viewport))
        return opened[-1]

    yield make
    for tab in opened:
        tab.close()


@pytest.fixture()
def tab(tab_factory: TabMaker) -> Tab:
    """A light-palette desktop tab."""
    return tab_factory()


# --- axe-core ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe() -> Callable[[Page], list[dict[str, Any]]]:
    """`axe(page)` -> the violations of every default axe-core rule, as axe reports them."""
    runner = Axe()

    def run(page: Page) -> list[dict[str, Any]]:
        # Long blocks (tables, the evidence map, the list of sources) are `content-visibility:
        # auto` (drawn only when they come near the screen, for speed): undrawn, axe cannot
        # see their colours. Readers only ever see them drawn, so they are audited drawn, and
        # the page is left as it was. Every such block, present and future, not a list.
        shown = page.add_style_tag(
            content=".md-typeset,.md-typeset *{content-visibility:visible!important}"
        )
        try:
            violations: list[dict[str, Any]] = runner.run(page, options=AXE_OPTIONS).response[
                "violations"
            ]
        finally:
            shown.evaluate("element => element.remove()")
        return violations

    return run


def format_violations(where: str, violations: list[dict[str, Any]]) -> list[str]:
    """One readable line per failing element: where, rule, impact, target and the reason."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " >> ".join(str(t) for t in node["target"])
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            why = checks[0]["message"] if checks else violation["help"]
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at `{target}`: {why}"
                f"  [{violation['helpUrl']}]"
            )
    return lines


@pytest.fixture(scope="session")
def axe_report() -> Callable[[str, list[dict[str, Any]]], list[str]]:
    return format_violations


# --- the search box ---------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One result group of Material's search: a page, and the sections of it that matched."""

    path: str  # "/treatment/"
    sections: tuple[str, ...]  # fragment ids of the page's matching sections
    title: str


def open_search(page: Page) -> None:
    """Open the search the way a keyboard user does: "/" (no-op when it is open already)."""
    if not page.locator("#__search").is_checked():
        page.locator("body").press("/")
    page.locator(".md-search__input").wait_for(state="visible")
    page.wait_for_function(
        "document.activeElement && document.activeElement.matches('.md-search__input')"
    )


def read_results(page: Page) -> tuple[str, list[SearchHit]]:
    raw: dict[str, Any] = page.evaluate(
        """() => ({
            meta: document.querySelector('.md-search-result__meta')?.textContent.trim() ?? '',
            items: [...document.querySelectorAll('.md-search-result__item')].map(li => ({
                links: [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href),
                title: li.querySelector('h1, h2')?.textContent.trim() ?? '',
            })),
        })"""
    )
    hits = []
    for item in raw["items"]:
        if not item["links"]:
            continue
        urls = [urlsplit(link) for link in item["links"]]
        sections = tuple(u.fragment for u in urls if u.fragment)
        hits.append(SearchHit(urls[0].path, sections, item["title"]))
    return raw["meta"], hits


def search(page: Page, query: str) -> list[SearchHit]:
    """Type `query` into the search box; the results once the worker has answered it.

    Material sends the box's value to its worker on every keyup and renders each answer as
    it arrives, so the list is final when the worker has answered the full query.
    """
    assert page.evaluate("!!window.__searchProbe"), "open the page in a tab from `new_tab`"
    open_search(page)
    page.locator(".md-search__input").fill("")
    page.keyboard.type(query)
    page.wait_for_function(
        "q => window.__searchProbe.query === q && window.__searchProbe.pending === 0", arg=query
    )
    return read_results(page)[1]


@pytest.fixture(scope="session")
def site_search() -> Callable[[Page, str], list[SearchHit]]:
    return search


# --- summaries the lead reports ---------------------------------------------------------

SUMMARY_KEY = pytest.StashKey[dict[str, str]]()


@pytest.fixture(scope="session")
def report_line(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str, Any], Path]:
    """`report_line(name, line, data)`: print `line` after the run, save `data` as JSON."""
    config = request.config
    out_dir = tmp_path_factory.getbasetemp()

    def report(name: str, line: str, data: Any) -> Path:
        path = out_dir / f"{name}.json"
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        config.stash.setdefault(SUMMARY_KEY, {})[name] = f"{line} (details: {path})"
        return path

    return report


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    summaries = config.stash.get(SUMMARY_KEY, {})
    if summaries:
        terminalreporter.section("browser test summary")
        for line in summaries.values():
            terminalreporter.write_line(line)
