"""Readers' own words find the right page: every query of tests/search_queries.yml is typed
into Material's search box, and its page must be among the first 3 results."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from ketamine_tools import queries
from ketamine_tools.queries import Query

pytestmark = pytest.mark.browser

TOP = 3


@dataclass(frozen=True)
class Outcome:
    rank: int | None  # 1-based position of the expected page, None if not listed
    section_found: bool
    top: list[str]  # the first results, as "path (#sections)"


QUERIES = queries.load()


@pytest.fixture(scope="module")
def outcomes(new_tab, site_search, report_line) -> dict[str, Outcome]:
    """Every query, typed into one search box (one page for all queries keeps this fast)."""
    tab = new_tab()
    tab.goto("")
    results: dict[str, Outcome] = {}
    try:
        for q in QUERIES:
            hits = site_search(tab.page, q.query)
            paths = [hit.path for hit in hits]
            ranks = [paths.index(page) + 1 for page in q.pages if page in paths]
            rank = min(ranks, default=None)
            sections = hits[rank - 1].sections if rank else ()
            results[q.query] = Outcome(
                rank,
                q.section is None or q.section in sections,
                [f"{h.path} (#{', #'.join(h.sections[:4])})" for h in hits[:5]],
            )
    finally:
        tab.close()

    at_1 = sum(o.rank == 1 for o in results.values())
    in_top = sum(o.rank is not None and o.rank <= TOP for o in results.values())
    total = len(results)
    report_line(
        "search-ranks",
        f"search: {at_1}/{total} queries ({at_1 / total:.0%}) find their page at rank 1, "
        f"{in_top}/{total} ({in_top / total:.0%}) in the top {TOP}",
        {
            "rank_1_share": round(at_1 / total, 3),
            "top_3_share": round(in_top / total, 3),
            "queries": total,
            "results": {
                q.query: {
                    "expected": q.page + (f"#{q.section}" if q.section else ""),
                    "rank": results[q.query].rank,
                    "section_found": results[q.query].section_found,
                    "top": results[q.query].top,
                }
                for q in QUERIES
            },
        },
    )
    return results


def test_query_file(pages, site_dir):
    """At least 40 distinct queries, each naming a page (and section) that exists."""
    assert len(QUERIES) >= 40, f"{queries.QUERIES_FILE.name} has {len(QUERIES)} queries, want 40+"
    words = [q.query.lower() for q in QUERIES]
    assert len(words) == len(set(words)), "duplicate queries"
    known = {"/" + path for path in pages}
    problems = []
    for q in QUERIES:
        for page in q.pages:
            if page not in known:
                problems.append(f"{q.query!r}: no page {page} in sitemap.xml")
                continue
            if q.section:
                html = (site_dir / page.strip("/") / "index.html").read_text(encoding="utf-8")
                if BeautifulSoup(html, "lxml").find(id=q.section) is None:
                    problems.append(f"{q.query!r}: {page} has no #{q.section}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("q", QUERIES, ids=[q.query for q in QUERIES])
def test_query_finds_its_page(q: Query, outcomes: dict[str, Outcome]):
    outcome = outcomes[q.query]
    got = "\n  ".join(outcome.top) or "(no results)"
    where = "not listed" if outcome.rank is None else f"at rank {outcome.rank}"
    in_top = outcome.rank is not None and outcome.rank <= TOP
    assert in_top, f"search {q.query!r}: {q.page} is {where}; first results:\n  {got}"
    section_ok = outcome.section_found
    assert section_ok, (
        f"search {q.query!r}: {q.page} is {where}, but not its section #{q.section}; "
        f"first results:\n  {got}"
    )


# --- the search index: fetched when a reader searches, not on every page view ---------------

INDEX = "/search/search_index.json"


def index_requests(tab) -> list[str]:
    return [url for url in tab.requests if url.split("?")[0].endswith(INDEX)]


def test_search_index_loads_only_when_search_is_used(tab, site_search):
    """The index is the largest file a page could load; overrides/main.html holds it back."""
    tab.goto("research/")
    tab.page.wait_for_load_state("networkidle")
    assert not index_requests(tab), "the search index loaded before anyone searched"
    assert site_search(tab.page, "nasal spray"), "no results once search was opened"
    assert len(index_requests(tab)) == 1


def test_a_shared_search_link_searches_at_once(tab):
    """Material's search.share links (…/?q=words) open the search with its results."""
    tab.page.goto(tab.site.url("?q=spravato"))
    tab.page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    assert tab.page.locator(".md-search__input").input_value() == "spravato"
    assert len(index_requests(tab)) == 1
