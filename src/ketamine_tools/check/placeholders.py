"""Placeholders left in the text: `[Link…]`, `[Title of…]`, TODO, lorem ipsum, empty links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketamine_tools.check.core import Finding, Repo, prose_lines, quote

NAME = "placeholders"
SUMMARY = "no [Link…], [Title of…], TODO/FIXME/TBD, lorem ipsum or empty links"

FIX_LINK = "Replace it with a real link, or cite a source from docs/references.bib with [@key]."
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\[\s*Link\b[^\]]*\]", re.IGNORECASE),
        f"placeholder link text {{found}}. {FIX_LINK}",
    ),
    (
        re.compile(r"\[\s*Title of\b[^\]]*\]", re.IGNORECASE),
        "placeholder title {found}. Write the real title, or cite the source with [@key].",
    ),
    (
        re.compile(r"\b(?:TODO|FIXME|TBD)\b", re.IGNORECASE),
        "unfinished-work marker {found}. Finish the text (or open an issue for it) and "
        "remove the marker.",
    ),
    (
        re.compile(r"\blorem\b|\bipsum dolor\b", re.IGNORECASE),
        "dummy text {found}. Replace it with real content.",
    ),
    (
        re.compile(r"(?<!!)\[[^\]]*\]\(\s*(?:#\s*)?\)|(?<!!)\[\s*\]\([^)]*\)"),
        f"empty link {{found}}: the link has no address or no text. {FIX_LINK}",
    ),
    (
        re.compile(r"<a\b[^>]*\bhref\s*=\s*(?:\"\s*#?\s*\"|'\s*#?\s*')", re.IGNORECASE),
        f"empty link {{found}}: the link has no address. {FIX_LINK}",
    ),
]


def run(repo: Repo) -> Iterator[Finding]:
    for path in [*repo.pages(), *repo.snippets()]:
        for lineno, line in prose_lines(repo.text(path)):
            for pattern, message in PATTERNS:
                for match in pattern.finditer(line):
                    yield Finding(
                        repo.rel(path), lineno, message.format(found=quote(match.group(0)))
                    )
