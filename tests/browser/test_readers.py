"""What a reader in trouble, a reader who mistypes, and a reader who wants to trust or correct
a page meets in the browser:

- every crisis query (suicide, killing or hurting oneself, wanting to die, overdose,
  self-harm; plain words, slang and typos) finds "Get help now" first, and the part of it
  that fits where there is one (a country, overdose);
- a mistyped word of five or more letters still finds its page, and the reader is told
  what was searched for instead;
- the urgent-help page and the banner are there with JavaScript off, before anything else;
- each content page ends with its history, "Report a problem" and "Was this page helpful?"
  links (prefilled, no request until clicked), "Cite this page" and who checked it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ketamine_tools.localsite import PHONE

pytestmark = pytest.mark.browser

HELP = "/get-help-now/"
# (query, part of the page it must point to, or None for the page as a whole)
CRISIS_QUERIES: list[tuple[str, str | None]] = [
    ("suicide", "suicidal-thoughts"),
    ("suicidal", "suicidal-thoughts"),
    ("suicidal thoughts", None),
    ("i want to kill myself", "suicidal-thoughts"),
    ("kill myself", "suicidal-thoughts"),
    ("killing myself", "suicidal-thoughts"),
    ("how to kill yourself", None),
    ("want to die", "suicidal-thoughts"),
    ("i want to die", "suicidal-thoughts"),
    ("wanna die", "suicidal-thoughts"),
    ("i dont want to live anymore", "suicidal-thoughts"),
    ("i can't go on", "suicidal-thoughts"),
    ("end my life", "suicidal-thoughts"),
    ("end it all", "suicidal-thoughts"),
    ("better off dead", "suicidal-thoughts"),
    ("unalive", "suicidal-thoughts"),
    ("kms", "suicidal-thoughts"),
    ("overdose", "overdose"),
    ("ketamine overdose", "overdose"),
    ("took too many pills", "overdose"),
    ("OD", "overdose"),
    ("self harm", "overdose"),
    ("self-harm", "overdose"),
    ("selfharm", "overdose"),
    ("hurt myself", "overdose"),
    ("cutting myself", "overdose"),
    ("harming myself", "overdose"),
    ("crisis", None),
    ("suicide hotline", None),
    # typos
    ("sucide", "suicidal-thoughts"),
    ("suicde", "suicidal-thoughts"),
    ("suiside", "suicidal-thoughts"),
    ("kil myself", "suicidal-thoughts"),
    ("kill myslef", "suicidal-thoughts"),
    ("overdoes", "overdose"),
    ("overdoze", "overdose"),
    ("self harn", "overdose"),
    # the reader's country
    ("suicide uk", "uk-ireland"),
    ("suicide hotline usa", "us"),
    ("suicide helpline australia", "australia"),
    ("suicidal canada", "canada"),
    ("samaritans", "uk-ireland"),
    ("116 123", "uk-ireland"),
    ("988", "us"),
]
# (typed, what it means, page it must find in the top 3)
TYPOS: list[tuple[str, str, str]] = [
    ("spravto", "spravato", "/treatment/"),
    ("esketamne", "esketamine", "/treatment/"),
    ("glutamte", "glutamate", "/how-ketamine-works/"),
    ("benzodiazapines", "benzodiazepines", "/what-affects-duration/"),
    ("midazolan", "midazolam", "/research/"),
    ("bladdder", "bladder", "/safety/"),
]


@pytest.fixture(scope="module")
def search_tab(new_tab):
    tab = new_tab()
    tab.goto("")
    yield tab
    tab.close()


@pytest.mark.parametrize(("query", "section"), CRISIS_QUERIES, ids=[q for q, _ in CRISIS_QUERIES])
def test_crisis_words_find_urgent_help_first(search_tab, site_search, query, section):
    hits = site_search(search_tab.page, query)
    got = "\n  ".join(f"{h.path} (#{', #'.join(h.sections[:4])})" for h in hits[:3])
    assert hits and hits[0].path == HELP, f"{query!r}: first results are\n  {got or '(none)'}"
    if section:
        assert section in hits[0].sections, f"{query!r}: #{section} not in {hits[0].sections}"


def test_crisis_queries_report(search_tab, site_search, report_line):
    ranks = {}
    for query, _ in CRISIS_QUERIES:
        paths = [h.path for h in site_search(search_tab.page, query)]
        ranks[query] = paths.index(HELP) + 1 if HELP in paths else None
    first = sum(rank == 1 for rank in ranks.values())
    report_line(
        "crisis-ranks",
        f"crisis search: {first}/{len(ranks)} queries find Get help now at rank 1",
        ranks,
    )
    assert first == len(ranks)


@pytest.mark.parametrize(("typed", "meant", "page"), TYPOS, ids=[t for t, _, _ in TYPOS])
def test_a_typo_still_finds_its_page_and_says_what_was_searched(
    search_tab, site_search, typed, meant, page
):
    hits = site_search(search_tab.page, typed)
    paths = [h.path for h in hits]
    assert page in paths[:3], f"{typed!r}: {page} not in the top 3: {paths[:5]}"
    note = search_tab.page.locator(".search-instead")
    assert note.is_visible(), f"{typed!r}: the reader is not told what was searched instead"
    assert f"\u201c{meant}\u201d" in note.inner_text() and typed in note.inner_text()


@pytest.mark.parametrize(("typed", "page"), [("addicted", "/faq/"), ("misusing", "/safety/")])
def test_another_form_of_a_word_finds_its_page_and_is_not_called_missing(
    search_tab, site_search, typed, page
):
    """The theme's search has no stemmer: search.js asks again without the ending."""
    hits = site_search(search_tab.page, typed)
    assert page in [h.path for h in hits][:3], f"{typed!r}: {[h.path for h in hits][:5]}"
    missing = search_tab.page.locator(".md-search-result__item del").all_inner_texts()
    assert not missing, f"{typed!r}: results say the word is missing: {missing}"


def test_the_note_goes_when_the_query_is_right_again(search_tab, site_search):
    site_search(search_tab.page, "spravto")
    assert search_tab.page.locator(".search-instead").is_visible()
    assert site_search(search_tab.page, "spravato")
    assert not search_tab.page.locator(".search-instead").is_visible()


def test_a_word_that_is_on_no_page_finds_nothing_rather_than_anything(search_tab, site_search):
    assert site_search(search_tab.page, "xylophonist") == []


def test_search_words_never_reach_an_address(tab, site_search):
    """The worker answers in the browser: no request carries the query."""
    tab.goto("")
    site_search(tab.page, "kill myself")
    site_search(tab.page, "spravto")
    leaked = [u for u in tab.requests if "myself" in u or "spravto" in u]
    assert not leaked, leaked


# --- with JavaScript off ------------------------------------------------------------------


@pytest.fixture()
def no_js_page(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def test_urgent_help_and_the_banner_work_without_javascript(no_js_page, site):
    no_js_page.goto(site.url("get-help-now/"))
    banner = no_js_page.locator(".md-banner .urgent-help")
    assert banner.is_visible()
    assert "988" in banner.inner_text() and "116 123" in banner.inner_text()
    heading = no_js_page.locator("article h1")
    assert heading.is_visible() and heading.inner_text().startswith("Get help now")
    assert no_js_page.locator('article a[href="tel:988"]').first.is_visible()
    # The banner comes before everything else a reader sees: first in the page after the
    # skip link, and above the header on screen.
    order = no_js_page.evaluate(
        """() => {
          const seen = [...document.body.querySelectorAll('.md-banner, .md-header, main')];
          return seen.map(el => el.className.split(' ')[0]);
        }"""
    )
    assert order[0] == "md-banner", order
    banner_box = no_js_page.locator(".md-banner").bounding_box()
    header_box = no_js_page.locator(".md-header").bounding_box()
    assert banner_box and header_box and banner_box["y"] < header_box["y"]


# --- trust and correct each page ------------------------------------------------------------


def test_every_page_has_its_history_report_links_citation_and_reviewer(pages, tab):
    problems: list[str] = []
    for path in pages:
        tab.requests.clear()
        tab.goto(path)
        page = tab.page
        where = f"/{path}"
        for selector, what in (
            (".page-history", "its history"),
            ("a.page-feedback__report", "a 'Report a problem' link"),
            ("a.page-feedback__yes", "a 'Was this page helpful? Yes' link"),
            ("a.page-feedback__no", "a 'Was this page helpful? No' link"),
            (".cite-page__text", "'Cite this page'"),
            (".page-review__clinician", "who checked it"),
            (".page-review__evidence", "when the evidence was searched"),
        ):
            if what.startswith("when the evidence") and path.split("/")[0] in (
                "about",
                "references",
                "changes",
            ):
                continue  # no research findings on these pages (`cite_numbers: false`)
            if not page.locator(selector).first.is_visible():
                problems.append(f"{where}: no visible {what}")
        report = page.locator("a.page-feedback__report").first.get_attribute("href") or ""
        fields = parse_qs(urlsplit(report).query)
        title = page.locator("article h1").first.inner_text().strip()
        if not fields.get("page") or not fields.get("commit"):
            problems.append(f"{where}: the report link is not prefilled: {report}")
        elif not fields["page"][0].endswith(f"/{path})"):
            problems.append(f"{where}: the report link names {fields['page'][0]}")
        if title and "Cite this page" not in page.content():
            problems.append(f"{where}: no 'Cite this page' heading")
        github = [u for u in tab.requests if "github" in urlsplit(u).netloc]
        if github:
            problems.append(f"{where}: asked GitHub before any click: {github}")
    assert not problems, "\n".join(problems)


def test_the_changes_page_marks_corrections(tab):
    tab.goto("changes/")
    items = tab.page.locator("article li:has(time)")
    assert items.count() >= 1
    tags = tab.page.locator("article li .change-tag")
    if tags.count():
        tag = tags.first
        assert tag.inner_text().strip() == "Correction"
        colours = tag.evaluate(
            "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
        )
        assert colours[0] != "rgba(0, 0, 0, 0)", "a correction does not stand out"
    dates = items.evaluate_all("els => els.map(el => el.querySelector('time').dateTime)")
    assert dates == sorted(dates, reverse=True), "changes are not newest first"


# --- search.js stands aside when the search is not Material's -------------------------------

FAKE_WORKER_JS = """async ([shape, useOnMessage]) => {
  // A worker that counts the queries it gets and answers each with `shape`.
  const code = `let n = 0; onmessage = e => { n++; postMessage({ type: 3, data: ` +
    JSON.stringify(shape) + `, asked: n }); };`;
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const worker = new Worker(url);
  const got = await new Promise(resolve => {
    const take = e => resolve(e.data);
    if (useOnMessage) worker.onmessage = take; else worker.addEventListener("message", take);
    worker.postMessage({ type: 2, data: "suicide" });
  });
  await new Promise(r => setTimeout(r, 300));
  worker.terminate();
  return got;
}"""
OTHER_SHAPES = [
    # Zensical 0.0.x: numbered documents and pagination, not Material's groups
    {"items": [{"id": 169, "matches": []}], "pagination": {}},
    {"items": "not a list"},
    {"results": []},
]


@pytest.mark.parametrize("shape", OTHER_SHAPES, ids=["zensical", "odd-items", "no-items"])
def test_an_answer_of_another_shape_passes_through_unchanged(tab, shape):
    tab.goto("")
    got = tab.page.evaluate(FAKE_WORKER_JS, [shape, False])
    assert got == {"type": 3, "data": shape, "asked": 1}


def test_a_page_listening_with_onmessage_gets_the_answer_as_it_is(tab):
    """No extra questions when something reads the worker without addEventListener."""
    shape = {"items": []}
    tab.goto("")
    got = tab.page.evaluate(FAKE_WORKER_JS, [shape, True])
    assert got == {"type": 3, "data": shape, "asked": 1}
