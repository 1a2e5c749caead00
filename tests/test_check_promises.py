"""promises: no promise of cure or safety; warnings about such promises pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, make_repo

BROKEN = {
    "cure": "Ketamine cures depression for most people [@alpha2020].",
    "proven cure": "It is a proven cure, and it works for everyone.",
    "guaranteed": "Relief is guaranteed within a day.",
    "safe": "Ketamine is completely safe when a clinic gives it.",
    "no side effects": "The spray has no side effects.",
    "over two lines": "Most people find that ketamine\ncures their depression.",
}
FINE = {
    "not a cure": "Ketamine is not a cure [@alpha2020].",
    "wrapped denial": "Ketamine is not\na cure for depression.",
    "warning": "Be wary of clinics that promise a cure or guaranteed results.",
    "question": "Can ketamine cure depression?",
    "no cure": "There is no cure, but treatment helps many people.",
    "without": "No treatment works without side effects.",
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_promise_is_named_at_its_line(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    text = BROKEN[case]
    line = append(repo / "docs" / "research.md", f"\n{text}\n") + 1 + text.count("\n")
    result = check(repo, "promises")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line}", "a promise", "No study promises this")


@pytest.mark.parametrize("case", FINE)
def test_warnings_and_denials_pass(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", f"\n{FINE[case]}\n")
    result = check(repo, "promises")
    assert result.code == 0, result.output
