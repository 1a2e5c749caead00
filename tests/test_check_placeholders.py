"""placeholders: [Link…], [Title of…], TODO/FIXME/TBD, lorem ipsum and empty links."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, make_repo

BROKEN = {
    "link text": ("See [Link to reputable source].", "placeholder link text"),
    "link ellipsis": ("See [Link…] for more.", "placeholder link text"),
    "title": ("As [Title of the study] shows.", "placeholder title"),
    "todo": ("TODO: add the numbers.", "unfinished-work marker"),
    "fixme": ("Numbers here (fixme).", "unfinished-work marker"),
    "tbd": ("Cost: TBD.", "unfinished-work marker"),
    "lorem": ("Lorem ipsum dolor sit amet.", "dummy text"),
    "empty target": ("Read [the study]().", "empty link"),
    "empty text": ("Read [](https://example.org/study).", "empty link"),
    "html": ('Read <a href="">the study</a>.', "empty link"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_placeholder_on_a_page(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    text, message = BROKEN[case]
    line = append(repo / "docs" / "research.md", f"{text}\n")
    result = check(repo, "placeholders")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line}", message)


def test_placeholder_in_a_snippet(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "includes" / "abbreviations.md", "*[ECT]: TODO\n")
    result = check(repo, "placeholders")
    assert result.has(f"includes/abbreviations.md:{line}", "TODO")


def test_code_is_not_prose(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", "Write `TODO` nowhere.\n\n```text\nTODO\n```\n")
    assert check(repo, "placeholders").code == 0
