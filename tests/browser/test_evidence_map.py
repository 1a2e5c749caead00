"""The evidence map and the certainty labels in a real browser: axe-core in both palettes, the
phone layout (the map scrolls in its own box, the page does not), keyboard focus on its rows,
and the certainty tooltip on focus and tap.

The map is drawn on the research page where it has the `[evidence-map]` line. So that these
tests do not depend on where the page puts it, they build a copy of the site whose research
page is sure to have it (added at the end when the page does not have it yet).
"""

from __future__ import annotations

import pytest

from _support import ROOT
from ketamine_tools.localsite import DESKTOP, PHONE, LocalSite

pytestmark = pytest.mark.browser

MARKER = "[evidence-map]"


@pytest.fixture(scope="module")
def map_site(site: LocalSite) -> LocalSite:
    """The session's build: the research page carries the map (a test below makes sure)."""
    assert MARKER in (ROOT / "docs" / "research.md").read_text(encoding="utf-8").splitlines()
    return site


@pytest.fixture()
def map_tab(tab_factory, map_site):  # type: ignore[no-untyped-def]
    def make(scheme: str = "light", viewport: dict[str, int] = DESKTOP):  # type: ignore[no-untyped-def]
        tab = tab_factory(scheme, viewport)
        tab.site = map_site
        tab.goto("research/")
        return tab

    return make


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_on_the_map(map_tab, axe, axe_report, scheme, viewport) -> None:  # type: ignore[no-untyped-def]
    tab = map_tab(scheme, viewport)
    assert tab.page.locator("#evidence-map .evidence-map__svg a.em-row:visible").count() >= 20
    problems = axe_report(f"/research/ [{scheme}]", axe(tab.page))
    assert not problems, "\n".join(problems)


def test_map_fits_a_phone(map_tab) -> None:  # type: ignore[no-untyped-def]
    tab = map_tab("light", PHONE)
    sizes = tab.page.evaluate(
        """() => {
          const box = document.querySelector('.evidence-map__scroll');
          const shown = [...box.querySelectorAll('svg')].filter(s => s.getClientRects().length);
          return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                  box: box.clientWidth, inner: box.scrollWidth,
                  shown: shown.map(s => s.getAttribute('class'))};
        }"""
    )
    assert sizes["page"] <= sizes["view"], sizes  # the page never scrolls sideways
    assert sizes["shown"] == ["evidence-map__svg evidence-map__svg--narrow"], sizes
    assert sizes["inner"] <= sizes["box"] + 1, sizes  # names above the rows: nothing to scroll


def test_map_scrolls_in_its_own_box_when_squeezed(map_tab) -> None:  # type: ignore[no-untyped-def]
    # Just above the phone breakpoint, between the side bars, the wide drawing keeps its size.
    tab = map_tab("light", {"width": 740, "height": 800})
    sizes = tab.page.evaluate(
        """() => {
          const box = document.querySelector('.evidence-map__scroll');
          return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                  box: box.clientWidth, inner: box.scrollWidth};
        }"""
    )
    assert sizes["page"] <= sizes["view"], sizes
    assert sizes["inner"] >= sizes["box"], sizes


def test_rows_take_keyboard_focus_and_show_it(map_tab) -> None:  # type: ignore[no-untyped-def]
    tab = map_tab("light", DESKTOP)
    row = tab.page.locator("#evidence-map a.em-row").first
    row.focus()
    state = tab.page.evaluate(
        """() => {
          const a = document.activeElement;
          const s = getComputedStyle(a);
          return {cls: a.getAttribute('class'), href: a.getAttribute('href'),
                  outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                  target: !!document.getElementById(a.getAttribute('href').slice(1))};
        }"""
    )
    assert "em-row" in state["cls"].split() and state["outline"], state
    assert state["target"], f"{state['href']} is not on the page"


def test_map_needs_no_script(map_site, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(map_site.url("research/"))
        assert page.locator("#evidence-map .evidence-map__svg--wide a.em-row").count() >= 20
        box = page.locator("#evidence-map .evidence-map__svg--wide").bounding_box()
        assert box is not None and box["height"] > 400
    finally:
        context.close()


@pytest.mark.parametrize("how", ["focus", "tap"])
def test_certainty_label_explains_itself(map_tab, how) -> None:  # type: ignore[no-untyped-def]
    tab = map_tab("light", PHONE if how == "tap" else DESKTOP)
    label = tab.page.locator(".certainty").first
    if label.count() == 0:
        pytest.fail("no certainty label on the research page: add the levels to the claims")
    if how == "focus":
        label.focus()
    else:
        label.scroll_into_view_if_needed()
        label.dispatch_event("click")
    tip = tab.page.locator("#site-tooltip")
    tip.wait_for(state="visible")
    words = tip.inner_text()
    assert "certainty" in words and ":" in words, words
