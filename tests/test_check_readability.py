"""readability: each built page's grade against its target."""

from __future__ import annotations

from pathlib import Path

from _check_support import check, edit, make_repo

HARD = (
    "Notwithstanding considerable methodological heterogeneity, contemporaneous "
    "investigations consistently demonstrated statistically significant antidepressant "
    "efficacy, particularly among individuals manifesting treatment-resistant symptomatology."
)


def test_page_over_its_target_gets_grade_limit_and_tips(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "site" / "index.html", "It is a good sign.", HARD)
    result = check(repo, "readability")
    assert result.code == 1
    assert result.has(
        "docs/index.md:1", "above this page's limit of 8", "split long sentences", "Notwithstanding"
    )


def test_missing_site_says_to_build_first(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    result = check(repo, "readability", site=tmp_path / "nowhere")
    assert result.code == 1
    assert "make build" in result.output


def test_the_limit_comes_from_the_page_policy(tmp_path: Path) -> None:
    """A page's front matter sets its own limit; no list in Python."""
    repo = make_repo(tmp_path)
    edit(repo / "site" / "index.html", "It is a good sign.", HARD)
    edit(
        repo / "docs" / "index.md", "cite_numbers: false", "cite_numbers: false\nreading_grade: 30"
    )
    assert check(repo, "readability").code == 0
    edit(repo / "docs" / "index.md", "reading_grade: 30", "reading_grade: lots")
    result = check(repo, "frontmatter")
    assert result.has("docs/index.md:10", "`reading_grade:` must be a number")
