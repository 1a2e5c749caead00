"""Phones and paper: no page scrolls sideways at 360 px, tap targets are big enough (axe-core,
WCAG 2.2 target size, with every other A/AA rule), and the FAQ and the clinician questions
print without the site's navigation."""

from __future__ import annotations

import pytest

from ketamine_tools.localsite import DESKTOP, PHONE

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
# Wide tables: the box around each table scrolls sideways, and is inside the window. Tables
# are drawn only near the screen (content-visibility, site.css), so each is first scrolled to,
# as a reader would, and measured once drawn.
TABLES_JS = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const found = [];
  for (const table of document.querySelectorAll(".md-typeset table")) {
    table.scrollIntoView();
    await frame();
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    const style = getComputedStyle(box);
    found.push({
      wide: table.scrollWidth > box.clientWidth + 1,
      scrolls: ["auto", "scroll"].includes(style.overflowX),
      inside: box.getBoundingClientRect().right <= document.scrollingElement.clientWidth + 1,
      drawn: table.getBoundingClientRect().width > 8,
      caption: (table.querySelector("th")?.innerText || "").slice(0, 30),
    });
  }
  window.scrollTo(0, 0);
  return found;
}"""
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
            if not table["drawn"]:
                problems.append(f"/{path}: table ({table['caption']!r}) not drawn on screen")
            elif table["wide"] and not (table["scrolls"] and table["inside"]):
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


def test_long_blocks_are_drawn_when_they_come_near_the_screen(tab_factory):
    """The research page's table, evidence map and list of sources wait off screen (the page's
    speed, issue 15) and are there, drawn, as soon as a reader scrolls to them."""
    tab = tab_factory("light", PHONE)
    state = """sel => {
      const el = document.querySelector(sel);
      const box = el.getBoundingClientRect();
      return {skipped: getComputedStyle(el).contentVisibility === "auto"
                       && box.bottom > innerHeight * 2,
              text: el.innerText.length};
    }"""
    blocks = [
        ("research/", ".md-typeset table"),
        ("research/", ".md-typeset .evidence-map"),
        ("research/", ".md-typeset .footnote"),
        ("references/", ".md-typeset .bib-group:last-of-type"),
    ]
    for path, selector in blocks:
        tab.goto(path)
        before = tab.page.evaluate(state, selector)
        assert before["skipped"] and before["text"] == 0, f"{selector} drawn off screen: {before}"
        tab.page.locator(selector).first.scroll_into_view_if_needed()
        # innerText is the text as drawn: empty while the block waits off screen.
        tab.page.wait_for_function(
            "sel => document.querySelector(sel).innerText.length > 100", arg=selector
        )


# The list of sources keeps a space until it is drawn, sized from its text (site.css). Text
# that would lie below a space too short for it was judged by Lighthouse's accessibility audit
# against the boxes under it (false contrast failures on 7-11 pages), so the space must be at
# least the list's drawn height; and not far more, or the page's scroll bar lies.
SOURCES_JS = """async () => {
  const lists = [...document.querySelectorAll(".md-typeset .footnote, .md-typeset .bib-group")];
  const sizes = [];
  for (const list of lists) {
    const kept = list.getBoundingClientRect().height;
    list.scrollIntoView();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    sizes.push({name: list.className, kept, drawn: list.getBoundingClientRect().height});
  }
  return sizes.length ? sizes : null;
}"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_space_kept_for_the_sources_fits_them(viewport, pages, tab_factory):
    tab = tab_factory("light", PHONE if viewport == "phone" else DESKTOP)
    problems, measured = [], 0
    for path in pages:
        tab.goto(path)
        sizes = tab.page.evaluate(SOURCES_JS)
        if sizes is None:
            continue
        measured += 1
        for size in sizes:
            kept, drawn = size["kept"], size["drawn"]
            if not drawn <= kept <= 2 * drawn + 200:
                problems.append(
                    f"/{path}: a list of sources keeps {kept:.0f} px until drawn and takes "
                    f"{drawn:.0f} px; adjust the factors of `.md-typeset .{size['name']}` in "
                    "site.css"
                )
    assert measured >= 11, f"only {measured} pages have a list of sources"
    assert not problems, "\n".join(problems)


# A list's numbers are drawn outside its items, to their left. A box that clips what it
# draws (content-visibility: auto keeps paint within its padding box, as does overflow other
# than visible) cut "12." to "2." in the list of sources, which the tests above never saw.
NUMBERS_JS = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const ctx = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const ol of document.querySelectorAll(".md-typeset ol")) {
    const items = [...ol.children].filter(li => li.tagName === "LI");
    if (!items.length || getComputedStyle(ol).listStyleType === "none") continue;
    const last = items[items.length - 1];
    last.scrollIntoView();
    await frame();
    let edge = -Infinity;
    for (let p = ol; p && !p.matches("article"); p = p.parentElement) {
      const s = getComputedStyle(p);
      const clips = s.contentVisibility === "auto" || s.overflowX !== "visible"
        || /paint|strict|content/.test(s.contain);
      if (clips) edge = Math.max(edge, p.getBoundingClientRect().left + p.clientLeft);
    }
    if (edge === -Infinity) continue;
    const marker = getComputedStyle(last, "::marker");
    ctx.font = marker.font || getComputedStyle(last).font;
    const start = Number(ol.getAttribute("start") || 1);
    const number = `${start + items.length - 1}. `;  // the marker ends with a space
    const room = last.getBoundingClientRect().left - edge;
    const needs = ctx.measureText(number).width;
    if (room < needs) {
      const box = ol.parentElement;
      const name = box.tagName.toLowerCase() + [...box.classList].map(c => "." + c).join("");
      cut.push(`${number.trim()} needs ${needs.toFixed(0)}px, has ${room.toFixed(0)} (in ${name})`);
    }
  }
  window.scrollTo(0, 0);
  return cut;
}"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_list_numbers_are_not_cut_off(viewport, pages, tab_factory):
    tab = tab_factory("light", PHONE if viewport == "phone" else DESKTOP)
    problems = []
    for path in pages:
        tab.goto(path)
        problems += [f"/{path}: {cut}" for cut in tab.page.evaluate(NUMBERS_JS)]
    assert not problems, (
        "numbers of a list lie outside the box that draws them; give that box room on its "
        "left (site.css):\n" + "\n".join(problems)
    )
