"""The outline readers and screen readers navigate by, in the built pages: one top-level
heading, no level skipped (`##` then `####`), and some text under it. Read from the built
HTML with a parser (what readers get), traced back to the Markdown line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from ketamine_tools.check.core import Finding, Repo, page_source, quote, site_missing
from ketamine_tools.check.published import locate

NAME = "structure"
SUMMARY = (
    "one `#` heading a page, no level skipped, some text; headings in words and without "
    'citations; no bare web address, emoji shortcode or link that says only "here"'
)

# Our template's own boxes inside the article (review dates, page history, citing): they are
# on every page, so they are neither the page's outline nor its text.
TEMPLATE = ".page-tools, .page-review, .cite-page, .disclaimer, .md-source-file"
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# Markup that reached the page as text.
LEFTOVERS = [
    ("[^", "a footnote with no definition. Cite a source with [@key] instead"),
    ("<!--", "a comment that is not closed. End it with `-->` on its own line"),
    (
        "--8<--",
        "a snippet line that was not read (straight quotes, its own line, a file in includes/)",
    ),
]
MIN_WORDS = 10  # an empty page, or one with a line of placeholder text
# A web address in the text that is not a link: readers cannot click it, and a source given
# this way escapes the bibliography's checks.
BARE_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+", re.IGNORECASE)
SHORTCODE_RE = re.compile(r"(?<![\w:/]):[a-z][a-z0-9_+-]*[a-z0-9]:(?![\w/])")
# Link texts that say nothing out of context: screen-reader users list a page's links
# (WCAG 2.4.4, link purpose), and search engines read the words of a link.
VAGUE_LINKS = {
    "here",
    "click here",
    "click",
    "this",
    "this link",
    "link",
    "more",
    "read more",
    "learn more",
    "more info",
    "more information",
    "this page",
    "go",
}


def heading_text(heading: Tag) -> str:
    for link in heading.select("a.headerlink"):
        link.extract()
    return " ".join(heading.get_text(" ").split())


def problems(soup: BeautifulSoup) -> Iterator[tuple[str, tuple[str, ...]]]:
    article = soup.select_one("article.md-content__inner")
    if article is None:
        return
    for box in article.select(TEMPLATE):
        box.extract()
    headings = [h for h in article.find_all(HEADINGS) if isinstance(h, Tag)]
    tops = [h for h in headings if h.name == "h1"]
    for extra in tops[1:]:
        text = heading_text(extra)
        yield (
            f"a second top-level heading {quote(text, 50)}: a page has one `#` heading, its "
            "title. Make this one `##` (and the ones under it one level deeper)",
            (f"# {text}", text),
        )
    previous = 1
    for heading in headings:
        level = int(heading.name[1])
        text = heading_text(heading)
        if level > previous + 1:
            marks = "#" * level
            yield (
                f"the heading {quote(text, 50)} is `{marks}` after a `{'#' * previous}`: a level "
                f"is skipped, which breaks the outline screen readers list. Make it "
                f"`{'#' * (previous + 1)}`",
                (f"{marks} {text}", text),
            )
        previous = level
    for node in article.find_all(string=SHORTCODE_RE):
        if node.find_parent(["code", "pre", "script", "a"]) is None:
            match = SHORTCODE_RE.search(str(node))
            code = match.group(0) if match else str(node)
            yield (
                f"readers see {quote(code, 30)} as typed: emoji shortcodes are not turned into "
                "pictures on this site. Say it in words (a `!!! warning` box for a warning)",
                (code,),
            )
    for heading in headings:
        text = heading_text(heading)
        if heading.select(".footnote-ref"):
            yield (
                f"the heading {quote(text, 50)} cites a source: its number then shows in the "
                "table of contents and in links to this part. Cite it in the text under the "
                "heading instead",
                (text.rstrip("0123456789, "), "[@"),
            )
        elif text and not re.search(r"[^\W\d_]", text):
            yield (
                f"the heading {quote(text, 20)} has no words: the table of contents, search "
                "results and screen readers show only that. Say what the part is about",
                (f"{'#' * int(heading.name[1])} {text}", text),
            )
    for node in article.find_all(string=BARE_URL_RE):
        if node.find_parent(["a", "code", "pre", "script"]) is not None:
            continue
        match = BARE_URL_RE.search(str(node))
        address = match.group(0).rstrip(".,;:") if match else str(node).strip()
        yield (
            f"readers see the web address {quote(address, 50)} as text they cannot click. Cite "
            "it as a source with [@key] (docs/references.bib), or make it a link with words: "
            "`[name of the page](https://...)`",
            (address,),
        )
    for link in article.find_all("a", href=True):
        label = " ".join(link.get_text(" ").split())
        if label.lower().strip(".:!") in VAGUE_LINKS:
            yield (
                f"a link says only {quote(label, 20)}: people who list the page's links (screen "
                "readers do) cannot tell where it goes. Put the name of what it opens in the "
                "link, like `[Get help now](get-help-now.md)`",
                (f"[{label}]", label),
            )
    seen: set[str] = set()
    for element in article.find_all(id=True):
        ident = str(element.get("id"))
        if ident in seen:
            yield (
                f"two parts of the page have the id {quote(ident, 40)}: links to `#{ident}` "
                "all go to the first. Give each heading its own `{#...}`",
                (f"{{#{ident}}}", ident),
            )
        seen.add(ident)
    for box in article.select(".admonition, details"):
        title = box.select_one(".admonition-title, summary")
        rest = [c for c in box.children if c is not title and str(c).strip()]
        if title is not None and not rest:
            text = " ".join(title.get_text(" ").split())
            yield (
                f"the box {quote(text, 50)} is empty: its text fell out below it. Indent every "
                "line of the box by 4 spaces under its `!!!` or `???` line",
                (text,),
            )
    for leftover, what in LEFTOVERS:
        for node in article.find_all(string=lambda s, mark=leftover: mark in s):
            if node.find_parent(["code", "pre"]) is not None:
                continue
            text = str(node)
            yield (
                f"readers see {quote(text[text.index(leftover) :].strip(), 40)}: {what}",
                (text[text.index(leftover) :].strip()[:30], leftover),
            )
    words = len(article.get_text(" ").split()) - sum(len(heading_text(h).split()) for h in headings)
    if words < MIN_WORDS:
        yield (
            f"the page has almost no text ({words} words under its headings): write the page, "
            "or take it out of `nav` in mkdocs.yml until it is ready",
            ("",),
        )


def run(repo: Repo) -> Iterator[Finding]:
    if not repo.site.is_dir():
        yield site_missing(repo, NAME)
        return
    for page in sorted(repo.site.rglob("*.html")):
        if page_source(repo, page) is None:
            continue  # the 404 page and other theme pages
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "lxml")
        for what, needles in problems(soup):
            path, line = locate(repo, page, needles)
            yield Finding(path, line, f"{what} (in {repo.rel(page)}).")
