"""Per-page content policy: how hard a page may be to read, and whether its numbers need a
citation. Each page may set it in its front matter; otherwise the site-wide default in
mkdocs.yml (`extra: page_policy:`) applies, so a new page gets the default without anyone
editing a list in Python.

    reading_grade: 10      # highest Flesch-Kincaid grade allowed; false: not measured
    cite_numbers: false    # sentences with numbers need no citation on this page
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ketamine_tools.check.core import Repo, split_front_matter

# Used when mkdocs.yml says nothing: patient pages aim at a reading age of 12 to 14.
FALLBACK: dict[str, Any] = {"reading_grade": 8, "cite_numbers": True}


@dataclass(frozen=True)
class Policy:
    reading_grade: float | None
    cite_numbers: bool


def defaults(repo: Repo) -> dict[str, Any]:
    extra = repo.config.get("extra") or {}
    configured = extra.get("page_policy") if isinstance(extra, dict) else None
    return {**FALLBACK, **(configured if isinstance(configured, dict) else {})}


def front_matter(repo: Repo, page: Path) -> dict[str, Any]:
    yaml_text, _ = split_front_matter(repo.text(page))
    try:
        meta = yaml.safe_load(yaml_text or "") or {}
    except yaml.YAMLError:
        return {}  # the frontmatter check reports it
    return meta if isinstance(meta, dict) else {}


def page_policy(repo: Repo, page: Path) -> Policy:
    meta = {**defaults(repo), **front_matter(repo, page)}
    grade = meta.get("reading_grade")
    cite = meta.get("cite_numbers")
    valid = isinstance(grade, int | float) and not isinstance(grade, bool)
    return Policy(
        reading_grade=float(grade) if valid and grade is not None else None,
        cite_numbers=cite if isinstance(cite, bool) else bool(FALLBACK["cite_numbers"]),
    )


def page_url(repo: Repo, page: Path) -> str:
    """The page's address in the built site (use_directory_urls): "", "faq/", "a/b/"."""
    rel = page.relative_to(repo.docs).with_suffix("").as_posix()
    if rel == "index":
        return ""
    return (rel.removesuffix("/index") if rel.endswith("/index") else rel) + "/"
