"""Phones and paper: no page scrolls sideways at 360 px, tap targets are big enough (axe-core,
WCAG 2.2 target size, with every other A/AA rule), and the FAQ and the clinician questions
print without the site's navigation."""

from __future__ import annotations

import pytest

from ketamine_tools.localsite import PHONE

pytestmark = pytest.mark.browser

# Elements that stick out past the right edge of the window, for a readable failure.
OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const culprits = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && getComputedStyle(el).position !== "fixed") {
      let clipped = false;  // inside a box that scrolls or clips on its own
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== "visible" && p.getBoundingClientRect().right <= width + 1) {
          clipped = true; break;
        }
      }
      if (!clipped) culprits.push(el.tagName.toLowerCase()
        + [...el.classList].map(c => "." + c).join("") + ` (right edge ${Math.round(r.right)}px)`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 5)};
}"""
# Wide tables: the box around each table scrolls sideways, and is inside the window.
TABLES_JS = """() => [...document.querySelectorAll(".md-typeset table")].map(table => {
  const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
  const style = getComputedStyle(box);
  return {
    wide: table.scrollWidth > box.clientWidth + 1,
    scrolls: ["auto", "scroll"].includes(style.overflowX),
    inside: box.getBoundingClientRect().right <= document.scrollingElement.clientWidth + 1,
    caption: (table.querySelector("th")?.innerText || "").slice(0, 30),
  };
})"""
A4 = {"width": 794, "height": 1123}  # CSS pixels of an A4 sheet at 96 dpi
PRINT_HIDDEN = {
    "urgent-help banner": ".md-banner",
    "header": ".md-header",
    "navigation sidebar": ".md-sidebar--primary",
    "breadcrumb navigation": ".md-path",
    "table of contents": ".md-sidebar--secondary",
    "search": ".md-search",
    "footer": ".md-footer",
    "back-to-top button": ".md-top",
    "edit and view-source buttons": ".md-content__button",
}
SHOWN_JS = """sel => [...document.querySelectorAll(sel)].filter(el => {
  for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === "none") return false;
  return el.getClientRects().length > 0;
}).length"""


def test_no_page_scrolls_sideways_on_a_phone(pages, tab_factory):
    tab = tab_factory("light", PHONE)
    problems: list[str] = []
    for path in pages:
        tab.goto(path)
        result = tab.page.evaluate(OVERFLOW_JS)
        if result["scrollWidth"] > result["clientWidth"]:
            problems.append(
                f"/{path}: page is {result['scrollWidth']}px wide in a {result['clientWidth']}px "
                f"window; sticking out: {', '.join(result['culprits']) or '?'}"
            )
        for table in tab.page.evaluate(TABLES_JS):
            if table["wide"] and not (table["scrolls"] and table["inside"]):
                problems.append(f"/{path}: wide table ({table['caption']!r}) does not scroll")
    assert not problems, "\n".join(problems)


def test_every_page_passes_axe_on_a_phone(pages, tab_factory, axe, axe_report):
    """At 360 px: WCAG 2.2 target size (24 x 24 px) and every other A/AA rule."""
    tab = tab_factory("light", PHONE)
    problems: list[str] = []
    for path in pages:
        tab.goto(path)
        problems += axe_report(f"/{path} [phone]", axe(tab.page))
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "must_show"),
    [("faq/", "article h1"), ("treatment/#questions-to-ask", "#questions-to-ask")],
    ids=["faq", "questions-to-ask"],
)
def test_prints_cleanly(path, must_show, tab_factory):
    """Content only: no navigation, search or footer, and nothing cut off at A4 width."""
    tab = tab_factory("light", A4)
    tab.goto(path)
    tab.page.emulate_media(media="print")
    still_shown = [name for name, sel in PRINT_HIDDEN.items() if tab.page.evaluate(SHOWN_JS, sel)]
    assert not still_shown, f"/{path} prints the {', '.join(still_shown)}"
    assert tab.page.evaluate(SHOWN_JS, must_show), f"/{path} does not print {must_show}"
    if "#" in path:  # every question of the section prints, up to the next heading
        items = tab.page.evaluate(
            """id => { let count = 0;
                       for (let el = document.getElementById(id).nextElementSibling;
                            el && !/^H[12]$/.test(el.tagName); el = el.nextElementSibling)
                         for (const li of el.querySelectorAll("li"))
                           count += li.getClientRects().length > 0;
                       return count; }""",
            path.split("#", 1)[1],
        )
        assert items >= 5, f"/{path}: only {items} questions print"
    cut = [t["caption"] for t in tab.page.evaluate(TABLES_JS) if t["wide"]]
    assert not cut, f"/{path}: tables wider than the paper (cut off in print): {cut}"
    pdf = tab.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF"), "Chromium could not print the page"
