"""tests/search_queries.yml: readers' own search words and the page each should find.

One loader for everyone who reads the file: the search-ranking browser test and the
benchmark's keystroke timing. A contributor's mistake in the file is one message naming the
entry and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

QUERIES_FILE = Path(__file__).resolve().parents[2] / "tests" / "search_queries.yml"
EXAMPLE = "`- query: how long does it last` then `  page: /research/`"


class QueryFileError(ValueError):
    """The query file is not a list of `query` / `page` entries."""


@dataclass(frozen=True)
class Query:
    query: str
    pages: tuple[str, ...]  # any of these is a right answer (usually just one)
    section: str | None = None

    @property
    def page(self) -> str:
        return " or ".join(self.pages)


def load(path: Path = QUERIES_FILE) -> list[Query]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise QueryFileError(
            f"{path}: cannot read it ({error.strerror}). Restore it from git."
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise QueryFileError(f"{path}:{line}: not valid YAML. Each entry is {EXAMPLE}.") from None
    if not isinstance(raw, list) or not raw:
        raise QueryFileError(f"{path}: no entries. Each entry is {EXAMPLE}.")
    queries = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("query") or not item.get("page"):
            raise QueryFileError(
                f"{path}: entry {number} ({item!r:.60}) needs both `query` and `page`: {EXAMPLE}."
            )
        pages = item["page"] if isinstance(item["page"], list) else [item["page"]]
        section = item.get("section")
        queries.append(
            Query(
                str(item["query"]), tuple(str(p) for p in pages), str(section) if section else None
            )
        )
    return queries
