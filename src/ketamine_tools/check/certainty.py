"""Headline statements carry a certainty level that matches their wording, and live in one place.

Each includes/claims/*.md starts with `<!-- certainty: LEVEL -->` (GRADE's high, moderate, low
or very low), and its wording is the one GRADE pairs with that level ("probably" for moderate,
"may" for low, "we are very uncertain" for very low, no hedge for high). A page that repeats a
statement's sentence in its own text, instead of including the file, would not change when
the statement does: that is reported too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ketamine_site.certainty import LEVELS, MARKER_RE, wording_matches
from ketamine_site.citation_syntax import LOOSE_CITATION_RE
from ketamine_tools.check.core import Finding, Repo, find_line, quote

NAME = "certainty"
SUMMARY = "headline statements have a GRADE level matching their words; no page restates one"

CLAIMS = "claims"
MARKUP_RE = re.compile(r"<!--.*?-->|[*_`]|\[\^[^\]]*\]")
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")
# A sentence this long, found word for word on a page, is a copy rather than a coincidence.
MIN_WORDS = 8


def claim_files(repo: Repo) -> list[Path]:
    folder = repo.includes / CLAIMS
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def statement(text: str) -> str:
    """The claim's words: without the marker, citations and emphasis."""
    body = "\n".join(line for line in text.splitlines() if not MARKER_RE.match(line))
    return " ".join(MARKUP_RE.sub("", LOOSE_CITATION_RE.sub("", body)).split())


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_RE.split(statement(text)) if len(s.split()) >= MIN_WORDS]


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def run(repo: Repo) -> Iterator[Finding]:
    levels = ", ".join(LEVELS)
    claims = claim_files(repo)
    for path in claims:
        text = repo.text(path)
        lines = text.splitlines()
        first = next((n for n, line in enumerate(lines, start=1) if line.strip()), 1)
        match = MARKER_RE.match(lines[first - 1]) if lines else None
        if not match:
            yield Finding(
                repo.rel(path),
                first,
                "this headline statement has no certainty level. Put "
                "`<!-- certainty: LEVEL -->` on its first line, LEVEL one of "
                f"{levels}, judged with GRADE from the studies it cites (About explains the "
                "levels).",
            )
            continue
        level = " ".join(match.group("level").lower().split())
        if level not in LEVELS:
            yield Finding(
                repo.rel(path),
                first,
                f"unknown certainty level {level!r}. Use one of: {levels}.",
            )
            continue
        if not wording_matches(level, statement(text)):
            wanted = (
                "no hedge (no 'probably', 'may' or 'very uncertain')"
                if level == "high"
                else " or ".join(f"'{w}'" for w in LEVELS[level].wording)
            )
            yield Finding(
                repo.rel(path),
                first,
                f"the level is {level!r}, but the statement does not use GRADE's wording for "
                f"it ({wanted}). Change the wording or the level so they agree.",
            )

    copies = {path: sentences(repo.text(path)) for path in claims}
    others = [*repo.pages(), *(p for p in repo.snippets() if p not in claims)]
    for page in others:
        page_text = repo.text(page)
        page_words = " ".join(words(LOOSE_CITATION_RE.sub(" ", page_text)))
        for claim, claim_sentences in copies.items():
            for sentence in claim_sentences:
                if " ".join(words(sentence)) not in page_words:
                    continue
                line = find_line(page_text, words(sentence)[:MIN_WORDS]) or 1
                yield Finding(
                    repo.rel(page),
                    line,
                    f"this repeats the headline statement in {repo.rel(claim)} "
                    f"({quote(sentence, 50)}). Include it instead, on a line of its own: "
                    f'--8<-- "{CLAIMS}/{claim.name}", so it changes with the statement and '
                    "shows its certainty.",
                )
