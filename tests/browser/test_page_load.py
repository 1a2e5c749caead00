"""Loading a page: Material's script starts without restyling the whole page, and a page
without that script looks as Material makes it look without scripts.

Any change to the class of <html> restyles every element of the page (Material's CSS makes
it so). Material's script gives <html> its classes when it starts, after the page has been
drawn; overrides/main.html gives them from the head, before the body exists, so the script's
own change is no change (issue 15: 50-80 ms of a throttled phone's main thread). With
scripting off, or when the theme's script does not load, the page is "no-js" (no search box
that cannot search).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ketamine_tools.localsite import DESKTOP, PHONE, LocalSite

pytestmark = pytest.mark.browser

PATHS = ["", "research/", "get-help-now/"]
# Every change to the class attribute of <html>, with the value before it and whether the
# body existed yet (nothing to restyle before it does).
RECORD_CLASS_JS = """(() => {
  window.__htmlClass = [];
  // Runs before <html> exists: watch the document, keep what happens to <html>.
  new MutationObserver(records => {
    for (const r of records)
      if (r.target === document.documentElement)
        window.__htmlClass.push({ before: r.oldValue || "", body: !!document.body });
  }).observe(document, { attributes: true, attributeOldValue: true, subtree: true,
                         attributeFilter: ["class"] });
})();"""


def tokens(value: str) -> frozenset[str]:
    return frozenset(value.split())


def restyles_after_the_body(page: Page) -> list[str]:
    """Each change to the classes of <html> made once the body existed, as "before -> after"."""
    records: list[dict[str, Any]] = page.evaluate("window.__htmlClass")
    now = page.evaluate("document.documentElement.className")
    afters = [r["before"] for r in records[1:]] + ([now] if records else [])
    return [
        f"{r['before']!r} -> {after!r}"
        for r, after in zip(records, afters, strict=True)
        if r["body"] and tokens(r["before"]) != tokens(after)
    ]


def load(page: Page, site: LocalSite, path: str) -> None:
    page.goto(site.url(path))
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_theme_script_starts_without_restyling_the_page(
    browser: Browser, request: pytest.FixtureRequest, engine: str
) -> None:
    site: LocalSite = request.getfixturevalue("site" if engine == "mkdocs" else "zensical_site")
    context = browser.new_context(viewport=PHONE, service_workers="block")  # type: ignore[arg-type]
    context.add_init_script(RECORD_CLASS_JS)
    page = context.new_page()
    try:
        for path in PATHS:
            load(page, site, path)
            classes = tokens(page.evaluate("document.documentElement.className"))
            assert "js" in classes and "no-js" not in classes, f"{engine} /{path}: {classes}"
            assert page.evaluate("typeof window.document$") == "object", (
                f"{engine} /{path}: the theme's script did not run"
            )
            assert restyles_after_the_body(page) == [], (
                f"{engine} /{path}: the classes of <html> changed after the page was drawn "
                "(every element restyled); give them in overrides/main.html's head script"
            )
    finally:
        context.close()


def search_box_shown(page: Page) -> bool:
    return page.locator(".md-search").is_visible()


def test_without_the_theme_script_the_page_is_as_without_scripts(
    browser: Browser, site: LocalSite
) -> None:
    """The theme's script blocked or failed to load: "no-js" again, no dead search box."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")  # type: ignore[arg-type]
    page = context.new_page()
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    try:
        for path in PATHS:
            load(page, site, path)
            classes = tokens(page.evaluate("document.documentElement.className"))
            assert "no-js" in classes and "js" not in classes, f"/{path}: {classes}"
            assert not search_box_shown(page), f"/{path}: a search box that cannot search"
    finally:
        context.close()


def test_with_scripting_off_the_page_is_no_js(browser: Browser, site: LocalSite) -> None:
    context = browser.new_context(
        viewport=DESKTOP,  # type: ignore[arg-type]
        java_script_enabled=False,
        service_workers="block",
    )
    page = context.new_page()
    try:
        for path in PATHS:
            page.goto(site.url(path))
            assert page.locator("html").get_attribute("class") == "no-js", f"/{path}"
            assert not search_box_shown(page), f"/{path}: a search box that cannot search"
    finally:
        context.close()
