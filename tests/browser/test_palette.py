"""Light and dark: the palette follows the reader's system, the toggle works by mouse and
keyboard and is remembered, and loading a page does not restyle it twice.

Material marks <body> `data-md-color-switching` while it applies a palette (a CSS rule then
stops every element's transitions), which restyles the whole page; overrides/main.html keeps
that mark for real switches, not page loads (see `make bench`).
"""

from __future__ import annotations

import pytest

from ketamine_tools.localsite import SCHEMES

pytestmark = pytest.mark.browser

# Every time <body> gains the switching mark, from the first byte of the page.
RECORD_SWITCHING_JS = """(() => {
  window.__switching = 0;
  new MutationObserver(records => {
    for (const r of records)
      if (r.target === document.body && document.body.hasAttribute('data-md-color-switching'))
        window.__switching++;
  }).observe(document, { attributes: true, subtree: true,
                         attributeFilter: ['data-md-color-switching'] });
})();"""
SCHEME_JS = "document.body.getAttribute('data-md-color-scheme')"
TOGGLE = 'form[data-md-component="palette"] label:not([hidden])'


def settled(tab) -> None:
    """After the palette is applied and the frame after it has run."""
    tab.page.wait_for_load_state("load")
    tab.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_load_follows_the_system_without_a_switch(scheme, tab_factory):
    tab = tab_factory(scheme)
    tab.context.add_init_script(RECORD_SWITCHING_JS)
    for path in ["", "research/"]:
        tab.goto(path)
        settled(tab)
        assert tab.page.evaluate(SCHEME_JS) == SCHEMES[scheme]
        assert tab.page.evaluate("window.__switching") == 0, (
            f"/{path}: loading the page marked <body> as switching palettes (a full restyle)"
        )


def test_toggle_switches_by_mouse_and_keyboard_and_is_remembered(tab):
    tab.context.add_init_script(RECORD_SWITCHING_JS)
    tab.goto("faq/")
    settled(tab)
    assert tab.page.evaluate(SCHEME_JS) == SCHEMES["light"]

    tab.page.locator(TOGGLE).click()
    tab.page.wait_for_function(f"{SCHEME_JS} === 'slate'")
    # A real switch still stops transitions while the colours change, and then lets go.
    assert tab.page.evaluate("window.__switching") >= 1, "a switch ran with transitions on"
    tab.page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")

    # Keyboard: the toggle's radio button takes Enter.
    tab.page.locator('form[data-md-component="palette"] input:checked').focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(f"{SCHEME_JS} === 'default'")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(f"{SCHEME_JS} === 'slate'")

    # The choice outlives the page, and the next page loads in it without a switch.
    tab.page.goto(tab.site.url("research/"))  # not tab.goto: that waits for the system's palette
    settled(tab)
    assert tab.page.evaluate(SCHEME_JS) == "slate"
    assert tab.page.evaluate("window.__switching") == 0
