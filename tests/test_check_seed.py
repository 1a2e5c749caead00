"""seed: no run of 8 or more words copied from the seed article."""

from __future__ import annotations

import shutil
from pathlib import Path

from _check_support import append, check, make_repo


def test_copied_run_is_found_despite_case_and_punctuation(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    # Seed: "... has gained attention in recent years for its mood effects."
    line = append(
        repo / "docs" / "research.md",
        "Since then, it HAS GAINED attention —\nin recent years, for its mood effects!\n",
    )
    result = check(repo, "seed")
    assert result.code == 1
    assert result.has(
        f"docs/research.md:{line}",
        '"has gained attention in recent years for its mood effects"',
        "10 words",
        "own words",
    )


def test_copied_run_in_a_snippet(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(
        repo / "includes" / "abbreviations.md",
        "Many people notice a change within hours after a single treatment.\n",
    )
    assert check(repo, "seed").has(f"includes/abbreviations.md:{line}", "notice a change")


def test_seven_words_are_allowed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", "It can last for up to a week but not always.\n")
    assert check(repo, "seed").code == 0


def test_missing_seed_is_a_notice_not_a_failure(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    shutil.rmtree(tmp_path / "shared")
    result = check(repo, "seed")
    assert result.code == 0
    assert "../shared/seed:1: notice: the seed article" in result.output
    assert "1 notice" in result.output
