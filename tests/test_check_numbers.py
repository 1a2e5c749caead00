"""numbers: on the evidence pages, a sentence with a number is cited in its block."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, make_repo

UNCITED = {
    "percentage": "About 70% of people felt better.",
    "duration": "The effect lasted 2 weeks.",
    "year": "The label changed in 2025.",
    "list item": "- Most people had 6 sessions.",
    "table row": "| Time | Result |\n| --- | --- |\n| 4 hours | 50% |",
    "in words": "Nine out of ten people have side effects.",
    "one in five": "One in five people stop early.",
    "half of them": "Many improve, but half of them relapse.",
}


@pytest.mark.parametrize("case", UNCITED)
def test_uncited_number(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    text = UNCITED[case]
    line = append(repo / "docs" / "research.md", f"\n{text}\n") + 1
    if case == "table row":
        line += 2
    result = check(repo, "numbers")
    assert result.code == 1
    start = text.splitlines()[-1].lstrip("- ")[:12]
    assert result.has(f"docs/research.md:{line}", start, "[@key]")


def test_a_page_without_a_policy_gets_the_default_and_is_checked(tmp_path: Path) -> None:
    """No list in Python: a new page's numbers need citations unless its policy says not."""
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "references.md", "\nIt costs $500 a session.\n") + 1
    assert check(repo, "numbers").has(f"docs/references.md:{line}", "costs $500")


def test_the_site_wide_default_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "references.md", "\nIt costs $500 a session.\n")
    append(repo / "mkdocs.yml", "extra:\n  page_policy:\n    cite_numbers: false\n")
    assert check(repo, "numbers").code == 0


def test_sentence_in_a_cited_paragraph_is_fine(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", "\nIt lasted 2 weeks. Then it faded [@alpha2020].\n")
    assert check(repo, "numbers").code == 0


def test_only_the_uncited_sentence_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(
        repo / "docs" / "research.md",
        "\nIt helped for a while.\nIn one study, 30% relapsed\nwithin 3 months.\n",
    )
    result = check(repo, "numbers")
    assert len(result.findings) == 1
    assert result.has(
        f"docs/research.md:{line + 2}", '"In one study, 30% relapsed within 3 months."'
    )


def test_names_lists_links_headings_and_questions_are_not_claims(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(
        repo / "docs" / "research.md",
        "\n## After 2 infusions\n\nThe ESCAPE-TRD and SUSTAIN-1 trials, and PHQ-9 scores.\n\n"
        "1. First step.\n2. Second step.\n\nSee [the 2019 study](https://example.org/2019).\n\n"
        "Can I drive within 24 hours?\n",
    )
    assert check(repo, "numbers").code == 0


def test_a_page_whose_policy_says_so_is_not_checked(tmp_path: Path) -> None:
    """The fixture's home page sets `cite_numbers: false` in its front matter."""
    repo = make_repo(tmp_path)
    append(repo / "docs" / "index.md", "\nCall 988 at any time.\n")
    assert check(repo, "numbers").code == 0


def test_ordinary_words_are_not_numbers(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(
        repo / "docs" / "research.md",
        "\nOne of the people in a trial felt better; a review looked at all of them. Half the "
        "page is about side effects. Every one in the room was a nurse.\n",
    )
    result = check(repo, "numbers")
    assert result.code == 0, result.output
