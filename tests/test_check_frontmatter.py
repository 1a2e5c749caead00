"""frontmatter: required keys, description length, review dates, search boost, YAML errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import check, edit, make_repo


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    return make_repo(tmp_path) / "docs" / "index.md"


def test_missing_description_names_the_key(page: Path) -> None:
    edit(
        page,
        "description: A short page for the tests of the site checks, with one fact and "
        "its source.\n",
        "",
    )
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:1", "no `description:`", "50 to 160")


@pytest.mark.parametrize(("text", "length"), [("Too short.", 10), ("x" * 161, 161)])
def test_description_length(page: Path, text: str, length: int) -> None:
    edit(
        page,
        "description: A short page for the tests of the site checks, with one fact and its source.",
        f"description: {text}",
    )
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:3", f"is {length} characters", "50 to 160")


def test_next_review_in_the_past_says_since_when_and_what_to_do(page: Path) -> None:
    result = check(page.parents[1], "frontmatter", today="2027-06-01")
    assert result.code == 1
    assert result.has(
        "docs/index.md:5",
        "overdue",
        "due on 2027-05-01",
        "31 days ago",
        "Review the page against its sources",
        "`reviewed:`",
        "`next_review:`",
    )


def test_next_review_more_than_a_year_after_reviewed(page: Path) -> None:
    edit(page, "next_review: 2027-05-01", "next_review: 2027-11-02")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:5", "more than 12 months", "2027-11-01 or earlier")


def test_next_review_before_reviewed(page: Path) -> None:
    edit(page, "next_review: 2027-05-01", "next_review: 2026-10-01")
    result = check(page.parents[1], "frontmatter", today="2026-09-01")
    assert result.has("docs/index.md:5", "must be after `reviewed:`")


def test_date_that_is_not_iso(page: Path) -> None:
    edit(page, "reviewed: 2026-11-01", "reviewed: 1 November 2026")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:4", "`reviewed:` must be an ISO date")


def test_yaml_error_names_file_and_line(page: Path) -> None:
    edit(page, "search:\n  boost: 1.5", "search:\n  boost: 1.5\n bad: [unclosed")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:8", "not valid YAML")


def test_search_boost_must_be_a_number(page: Path) -> None:
    edit(page, "boost: 1.5", "boost: high")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:6", "search.boost", "'high'")


def test_page_without_front_matter(page: Path) -> None:
    page.write_text("# Home\n\nText.\n", encoding="utf-8")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:1", "no front matter")
