"""spelling: codespell over the pages and snippets, with the project word list."""

from __future__ import annotations

from pathlib import Path

from _check_support import append, check, make_repo

TYPO = "rec" + "ieve"  # spelled out of order so codespell on this file stays quiet


def test_misspelling_names_file_line_and_fix(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "research.md", f"You may {TYPO} it twice.\n")
    result = check(repo, "spelling")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line}", f"{TYPO!r}", "'receive'", "tests/wordlist.txt")


def test_misspelling_in_a_snippet(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "includes" / "abbreviations.md", f"*[RX]: {TYPO}\n")
    assert check(repo, "spelling").has(f"includes/abbreviations.md:{line}", TYPO)


def test_word_list_accepts_a_term(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", "Ketamine or ECT (electroconvulsive therapy).\n")
    assert check(repo, "spelling").code == 0
    (repo / "tests" / "wordlist.txt").write_text("", encoding="utf-8")
    assert check(repo, "spelling").code == 1
