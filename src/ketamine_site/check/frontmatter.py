"""Front matter of every page in the nav: title, description, review dates, search boost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ketamine_site.check.core import Finding, Repo, split_front_matter

NAME = "frontmatter"
SUMMARY = "title, description (50-160 chars), reviewed/next_review dates, search.boost"

# key -> how to fill it in
REQUIRED = {
    "title": "`title: ...` with the page's heading",
    "description": "`description: ...` with one sentence of 50 to 160 characters",
    "reviewed": "`reviewed: YYYY-MM-DD`, the day the page was checked against its sources",
    "next_review": "`next_review: YYYY-MM-DD`, at most 12 months after `reviewed`",
}
DESCRIPTION_LENGTH = (50, 160)
EXAMPLE = (
    "---\ntitle: Page title\ndescription: One plain sentence of 50 to 160 characters.\n"
    "reviewed: 2026-11-27\nnext_review: 2027-05-27\n---"
)


def one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def key_line(yaml_text: str, key: str) -> int:
    """Line in the file of `key:` (the front matter starts on line 2)."""
    for index, line in enumerate(yaml_text.splitlines()):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return index + 2
    return 1


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_page(repo: Repo, path: Path) -> Iterator[Finding]:
    rel = repo.rel(path)
    yaml_text, _ = split_front_matter(repo.text(path))
    if yaml_text is None:
        yield Finding(
            rel,
            1,
            "the page has no front matter. Start the file with a block like this (the "
            f"`---` lines included):\n{EXAMPLE}",
        )
        return
    try:
        meta = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 2 if mark is not None else 1
        yield Finding(
            rel,
            line,
            f"the front matter is not valid YAML ({error.problem}). Check the indentation, "
            'and put quotes around a value that contains a colon (description: "...").',
        )
        return
    if not isinstance(meta, dict):
        yield Finding(rel, 2, f"the front matter must be `key: value` lines, like:\n{EXAMPLE}")
        return

    def at(key: str) -> int:
        return key_line(yaml_text, key)

    for key, how in REQUIRED.items():
        if meta.get(key) in (None, ""):
            yield Finding(rel, 1, f"the front matter has no `{key}:`. Add {how}.")

    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        yield Finding(rel, at("title"), "`title:` must be text. Put it in quotes.")

    description = meta.get("description")
    if isinstance(description, str) and description.strip():
        low, high = DESCRIPTION_LENGTH
        length = len(" ".join(description.split()))
        if not low <= length <= high:
            advice = "Shorten it" if length > high else "Lengthen it"
            yield Finding(
                rel,
                at("description"),
                f"`description:` is {length} characters long; it must be {low} to {high} "
                f"(search engines show it under the title). {advice} to one plain sentence.",
            )
    elif description is not None and not isinstance(description, str):
        yield Finding(rel, at("description"), "`description:` must be text. Put it in quotes.")

    dates: dict[str, date] = {}
    for key in ("reviewed", "next_review"):
        value = meta.get(key)
        if value in (None, ""):
            continue
        parsed = as_date(value)
        if parsed is None:
            yield Finding(
                rel,
                at(key),
                f"`{key}:` must be an ISO date like 2026-11-27 (year-month-day), not {value!r}.",
            )
        else:
            dates[key] = parsed

    reviewed, next_review = dates.get("reviewed"), dates.get("next_review")
    if reviewed and next_review:
        if next_review <= reviewed:
            yield Finding(
                rel,
                at("next_review"),
                f"`next_review:` ({next_review}) must be after `reviewed:` ({reviewed}). "
                "Set it to the date of the next review, at most 12 months after the last.",
            )
        elif next_review > one_year_later(reviewed):
            yield Finding(
                rel,
                at("next_review"),
                f"`next_review:` ({next_review}) is more than 12 months after `reviewed:` "
                f"({reviewed}). Set it to {one_year_later(reviewed)} or earlier.",
            )
    if reviewed and reviewed > repo.today:
        yield Finding(
            rel,
            at("reviewed"),
            f"`reviewed:` ({reviewed}) is in the future. Set it to the day the page was "
            "last checked against its sources.",
        )
    if next_review and next_review < repo.today:
        days = (repo.today - next_review).days
        yield Finding(
            rel,
            at("next_review"),
            f"the review of this page is overdue: it was due on {next_review} "
            f"({days} days ago). Review the page against its sources (is each fact still "
            "what the cited source says? is there newer evidence?), then set `reviewed:` "
            f"to today ({repo.today}) and `next_review:` to a date at most 12 months later.",
        )

    search = meta.get("search")
    if search is not None:
        boost = search.get("boost") if isinstance(search, dict) else None
        if not isinstance(search, dict):
            yield Finding(
                rel, at("search"), "`search:` must be a mapping, like `search: {boost: 1.2}`."
            )
        elif "boost" in search and (isinstance(boost, bool) or not isinstance(boost, int | float)):
            yield Finding(
                rel,
                at("search"),
                f"`search.boost` must be a number such as 1.2 (found {boost!r}). "
                "Keep it gentle: 0.5 to 2.",
            )


def run(repo: Repo) -> Iterator[Finding]:
    for path in repo.nav_pages():
        yield from check_page(repo, path)
