"""Accessibility in a real browser: axe-core (every default rule, best practices included) on
every page in both palettes, with search open and with a tooltip showing, and the
keyboard (search with "/" and the arrow keys, visible focus, the skip link)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ketamine_tools.localsite import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Where the focused element is, what it is, and whether a reader can see that it has focus:
# an outline or a box shadow on it (or, for Material's zero-size palette radios, on the
# visible label that stands in for them).
FOCUS_JS = """() => {
  const active = document.activeElement;
  if (!active || active === document.body) return null;
  let el = active;
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) {
    const label = [...(el.parentElement?.children ?? [])].find(c => c.tagName === "LABEL"
      && c.getBoundingClientRect().width > 0);
    if (label) el = label;
  }
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const transparent = c => /^rgba\\(.*,\\s*0\\)$/.test(c) || c === "transparent";
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
    && !transparent(s.outlineColor);
  const shadow = s.boxShadow !== "none" && s.boxShadow !== "";
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].filter(c => c !== "focus-visible").map(c => "." + c).join("");
  return {
    name, text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40),
    visible: outline || shadow, sized: r.width > 0 && r.height > 0,
    style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; `
      + `box-shadow: ${s.boxShadow}`,
    inContent: !!active.closest(".md-content"),
    href: active.getAttribute("href"),
  };
}"""
MAX_TABS = 600


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_every_page(scheme, pages, tab_factory, axe, axe_report):
    tab = tab_factory(scheme)
    problems: list[str] = []
    for path in pages:
        tab.goto(path)
        problems += axe_report(f"/{path} [{scheme}]", axe(tab.page))
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_search_results_open(scheme, tab_factory, axe, axe_report, site_search):
    """The search dialog, its results and their highlighting pass too."""
    tab = tab_factory(scheme)
    tab.goto("")
    assert site_search(tab.page, "esketamine"), "no results to check"
    problems = axe_report(f"/ with search open [{scheme}]", axe(tab.page))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_a_corrected_search_and_a_citation_tooltip(
    scheme, tab_factory, axe, axe_report, site_search
):
    """The "showing results for" note, and the shared tooltip of a citation, pass too."""
    tab = tab_factory(scheme)
    tab.goto("")
    assert site_search(tab.page, "spravto"), "no results for a mistyped word"
    assert tab.page.locator(".search-instead").is_visible()
    problems = axe_report(f"/ with a corrected search [{scheme}]", axe(tab.page))
    tab.goto("research/")
    tab.page.locator("a.footnote-ref").first.focus()
    tab.page.locator("#site-tooltip").wait_for(state="visible")
    problems += axe_report(f"/research/ with a tooltip [{scheme}]", axe(tab.page))
    assert not problems, "\n".join(problems)


def test_search_opens_with_slash_and_results_work_with_arrow_keys(tab, site_search):
    tab.goto("faq/")
    tab.page.locator("body").press("/")
    # Material opens the search a moment after the key (its handlers are asynchronous):
    # wait for it, rather than assert at once, or a busy machine fails the test.
    try:
        tab.page.wait_for_function(
            "document.getElementById('__search').checked && "
            "document.activeElement.matches('.md-search__input')",
            timeout=5000,
        )
    except PlaywrightTimeoutError:
        pytest.fail('"/" did not open the search and put the cursor in its box')
    hits = site_search(tab.page, "esketamine")
    assert hits, "no results for 'esketamine'"

    tab.page.keyboard.press("ArrowDown")
    first = tab.page.evaluate(FOCUS_JS)
    assert first and "md-search-result__link" in first["name"], f"ArrowDown focused {first}"
    assert first["visible"], f"focused search result shows no focus: {first['style']}"
    tab.page.keyboard.press("ArrowDown")
    second = tab.page.evaluate(FOCUS_JS)
    assert second and second["href"] != first["href"], "ArrowDown did not move on"
    tab.page.keyboard.press("ArrowUp")
    assert tab.page.evaluate(FOCUS_JS)["href"] == first["href"], "ArrowUp did not move back"

    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    expected = urlsplit(first["href"]).path
    assert tab.path == expected, f"Enter went to {tab.page.url}, not {first['href']}"


@pytest.mark.parametrize(
    ("path", "scheme", "viewport"),
    [
        ("", "light", DESKTOP),
        ("treatment/", "light", DESKTOP),
        ("research/", "dark", DESKTOP),
        ("faq/", "light", PHONE),
    ],
    ids=["home-light-desktop", "treatment-light-desktop", "research-dark-desktop", "faq-phone"],
)
def test_focus_is_always_visible(path, scheme, viewport, tab_factory):
    """Tab through the whole page: every stop shows where the focus is."""
    tab = tab_factory(scheme, viewport)
    tab.goto(path)
    seen: dict[str, str] = {}
    stops = 0
    first_href = None
    for _ in range(MAX_TABS):
        tab.page.keyboard.press("Tab")
        focus = tab.page.evaluate(FOCUS_JS)
        if focus is None:  # back at the document: the walk is complete
            break
        key = f"{focus['name']} {focus['href']}"
        if stops and key == first_href:
            break
        first_href = first_href or key
        stops += 1
        if not (focus["visible"] and focus["sized"]):
            seen.setdefault(focus["name"], f"{focus['text']!r} ({focus['style']})")
    assert stops > 10, f"only {stops} focus stops on /{path}"
    assert not seen, f"/{path}: focus not visible on:\n" + "\n".join(
        f"  {name}: {why}" for name, why in seen.items()
    )


def test_skip_link_moves_to_the_content(tab):
    tab.goto("faq/")
    tab.page.keyboard.press("Tab")
    focus = tab.page.evaluate(FOCUS_JS)
    assert focus and "md-skip" in focus["name"], f"first Tab stop is {focus}, not the skip link"
    assert focus["text"] == "Skip to content"
    skip = tab.page.locator("a.md-skip")
    tab.page.wait_for_function("getComputedStyle(document.querySelector('.md-skip')).opacity == 1")
    assert skip.is_visible() and focus["visible"], "the skip link does not show when focused"

    tab.page.keyboard.press("Enter")
    target = focus["href"].lstrip("#")
    tab.page.wait_for_function("id => location.hash === '#' + id", arg=target)
    top = tab.page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target)
    assert 0 <= top < 200, f"#{target} is not at the top of the window after the skip ({top}px)"
    tab.page.keyboard.press("Tab")
    after = tab.page.evaluate(FOCUS_JS)
    assert after and after["inContent"], f"Tab after the skip link went to {after}, not content"
