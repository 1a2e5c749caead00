"""The citation grammar, in one place: `[@key]`, `[@a; @b]` and the `[@*]` line.

Everything that reads citations imports from here: the Markdown extension (which owns what
a citation is when the page is built), the bibliography and the checks (which only scan
source files to say where something is). Nothing here imports the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# A BibTeX key as the site writes them: daly2019, transform1-2019, nice:ta854.
KEY = r"[A-Za-z0-9][\w:.\-]*"
KEYS = rf"@{KEY}(?:\s*;\s*@{KEY})*"
# Not after a backslash (`\[@key]` is the escape), and not followed by "(" or "[": that
# would be a Markdown link whose text starts with "@".
CITATION = rf"(?<!\\)\[(?P<keys>{KEYS})\](?![(\[])"
CITATION_RE = re.compile(CITATION)
KEY_RE = re.compile(rf"^{KEY}$")
# Anything that starts like a citation, well formed or not: what the checks mask out of a
# sentence before they count its words or numbers.
LOOSE_CITATION = r"\[@[^\]]*\]"
LOOSE_CITATION_RE = re.compile(LOOSE_CITATION)
# pandoc's "every entry": a line holding only `[@*]` is the whole bibliography.
ALL_ENTRIES_RE = re.compile(r"^\s*\[@\*\]\s*$")

_FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+\1")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)


def split_keys(keys: str) -> list[str]:
    """`@a; @b` -> ["a", "b"], as written (case kept)."""
    return [k.strip().lstrip("@") for k in keys.split(";") if k.strip()]


def _blank(match: re.Match[str]) -> str:
    # Same length, newlines kept: line numbers and columns stay true.
    return re.sub(r"[^\n]", " ", match.group(0))


def iter_prose_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) outside fenced code, with inline code and HTML comments
    blanked out. A scan of source files, for saying where something is: the build itself
    decides with Python-Markdown's parser (indented code, for one, is only known there)."""
    text = "\n".join(lines)
    masked = _COMMENT_RE.sub(_blank, text).split("\n")
    fence: str | None = None
    for number, line in enumerate(masked, start=1):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield number, _INLINE_CODE_RE.sub(_blank, line)


def iter_citation_keys(text: str) -> Iterator[tuple[int, str]]:
    """(line number, key as written) for every `[@key]` in Markdown source, code excluded.
    A citation may wrap onto the next line, as in a paragraph."""
    lines = text.splitlines()
    prose = dict(iter_prose_lines(lines))
    masked = "\n".join(prose.get(n, "") for n in range(1, len(lines) + 1))
    for match in CITATION_RE.finditer(masked):
        lineno = masked.count("\n", 0, match.start()) + 1
        for key in split_keys(match.group("keys")):
            yield lineno, key
