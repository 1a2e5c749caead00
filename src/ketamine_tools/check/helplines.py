"""Helpline numbers a reader in crisis may dial, in the built pages: a number shown must be
the number dialled, every page gives the numbers of the "Get help now" page (the one place
they are checked against each helpline's own page) or, for a line that is not a crisis line,
cites that line's own page beside the number, and the crisis page stays open and searchable.
Read from the built HTML (what readers get), traced to the Markdown line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from pybtex.exceptions import PybtexError

from ketamine_site import bibliography
from ketamine_tools import readability
from ketamine_tools.check.core import Finding, Repo, page_source, quote, site_missing
from ketamine_tools.check.policy import front_matter
from ketamine_tools.check.published import locate
from ketamine_tools.check.structure import TEMPLATE

NAME = "helplines"
SUMMARY = (
    "tel: links dial the number they show; numbers to call, or written like phone numbers, are "
    "on the Get help now page (or cite the helpline's own page), which stays open and searchable"
)

CRISIS_PAGE = "get-help-now.md"
# "Call 988", "text 741741", "ring Samaritans on 116 123", "dial 999": the number after a
# calling word, within a few words (a name, "on", "or text").
CALL_RE = re.compile(
    r"\b(?:call|text|phone|ring|dial)\b(?:[^\d.!?]{0,40}?)(?P<number>\+?\d[\d\s-]{1,14}\d)",
    re.IGNORECASE,
)

YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
# A number written the way phone numbers are ("116 123", "1800 247 247", "13 11 14",
# "1-800-273-8255"), with or without a calling word before it ("Samaritans 116 123"). Read
# within one paragraph, list item or table cell, so two cells side by side are not one number.
PHONE_RE = re.compile(
    r"(?<![\w.,/+-])(?P<number>\+?\d{2,4}(?: \d{2,4}){1,3}|1?-?\d{3}-\d{3}-\d{4})(?![\w/%-]|[.,]\d)"
)
PHONE_DIGITS = range(6, 14)
BLOCKS = ", ".join([*readability.BLOCKS, "summary"])


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def article_of(page: Path) -> Tag | None:
    soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "lxml")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        return None
    # Our template's boxes, the sources (titles and dates) and citation numbers: no numbers
    # to call there.
    for box in article.select(f"{TEMPLATE}, .footnote, sup"):
        box.extract()
    return article


def helpline_keys(repo: Repo) -> set[str]:
    """Sources that are a helpline's own page (`kind = {helpline}`)."""
    path = repo.docs / "references.bib"
    if not path.is_file():
        return set()
    try:
        bib = bibliography.load(path)
    except PybtexError:
        return set()  # the citations check reports the syntax error with its line
    return {
        key for key in bib.keys if str(bib.entry(key).fields.get("kind", "")).strip() == "helpline"
    }


def vouched_numbers(page: Path, keys: set[str]) -> set[str]:
    """Numbers in a paragraph (or item, or cell) that cites the helpline's own page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "lxml")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        return set()
    citing = [
        block
        for block in article.select(BLOCKS)
        if keys & {str(a["href"]).removeprefix("#fn:") for a in block.select('a[href^="#fn:"]')}
    ]
    for sup in article.select("sup"):
        sup.decompose()  # a citation's number would run on from the phone number before it
    found: set[str] = set()
    for block in citing:
        found |= numbers_in(block)
    return found


def phone_shaped(article: Tag) -> Iterator[str]:
    """Numbers written like phone numbers, as written ("116 123")."""
    for block in article.select(BLOCKS) or [article]:
        for match in PHONE_RE.finditer(" ".join(block.get_text("").split())):
            number = match.group("number")
            # "In 2019 118 people": a year then a count, not a phone number.
            if len(digits(number)) in PHONE_DIGITS and not YEAR_RE.match(number.split()[0]):
                yield number


def numbers_in(article: Tag) -> set[str]:
    found = {digits(str(a["href"])) for a in article.select('a[href^="tel:"]')}
    found |= {digits(m.group("number")) for m in CALL_RE.finditer(article.get_text(" "))}
    found |= {digits(number) for number in phone_shaped(article)}
    return found


def run(repo: Repo) -> Iterator[Finding]:
    if not repo.site.is_dir():
        yield site_missing(repo, NAME)
        return
    crisis_html = repo.site / CRISIS_PAGE.removesuffix(".md") / "index.html"
    crisis = article_of(crisis_html) if crisis_html.is_file() else None
    known = numbers_in(crisis) if crisis is not None else set()
    crisis_source = repo.docs / CRISIS_PAGE
    if crisis_source.is_file():
        search = front_matter(repo, crisis_source).get("search")
        if isinstance(search, dict) and search.get("exclude") is True:
            yield Finding(
                repo.rel(crisis_source),
                1,
                "`search: exclude: true` takes the Get help now page out of the site search, "
                "where readers in crisis look for it. Remove the line.",
            )
    if crisis is not None:
        for box in crisis.select("details:not([open])"):
            summary = box.select_one("summary")
            title = " ".join((summary.get_text(" ") if summary else "").split())
            path, line = locate(repo, crisis_html, (title,))
            yield Finding(
                path,
                line,
                f"the box {quote(title, 50)} on the Get help now page is closed until clicked: "
                "a reader in crisis must see every number at once. Write `!!!` (or `???+`) "
                "instead of `???`.",
            )
    helplines = helpline_keys(repo)
    for page in sorted(repo.site.rglob("*.html")):
        if page_source(repo, page) is None:
            continue
        article = article_of(page)
        if article is None:
            continue
        for link in article.select('a[href^="tel:"]'):
            shown, dialled = digits(link.get_text()), digits(str(link["href"]))
            if len(shown) >= 3 and shown != dialled and not dialled.endswith(shown):
                path, line = locate(repo, page, (str(link["href"]), link.get_text()))
                yield Finding(
                    path,
                    line,
                    f"the link shows {quote(link.get_text(), 20)} but dials "
                    f"{quote(str(link['href']), 24)}: a reader would call another number. "
                    "Make both the same, checked against the helpline's own page.",
                )
        if page == crisis_html or crisis is None:
            continue
        for number in sorted(numbers_in(article) - known - vouched_numbers(page, helplines)):
            if len(number) < 3 or YEAR_RE.match(number):
                continue
            path, line = locate(repo, page, (number, spaced(article, number)))
            yield Finding(
                path,
                line,
                f"the number {number} looks like a number to call or text, but it is not on the "
                "Get help now page, where every helpline number is checked against the "
                "helpline's own page. Use the number from that page, or add it there first, "
                "with its source; or cite the helpline's own page (a source with `kind = "
                "{helpline}`) in the same paragraph.",
            )


def spaced(article: Tag, number: str) -> str:
    """The number as written on the page ("116 132"), for finding its line."""
    for match in CALL_RE.finditer(article.get_text(" ")):
        if digits(match.group("number")) == number:
            return match.group("number")
    for written in phone_shaped(article):
        if digits(written) == number:
            return written
    return number
