"""Reading grade of each built page against its target (ketamine_tools.readability)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from ketamine_tools import readability
from ketamine_tools.check.core import Finding, Repo, find_line, page_source, quote, site_missing

NAME = "readability"
HARDEST = 3
# A page's grade is an average: one sentence of 160 words among short ones leaves it within
# its limit, and a reader on a phone still loses the thread. The site's longest is 37.
LONGEST = 40
MIN_WORDS = 8  # shorter passages (headings, table cells) are not worth pointing at
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

SUMMARY = (
    "Flesch-Kincaid grade of each built page within its `reading_grade` (page policy); no "
    f"sentence over {LONGEST} words"
)


def sentences(page_html: str) -> list[str]:
    return [
        sentence
        for unit in readability.main_text_units(page_html)
        for sentence in SENTENCE_RE.split(unit)
    ]


def written_at(repo: Repo, source: Path, words: list[str]) -> tuple[str, int]:
    """The line with these words: in the page, or in a file whose text the page pulls in."""
    for path in repo.text_sources(source):
        line = find_line(repo.text(path), words) if path.is_file() else None
        if line:
            return repo.rel(path), line
    return repo.rel(source), 1


def long_sentences(repo: Repo) -> Iterator[Finding]:
    for page in sorted(repo.site.rglob("*.html")):
        source = page_source(repo, page)
        if source is None:
            continue
        for sentence in sentences(page.read_text(encoding="utf-8", errors="replace")):
            words = len(sentence.split())
            if words <= LONGEST:
                continue
            path, line = written_at(repo, source, re.findall(r"\w+", sentence)[:5])
            yield Finding(
                path,
                line,
                f"this sentence has {words} words: {quote(sentence, 60)}. Split it into "
                f"sentences of 15 to 20 words (at most {LONGEST}), one idea each; a list "
                "often helps.",
            )


def hardest_sentences(page_html: str) -> list[tuple[float, str]]:
    """The sentences of the page with the highest grade, hardest first."""
    candidates = [s for s in sentences(page_html) if len(s.split()) >= MIN_WORDS]
    scored = [(readability.grade(f"<p>{html.escape(s)}</p>"), s) for s in candidates]
    return sorted(scored, key=lambda pair: -pair[0])[:HARDEST]


def run(repo: Repo) -> Iterator[Finding]:
    if not repo.site.is_dir():
        yield site_missing(repo, NAME)
        return
    yield from long_sentences(repo)
    for result in readability.grades(repo.site, readability.targets(repo.root, repo.site)):
        if result.ok:
            continue
        source = page_source(repo, result.path)
        text = repo.text(source) if source else ""
        hints = []
        for score, unit in hardest_sentences(result.path.read_text(encoding="utf-8")):
            line = find_line(text, re.findall(r"\w+", unit)[:5])
            where = f"line {line}, " if line else ""
            hints.append(f"{quote(unit, 60)} ({where}grade {score:.0f})")
        yield Finding(
            repo.rel(source) if source else repo.rel(result.path),
            1,
            f"reading grade {result.grade:.1f} is above this page's limit of {result.target:g}. "
            "Make it easier to read: split long sentences (aim for 15 words or fewer), use "
            "short everyday words (the plain word first, the medical term in brackets), and "
            "cut words that add nothing. Hardest sentences: " + "; ".join(hints) + ". Measure "
            "again with `.venv/bin/python -m ketamine_tools.readability` after `make build`.",
        )
