"""Tooltips: hovering or focusing a citation number shows the reference it points to, and
hovering an abbreviation shows what it stands for.

One shared popup serves a whole page (script in overrides/main.html). Material's
`content.footnote.tooltips` and `content.tooltips` set up a component for each citation and
titled element on page load, which cost the mobile performance budget (see `make bench`).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ketamine_tools.localsite import DESKTOP, PHONE

pytestmark = pytest.mark.browser

CITATION = "sup a.footnote-ref"
# Tooltips that are on screen, by their text.
SHOWN_TIPS_JS = """() => [...document.querySelectorAll('.site-tooltip')]
  .filter(t => { const s = getComputedStyle(t);
                 return s.display !== 'none' && s.visibility === 'visible' && +s.opacity === 1; })
  .map(t => t.innerText.replace(/\\s+/g, ' ').trim())"""
SHOWS_JS = f"text => ({SHOWN_TIPS_JS})().some(tip => tip.includes(text))"
NONE_SHOWN_JS = f"({SHOWN_TIPS_JS})().length === 0"
MAX_TABS = 400


def footnote_pages(site_dir, pages) -> list[str]:
    def has_refs(path: str) -> bool:
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "lxml").select_one(CITATION) is not None

    return [path for path in pages if has_refs(path)]


def reference_of(tab, index: int = 0) -> tuple[str, str]:
    """(href of the page's `index`-th citation, the text of the reference it points to)."""
    href = tab.page.locator(CITATION).nth(index).get_attribute("href")
    text = tab.page.evaluate(
        """id => { const li = document.getElementById(id).cloneNode(true);
                   li.querySelectorAll('.footnote-backref').forEach(a => a.remove());
                   return li.textContent.replace(/\\s+/g, ' ').trim(); }""",
        href.lstrip("#"),
    )
    return href, text


def wait_shown(tab, reference: str, what: str) -> None:
    try:
        tab.page.wait_for_function(SHOWS_JS, arg=reference[:60], timeout=3000)
    except PlaywrightTimeoutError:
        shown = tab.page.evaluate(SHOWN_TIPS_JS)
        pytest.fail(f"{what} shows {shown}, not {reference[:60]!r}")


def tab_to(tab, href: str) -> None:
    for _ in range(MAX_TABS):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(
            "href => document.activeElement?.matches(`sup a.footnote-ref[href='${href}']`)", href
        ):
            return
    pytest.fail(f"{tab.path}: Tab never reached the citation {href}")


def test_citations_show_the_reference_on_hover(site_dir, pages, tab):
    pages_with_refs = footnote_pages(site_dir, pages)
    assert len(pages_with_refs) >= 5, f"only {pages_with_refs} cite sources"
    problems = []
    for path in pages_with_refs:
        tab.goto(path)
        href, reference = reference_of(tab)
        tab.page.locator(CITATION).first.hover()
        try:
            tab.page.wait_for_function(SHOWS_JS, arg=reference[:60], timeout=3000)
        except PlaywrightTimeoutError:
            shown = tab.page.evaluate(SHOWN_TIPS_JS)
            problems.append(f"/{path}: hovering {href} shows {shown}, not {reference[:60]!r}")
        tab.page.mouse.move(0, 0)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["", "research/", "safety/"])
def test_citations_show_the_reference_on_keyboard_focus(path, tab):
    tab.goto(path)
    href, reference = reference_of(tab)
    tab_to(tab, href)
    wait_shown(tab, reference, f"/{path}: focusing {href}")
    # Screen readers read the reference as the link's description.
    described = tab.page.evaluate(
        """() => { const id = document.activeElement.getAttribute('aria-describedby');
                   const tip = id && document.getElementById(id);
                   return tip ? tip.textContent : ''; }"""
    )
    assert reference[:60] in described, f"/{path}: the focused citation is not described by it"
    # WCAG 1.4.13: what appears on focus can be dismissed without moving the focus.
    tab.page.keyboard.press("Escape")
    tab.page.wait_for_function(NONE_SHOWN_JS, timeout=3000)
    assert tab.page.evaluate("document.activeElement.matches('a.footnote-ref')")
    # Moving on hides it (or shows the next citation's) and leaves no stale description.
    tab.page.keyboard.press("Tab")
    state = tab.page.evaluate(
        """() => ({ onCitation: document.activeElement.matches('a.footnote-ref'),
                    described: document.querySelectorAll('[aria-describedby="site-tooltip"]')
                      .length })"""
    )
    assert state["described"] == (1 if state["onCitation"] else 0), state
    if not state["onCitation"]:
        assert tab.page.evaluate(NONE_SHOWN_JS), f"/{path}: the tooltip outlived the focus"


def test_the_pointer_can_move_onto_the_tooltip_and_away(tab):
    """WCAG 1.4.13 (hoverable): the reference stays while the pointer moves onto it to read or
    select it, and goes when the pointer leaves."""
    tab.goto("research/")
    href, reference = reference_of(tab)
    tab.page.locator(CITATION).first.hover()
    wait_shown(tab, reference, f"/research/: hovering {href}")
    tip = tab.page.locator(".site-tooltip").bounding_box()
    assert tip, "no tooltip box"
    tab.page.mouse.move(tip["x"] + tip["width"] / 2, tip["y"] + tip["height"] / 2, steps=8)
    tab.page.wait_for_timeout(600)  # longer than the hide delay
    assert any(reference[:60] in t for t in tab.page.evaluate(SHOWN_TIPS_JS)), (
        "the tooltip vanished while the pointer was on it"
    )
    tab.page.mouse.move(5, 5, steps=4)
    tab.page.wait_for_function(NONE_SHOWN_JS, timeout=3000)


def test_one_shared_tooltip_for_every_citation(tab):
    """Hovering many citations reuses one popup and adds nothing else: no copy of the
    reference on load, and no per-citation tooltips (Material's footnote tooltips, were they
    switched back on, would add one for each citation hovered)."""
    tab.goto("research/")
    _, reference = reference_of(tab)
    count_js = "text => document.body.textContent.split(text).length - 1"
    assert tab.page.evaluate(count_js, reference[:60]) == 1, "a copy of the reference on load"
    total = tab.page.locator(CITATION).count()
    assert total >= 20, f"research cites only {total} times"
    theme_tips = "document.querySelectorAll('.md-tooltip2').length"
    before = tab.page.evaluate(theme_tips)
    for index in range(0, total, max(1, total // 6)):
        tab.page.locator(CITATION).nth(index).hover()
    assert tab.page.locator(".site-tooltip").count() == 1
    assert tab.page.evaluate(theme_tips) == before, "the theme made tooltips for citations"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tooltip_fits_a_phone_screen_and_passes_axe(scheme, tab_factory, axe, axe_report):
    """Near the right edge of a 360-pixel phone the tooltip stays on screen, and its colours
    pass axe-core's contrast rules in both palettes."""
    tab = tab_factory(scheme, PHONE)
    tab.goto("research/")
    links = tab.page.locator(CITATION)
    rightmost = max(
        range(min(links.count(), 40)), key=lambda i: (links.nth(i).bounding_box() or {"x": 0})["x"]
    )
    href, reference = reference_of(tab, rightmost)
    links.nth(rightmost).focus()
    wait_shown(tab, reference, f"/research/ ({scheme}, phone): focusing {href}")
    box = tab.page.locator(".site-tooltip").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"tooltip at x={box and box['x']}, width {box and box['width']}: off a 360 px screen"
    )
    assert not tab.page.evaluate("document.documentElement.scrollWidth > innerWidth")
    violations = [v for v in axe(tab.page) if "color-contrast" in v["id"]]
    assert not violations, "\n".join(axe_report(f"/research/ ({scheme})", violations))


def test_abbreviations_show_what_they_stand_for(site_dir, pages, tab):
    """Each page's abbreviations: the expansion on hover, without the browser's own title
    tooltip on top, and the title back on the element afterwards (screen readers, print)."""
    checked = 0
    problems = []
    for path in pages:
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        abbr = BeautifulSoup(html, "lxml").select_one("article abbr[title]")
        if abbr is None:
            continue
        tab.goto(path)
        # A handle, not a locator: the title (which a locator would match on) comes and goes.
        element = tab.page.locator("article abbr[title]").first.element_handle()
        expansion = element.get_attribute("title") or ""
        element.hover()
        try:
            tab.page.wait_for_function(SHOWS_JS, arg=expansion[:60], timeout=3000)
        except PlaywrightTimeoutError:
            problems.append(
                f"/{path}: hovering {abbr.text!r} shows {tab.page.evaluate(SHOWN_TIPS_JS)}"
            )
            continue
        if element.get_attribute("title") is not None:
            problems.append(f"/{path}: {abbr.text!r} keeps its title: two tooltips at once")
        tab.page.mouse.move(5, 5, steps=4)
        tab.page.wait_for_function(NONE_SHOWN_JS, timeout=3000)
        if element.get_attribute("title") != expansion:
            problems.append(f"/{path}: {abbr.text!r} lost its title after the tooltip")
        checked += 1
    assert checked >= 5, f"only {checked} pages have abbreviations"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_citation_number_jumps_to_its_source_and_back(viewport, tab_factory):
    """A reader who follows a citation number lands on the source, and its "Jump back"
    link returns them to where they were reading."""
    tab = tab_factory("light", PHONE if viewport == "phone" else DESKTOP)
    tab.goto("research/")
    link = tab.page.locator(CITATION).nth(5)
    target = (link.get_attribute("href") or "").lstrip("#")
    link.click()
    tab.page.wait_for_function("id => location.hash === '#' + id", arg=target)
    in_view = """id => { const r = document.getElementById(id).getBoundingClientRect();
                         return r.height > 0 && r.top >= 0 && r.top < innerHeight; }"""
    tab.page.wait_for_function(in_view, arg=target, timeout=3000)
    back = tab.page.locator(f"[id='{target}'] a.footnote-backref").first
    back.click()
    back_to = (back.get_attribute("href") or "").lstrip("#")
    tab.page.wait_for_function(in_view, arg=back_to, timeout=3000)
