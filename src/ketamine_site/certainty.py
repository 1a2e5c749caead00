"""Python-Markdown extension: how sure we are, as a label on each headline statement.

Each file in includes/claims/ holds one of the site's headline statements about duration and
starts with its certainty level, in GRADE's four steps:

    <!-- certainty: moderate -->
    If esketamine nasal spray (Spravato) has helped, carrying on with it probably lowers ...

Pages include the file (`--8<-- "claims/NAME.md"`), so the statement, its sources and its
level live in one place. This extension turns the comment into a small label at the start of
the statement: "Moderate certainty", with a plain explanation that the site's shared tooltip
shows on hover, focus and tap (docs/assets/javascripts/site.js), that screen readers read as
part of the label, and that print shows after the label (docs/stylesheets/site.css,
"evidence-labels" section).
Without this extension the comment is simply not shown.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ketamine_site.citations import CitationError

log = logging.getLogger("mkdocs.plugins.ketamine_site.certainty")

MARKER_RE = re.compile(r"^(?P<indent>\s*)<!--\s*certainty:\s*(?P<level>[^>]*?)\s*-->\s*$")


@dataclass(frozen=True)
class Level:
    label: str
    marks: str  # filled and empty dots: a cue that does not rest on colour
    meaning: str  # what the level means, in GRADE's plain words (as on the About page)
    # GRADE's wording for statements at this level; the certainty check looks for one of these.
    wording: tuple[str, ...]


LEVELS: dict[str, Level] = {
    "high": Level(
        "High certainty",
        "●●●●",
        "We are very confident that the true effect is close to what the studies found.",
        ("results in", "reduces", "increases", "lowers", "leads to"),
    ),
    "moderate": Level(
        "Moderate certainty",
        "●●●○",
        (
            "The true effect is probably close to what the studies found, but it could be "
            "quite different."
        ),
        ("probably", "likely"),
    ),
    "low": Level(
        "Low certainty",
        "●●○○",
        "Our confidence is limited. The true effect may be quite different.",
        ("may", "might"),
    ),
    "very low": Level(
        "Very low certainty",
        "●○○○",
        "We have very little confidence. The true effect is likely to be quite different.",
        ("very uncertain",),
    ),
}
# Words that belong to a lower level: a "high" statement must not hedge.
HEDGES = ("probably", "may", "might", "very uncertain", "likely")


class CertaintyError(CitationError):
    """A claim file names a certainty level that is not one of GRADE's four."""


def label_html(level: str) -> str:
    """The label for one level. Built only from the fixed wording above."""
    info = LEVELS[level]
    slug = level.replace(" ", "-")
    # No <span> inside the label: Material's search indexer matches closing tags by name, so
    # an inner </span> would end the outer span's data-search-exclude (the explanation,
    # repeated on every page, would crowd real answers in search).
    return (
        f'<span class="certainty certainty--{slug}" tabindex="0" data-search-exclude>'
        f'<i class="certainty__marks" aria-hidden="true">{info.marks}</i>'
        f'<b class="certainty__level">{html.escape(info.label)}</b>'
        f'<small class="certainty__why">: {html.escape(info.meaning)}</small>'
        "</span>"
    )


def wording_matches(level: str, text: str) -> bool:
    """Does the statement use the words GRADE pairs with its level?"""
    words = " ".join(text.lower().split())
    has = [w for w in LEVELS[level].wording if re.search(rf"\b{re.escape(w)}\b", words)]
    if level == "high":
        return not any(re.search(rf"\b{re.escape(h)}\b", words) for h in HEDGES)
    if level == "moderate" and re.search(r"\bvery uncertain\b", words):
        return False
    return bool(has)


def find_marker(claims_dir: Path, level: str) -> list[str]:
    """Every `path:line` in claims_dir whose marker names this level (Markdown has no file)."""
    hits: list[str] = []
    for path in sorted(claims_dir.glob("*.md")) if claims_dir.is_dir() else []:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER_RE.match(line)
            if match and match.group("level").strip().lower() == level:
                hits.append(f"{path.as_posix()}:{lineno}")
    return hits


class CertaintyPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: CertaintyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        pending: str | None = None
        for line in lines:
            match = MARKER_RE.match(line)
            if match:
                level = " ".join(match.group("level").lower().split())
                if level not in LEVELS:
                    self.fail(level)
                pending = self.md.htmlStash.store(label_html(level))
                continue
            if pending is not None and line.strip():
                indent = line[: len(line) - len(line.lstrip())]
                out.append(f"{indent}{pending} {line.lstrip()}")
                pending = None
                continue
            out.append(line)
        return out

    def fail(self, level: str) -> None:
        where = ", ".join(find_marker(Path(self.ext.getConfig("claims_dir")), level))
        message = (
            f"{where or 'an included claim file'}: unknown certainty level {level!r}. Use one "
            f"of: {', '.join(LEVELS)} (GRADE's levels), as `<!-- certainty: moderate -->`."
        )
        log.error(message)
        raise CertaintyError(message)


class CertaintyExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "claims_dir": ["includes/claims", "Where the headline statements live"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After pymdownx.snippets (32) has pulled the claim files in and normalize_whitespace
        # (30) has run (it strips the markers of stashed HTML); before the raw-HTML block
        # stash (20) would take the comment.
        md.preprocessors.register(CertaintyPreprocessor(md, self), "ketamine_certainty", 29.7)


def makeExtension(**kwargs: Any) -> CertaintyExtension:
    return CertaintyExtension(**kwargs)
