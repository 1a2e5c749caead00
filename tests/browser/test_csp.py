"""The Content Security Policy in a real browser: the clean site breaks none of it, and a
script planted in a page is blocked even if it got past every other check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ketamine_tools.localsite import LocalSite

pytestmark = pytest.mark.browser

WATCH_JS = """(() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", event => {
    window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
      + " " + (event.sample || ""));
  });
})();"""


def violations(browser: Browser, site: LocalSite, paths: list[str], act: bool = False) -> list[str]:
    context = browser.new_context(service_workers="block")
    context.add_init_script(WATCH_JS)
    page = context.new_page()
    found: list[str] = []
    try:
        for path in paths:
            page.goto(site.url(path))
            page.wait_for_load_state("load")
            if act:
                # Search, the tooltip and the colour toggle: everything our scripts do.
                page.keyboard.press("/")
                page.keyboard.type("esketamine")
                page.wait_for_selector(".md-search-result__item", timeout=10_000)
                page.keyboard.press("Escape")
                ref = page.locator("a.footnote-ref").first
                if ref.count():
                    ref.hover()
                    page.wait_for_selector("#site-tooltip:not([hidden])", timeout=5_000)
                page.locator('[data-md-component="palette"] label:visible').first.click()
            page.wait_for_timeout(100)
            found += [f"/{path}: {v}" for v in page.evaluate("window.__violations")]
    finally:
        context.close()
    return found


def test_every_page_loads_without_a_policy_violation(
    browser: Browser, site: LocalSite, pages: list[str]
) -> None:
    assert violations(browser, site, pages) == []


def test_search_tooltips_and_palette_work_under_the_policy(
    browser: Browser, site: LocalSite
) -> None:
    assert violations(browser, site, ["", "research/", "faq/", "get-help-now/"], act=True) == []


def test_zensical_build_loads_without_a_policy_violation(
    browser: Browser, zensical_site: LocalSite
) -> None:
    """Zensical adds a <style> to its search dialog; its hash is in theme_scripts.json."""
    paths = zensical_site.page_paths()
    assert violations(browser, zensical_site, paths) == []


def test_a_planted_script_is_blocked(browser: Browser, site: LocalSite, site_dir: Path) -> None:
    """Even a script that got past the build and the gate does not run."""
    planted = site_dir / "planted-test" / "index.html"
    planted.parent.mkdir(exist_ok=True)
    html = (site_dir / "faq" / "index.html").read_text(encoding="utf-8")
    html = html.replace(
        "</article>",
        '<script>window.__ran = 1</script><img src="x.png" alt="" onerror="window.__ran2 = 1">'
        '<a id="js" href="javascript:window.__ran3 = 1">x</a></article>',
    )
    planted.write_text(html.replace('href="../', 'href="../'), encoding="utf-8")
    context = browser.new_context(service_workers="block")
    context.add_init_script(WATCH_JS)
    page = context.new_page()
    try:
        page.goto(site.url("planted-test/"))
        page.wait_for_load_state("load")
        page.click("#js")
        page.wait_for_timeout(200)
        ran = page.evaluate("[window.__ran, window.__ran2, window.__ran3]")
        seen = page.evaluate("window.__violations")
    finally:
        context.close()
        shutil.rmtree(planted.parent)
    assert ran == [None, None, None]
    assert len(seen) >= 3, seen
