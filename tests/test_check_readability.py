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


LONG = (
    " ".join(["People who had the spray and the pill"] + ["and then kept going to the clinic"] * 6)
    + "."
)
SHORT = "People kept the spray. They kept the pill. " * 8


def test_one_long_sentence_among_short_ones(tmp_path: Path) -> None:
    """Easy words keep the page's grade within its limit: the sentence's length is what fails."""
    repo = make_repo(tmp_path)
    edit(repo / "docs" / "index.md", "Read [what", f"{LONG}\n\nRead [what")
    edit(repo / "site" / "index.html", "It is a good sign.", f"It is a good sign. {SHORT}{LONG}")
    line = next(
        n
        for n, text in enumerate((repo / "docs" / "index.md").read_text().splitlines(), 1)
        if LONG in text
    )
    result = check(repo, "readability")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line}", "this sentence has 50 words", "Split it")
    assert not result.has("docs/index.md:1", "above this page's limit"), result.output


def test_lines_of_a_table_cell_are_sentences_of_their_own(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    cell = "<br>".join(["At 1 day: about 52 in 100 of the people in the trial had responded"] * 5)
    edit(
        repo / "site" / "index.html",
        "It is a good sign.",
        f"It is a good sign.</p><table><tr><td>{cell}</td></tr></table><p>",
    )
    result = check(repo, "readability")
    assert result.code == 0, result.output


def test_a_long_sentence_from_an_included_file_is_named_there(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "includes" / "evidence.yml").write_text(f"- result: {LONG}\n", encoding="utf-8")
    edit(repo / "site" / "index.html", "It is a good sign.", f"It is a good sign. {LONG}")
    result = check(repo, "readability")
    assert result.code == 1
    assert result.has("includes/evidence.yml:1", "this sentence has 50 words"), result.output
