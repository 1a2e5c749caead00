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


def test_copied_run_after_a_snippet_include_is_found(tmp_path: Path) -> None:
    """The "<" of `--8<--` is no HTML tag: the text after it is checked too."""
    repo = make_repo(tmp_path)
    line = append(
        repo / "docs" / "research.md",
        '--8<-- "abbreviations.md"\n\nFewer than <10 people.\n\n'
        "Many people notice a change within hours after a single treatment.\n\nA <br> here.\n",
    )
    assert check(repo, "seed").has(f"docs/research.md:{line + 4}", "notice a change")


def test_seven_words_are_allowed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", "It can last for up to a week but not always.\n")
    assert check(repo, "seed").code == 0


def test_copied_run_is_found_without_the_seed_from_committed_fingerprints(
    tmp_path: Path,
) -> None:
    """CI on another host has no ../shared/: the committed fingerprints are enough."""
    repo = make_repo(tmp_path)
    shutil.rmtree(tmp_path / "shared")
    line = append(
        repo / "docs" / "research.md",
        "It has gained attention in recent years for its mood effects.\n",
    )
    result = check(repo, "seed")
    assert result.has(f"docs/research.md:{line}", "copied from the seed")
    fingerprints = (repo / "tests" / "seed-fingerprints.txt").read_text(encoding="utf-8")
    assert "attention" not in fingerprints  # hashes, not the seed's words


def test_stale_or_missing_fingerprints_say_how_to_make_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    prints = repo / "tests" / "seed-fingerprints.txt"
    prints.write_text("0123456789abcdef0123\n", encoding="utf-8")
    assert check(repo, "seed").has("tests/seed-fingerprints.txt:1", "do not match", "--update")
    prints.unlink()
    assert check(repo, "seed").has("tests/seed-fingerprints.txt:1", "not committed", "--update")


def test_no_seed_and_no_fingerprints_is_a_notice(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    shutil.rmtree(tmp_path / "shared")
    (repo / "tests" / "seed-fingerprints.txt").unlink()
    result = check(repo, "seed")
    assert result.code == 0
    assert "tests/seed-fingerprints.txt:1: notice:" in result.output
