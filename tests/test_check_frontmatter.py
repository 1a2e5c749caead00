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


def test_next_review_in_the_past_says_since_when_and_what_to_do(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It fails in a change that touches the overdue page."""
    monkeypatch.setenv("CHANGED_FILES", "docs/index.md\n")
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


# --- who checked the page, and when the evidence was searched ---------------------------

REVIEWER = (
    "reviewed_by:\n  name: Dr A Example\n  role: Consultant psychiatrist\n  date: 2026-11-20\n"
)


def test_a_complete_reviewer_and_evidence_date_pass(page: Path) -> None:
    edit(page, "search:\n", f"{REVIEWER}evidence_searched: 2026-11-15\nsearch:\n")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 0, result.output


@pytest.mark.parametrize(
    ("reviewer", "words"),
    [
        ("reviewed_by: Dr A Example\n", ["must be a mapping", "name", "role", "date"]),
        ("reviewed_by:\n  name: Dr A Example\n  date: 2026-11-20\n", ["has no role"]),
        (
            "reviewed_by:\n  name: Dr A Example\n  role: GP\n  date: 20 November 2026\n",
            ["`reviewed_by.date` must be an ISO date"],
        ),
        (
            "reviewed_by:\n  name: Dr A Example\n  role: GP\n  date: 2027-01-01\n",
            ["in the future"],
        ),
        (
            "reviewed_by:\n  name: Dr A Example\n  role: GP\n  date: 2026-11-20\n  email: a@b\n",
            ["takes only name, role and date", "email"],
        ),
        (
            "reviewed_by:\n  name: <b>Dr</b>\n  role: GP\n  date: 2026-11-20\n",
            ["`reviewed_by.name` must be plain text"],
        ),
    ],
    ids=["not-a-mapping", "no-role", "bad-date", "future-date", "unknown-key", "markup"],
)
def test_a_bad_reviewer_gives_one_clear_message_at_its_line(
    page: Path, reviewer: str, words: list[str]
) -> None:
    edit(page, "search:\n", f"{reviewer}search:\n")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    findings = [f for f in result.findings if "reviewed_by" in f]
    assert len(findings) == 1, result.output
    assert result.has("docs/index.md:6", *words), result.output


def test_evidence_searched_must_be_a_date(page: Path) -> None:
    edit(page, "search:\n", "evidence_searched: last spring\nsearch:\n")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:6", "`evidence_searched:` must be an ISO date")


def test_overdue_page_not_touched_by_the_change_is_a_notice(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A calendar day must not turn every pull request red."""
    monkeypatch.setenv("CHANGED_FILES", "docs/research.md\n")
    result = check(page.parents[1], "frontmatter", today="2027-06-01")
    assert result.code == 0
    assert "docs/index.md:5: notice: the review of this page is overdue" in result.output


def test_due_report_lists_overdue_and_soon_due_pages(page: Path, tmp_path: Path) -> None:
    from ketamine_tools.check import frontmatter

    report = tmp_path / "due.md"
    root = page.parents[1]
    code = frontmatter.main(
        ["--due-report", str(report), "--today", "2027-10-15", "--root", str(root)]
    )
    text = report.read_text(encoding="utf-8")
    assert code == 1
    assert "- `docs/index.md`: was due 2027-05-01" in text
    assert "- `docs/research.md`: due 2027-11-01" in text
    nothing = frontmatter.main(
        ["--due-report", str(report), "--today", "2026-12-01", "--root", str(root)]
    )
    assert nothing == 0


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("title", "**Home**", 2),
        ("title", "Home [@daly2019]", 2),
        ("description", "A short page for the tests, with one fact and [its source](x.md).", 3),
        ("description", "A short page for the tests of the site checks, with `one` fact.", 3),
    ],
    ids=["bold title", "cited title", "link in description", "code in description"],
)
def test_markdown_in_title_or_description(page: Path, key: str, value: str, line: int) -> None:
    old = (
        "title: Home"
        if key == "title"
        else "description: A short page for the tests of the site checks, with one fact "
        "and its source."
    )
    edit(page, old, f'{key}: "{value}"')
    if key == "title":
        edit(page, "# Home", f"# {value}")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line}", f"`{key}:` must be plain text"), result.output


def test_a_title_too_long_for_search_results(page: Path) -> None:
    title = "Home of the site about ketamine and how long its relief lasts for depression"
    edit(page, "title: Home", f"title: {title}")
    edit(page, "# Home", f"# {title}")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:2", f"is {len(title)} characters", "at most 60")


def test_a_title_that_differs_from_the_heading(page: Path) -> None:
    edit(page, "# Home", "# Welcome {#top}")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md:2", '"Home"', '"Welcome"', "Make them the same")


def test_the_same_title_and_heading_with_an_id_pass(page: Path) -> None:
    edit(page, "# Home", "# Home { #top .intro }")
    assert check(page.parents[1], "frontmatter").code == 0


def test_a_file_name_that_is_not_a_web_address(page: Path) -> None:
    repo = page.parents[1]
    page.rename(repo / "docs" / "Home Page.md")
    edit(repo / "mkdocs.yml", "index.md", "Home Page.md")
    result = check(repo, "frontmatter")
    assert result.code == 1
    assert result.has("docs/Home Page.md:1", "lower-case words", "home-page.md"), result.output


def test_a_reading_grade_set_too_high_to_mean_anything(page: Path) -> None:
    edit(page, "cite_numbers: false", "cite_numbers: false\nreading_grade: 30")
    result = check(page.parents[1], "frontmatter")
    assert result.code == 1
    assert result.has("docs/index.md", "`reading_grade: 30` is above 12")
