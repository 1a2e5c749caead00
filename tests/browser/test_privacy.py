"""What a reader's browser tells others: nothing. Every page loads from the site's own host
only, sets no cookies and runs no analytics."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}
# Markup that makes the browser fetch something, or talk to a host, without a click.
FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "source": ["src", "srcset"],
    "track": ["src"],
    "input": ["src"],
}
FETCHING_LINK_RELS = {
    "stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "prefetch",
    "preconnect", "dns-prefetch", "modulepreload", "prerender",
}  # fmt: skip
ANALYTICS_MARKERS = [
    "googletagmanager", "google-analytics", "gtag(", "plausible", "matomo", "piwik",
    "umami", "clarity.ms", "hotjar", "segment.com", "fathom", "posthog", "cloudflareinsights",
    "__md_analytics", "data-md-component=\"consent\"",
]  # fmt: skip
ANALYTICS_GLOBALS = ["ga", "gtag", "dataLayer", "_paq", "plausible", "umami", "posthog", "clarity"]


def foreign(urls: list[str], host: str) -> list[str]:
    return [
        u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).netloc != host
    ]


def test_every_page_loads_from_the_site_only(pages, tab, site, site_search):
    """Record every request (page, styles, scripts, the search worker and its index)."""
    problems: dict[str, list[str]] = {}
    seen: list[str] = []
    for path in pages:
        tab.requests.clear()
        tab.goto(path)
        tab.page.wait_for_load_state("networkidle")
        if path == "":  # the search worker and its index load on first use
            assert site_search(tab.page, "ketamine"), "search found nothing"
            tab.page.wait_for_load_state("networkidle")
        if leaks := foreign(tab.requests, site.host):
            problems[f"/{path}"] = sorted(set(leaks))
        seen += tab.requests
    # The recorder sees everything: the page's own files and the search worker's fetches.
    assert any(u.endswith("/search/search_index.json") for u in seen), "search index unseen"
    assert not problems, "requests to other hosts:\n" + "\n".join(
        f"  {page}: {', '.join(urls)}" for page, urls in problems.items()
    )


def test_no_cookies_and_no_analytics(pages, tab):
    found: list[str] = []
    for path in pages:
        tab.goto(path)
        if cookie := tab.page.evaluate("document.cookie"):
            found.append(f"/{path}: document.cookie = {cookie!r}")
        present = tab.page.evaluate(
            "names => names.filter(name => typeof window[name] !== 'undefined')",
            ANALYTICS_GLOBALS,
        )
        found += [f"/{path}: analytics global `{name}`" for name in present]
    cookies = tab.context.cookies()
    assert not cookies, f"cookies set: {[c['name'] for c in cookies]}"
    assert not found, "\n".join(found)


def test_markup_fetches_nothing_from_other_hosts(site_dir):
    """Every built HTML file, including pages a reader may never visit (404.html)."""
    problems: list[str] = []
    for html in sorted(site_dir.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "lxml")
        where = html.relative_to(site_dir).as_posix()
        for tag, attrs in FETCHING.items():
            for elem in soup.find_all(tag):
                for attr in attrs:
                    for url in str(elem.get(attr) or "").replace(",", " ").split():
                        if urlsplit(url).netloc:
                            problems.append(f"{where}: <{tag} {attr}={url}>")
        for link in soup.find_all("link"):
            rels = set(link.get("rel") or [])
            if rels & FETCHING_LINK_RELS and urlsplit(str(link.get("href", ""))).netloc:
                problems.append(f"{where}: <link rel={' '.join(rels)} href={link['href']}>")
        lowered = text.lower()
        problems += [f"{where}: analytics ({m})" for m in ANALYTICS_MARKERS if m in lowered]
    assert not problems, "\n".join(problems)


def test_search_words_never_reach_an_address(tab, site_search):
    """Material's `search.highlight` put the query into result links (`?h=...`), so it went to
    the server and into history. It is off: result links and the page opened carry no query."""
    tab.goto("")
    hits = site_search(tab.page, "bladder")
    assert hits, "search found nothing"
    links = tab.page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    assert links and not [link for link in links if "?" in link], links
    tab.requests.clear()
    tab.page.locator("a.md-search-result__link").first.click()
    tab.page.wait_for_load_state("load")
    assert "bladder" not in tab.page.url
    assert not [u for u in tab.requests if "bladder" in u], tab.requests
