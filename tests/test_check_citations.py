"""citations: bib entries well formed and used; every cited key exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, edit, make_repo

ALPHA_DOI = "doi = {10.1000/alpha.2020.1},"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def bib(repo: Path) -> Path:
    return repo / "docs" / "references.bib"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (ALPHA_DOI, "doi = {https://doi.org/10.1000/alpha.2020.1},", "is not a DOI"),
        (ALPHA_DOI, "doi = {10.10/x},", "is not a DOI"),
        (ALPHA_DOI, "pmid = {PMID 123},", "digits only"),
        (ALPHA_DOI, "url = {http://example.org/alpha},", "must start with https://"),
        (ALPHA_DOI, "", "no DOI, PMID or url"),
        ("note = {Seen at shared/evidence/duration.md},", "", "no `note`"),
        ("group = {Trials},", "", "no `group`"),
        ("group = {Trials},", "group = {Trails},", "'Trails' is not one of"),
        ("  title = {A trial of one infusion},\n", "", "no `title`"),
        ("year = {2020},", "year = {2031},", "not in the future"),
        ("year = {2020},", "year = {20020},", "four digits"),
        (ALPHA_DOI, "doi = {10.1000/alpha.2020.1.},", "ends with '.'"),
        ("journal = {Journal of Tests},", "journaltitle = {Journal of Tests},", "`journal`"),
        ("year = {2020},", "date = {2020-03-01},", "Write it as `year`"),
    ],
)
def test_bad_entry_names_key_and_bib_line(repo: Path, old: str, new: str, message: str) -> None:
    edit(bib(repo), old, new)
    result = check(repo, "citations")
    assert result.code == 1
    assert result.has("docs/references.bib:1", "alpha2020:", message)


def test_entry_nobody_cites(repo: Path) -> None:
    line = append(
        bib(repo),
        "\n@misc{unused2024,\n  title = {Unused},\n  url = {https://example.org/},\n"
        "  note = {Seen at https://example.org/},\n  group = {Reviews},\n}\n",
    )
    result = check(repo, "citations")
    assert result.code == 1
    assert result.has(f"docs/references.bib:{line + 1}", "unused2024:", "not cited")


def test_full_list_on_references_page_is_not_a_citation(repo: Path) -> None:
    edit(repo / "docs" / "research.md", "stayed well for longer [@beta2019]", "stayed well")
    result = check(repo, "citations")
    assert result.has("docs/references.bib:11", "beta2019:", "not cited")


def test_citation_in_a_snippet_counts(repo: Path) -> None:
    edit(repo / "docs" / "research.md", "stayed well for longer [@beta2019]", "stayed well")
    append(repo / "includes" / "abbreviations.md", "\nSee [@beta2019].\n")
    assert check(repo, "citations").code == 0


def test_duplicate_key(repo: Path) -> None:
    text = bib(repo).read_text(encoding="utf-8")
    line = append(bib(repo), "\n" + text.split("\n\n")[0] + "\n") + 1
    result = check(repo, "citations")
    assert result.code == 1
    assert result.has(f"docs/references.bib:{line}", "'alpha2020' is used by two entries")


def test_syntax_error_names_the_line(repo: Path) -> None:
    edit(bib(repo), "  year = {2019},", "  year 2019,")
    result = check(repo, "citations")
    assert result.code == 1
    assert result.has("docs/references.bib:15", "BibTeX syntax error")


def test_a_malformed_citation_is_caught_in_the_built_page(
    tmp_path: Path, project_copy: Path
) -> None:
    """`[@a, @b]` (a comma, not `;`) is no citation: readers would see the raw keys. The
    escape `\\[@key]`, for showing the syntax, is meant to stay text and passes."""
    from _support import build

    page = project_copy / "docs" / "faq.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    page.write_text(
        # A key the page already cites correctly higher up: the finding is still this line.
        text
        + "Relief fades [@spravato-label-us, @kishimoto2016].\n\nWrite \\[@daly2019] to cite.\n",
        encoding="utf-8",
    )
    site = tmp_path / "s"
    assert build(site, cwd=project_copy).returncode == 0
    result = check(project_copy, "citations", site=site)
    assert result.code == 1
    assert result.has(f"docs/faq.md:{line}", "not turned into a footnote", "separated by `;`")
    assert "daly2019" not in result.output


def test_a_citation_in_round_brackets_is_caught_at_its_line(
    tmp_path: Path, project_copy: Path
) -> None:
    from _support import build

    page = project_copy / "docs" / "faq.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    page.write_text(text + "As one trial found (@spravato-label-us).\n", encoding="utf-8")
    site = tmp_path / "s"
    assert build(site, cwd=project_copy).returncode == 0
    result = check(project_copy, "citations", site=site)
    assert result.has(f"docs/faq.md:{line}", "not turned into a footnote", "(@spravato-label-us)")
