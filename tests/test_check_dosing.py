"""dosing: no dosing instruction addressed to the reader; doses reported from studies pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, make_repo

BROKEN = {
    "imperative": "Take 50 mg twice a week.",
    "you can": "At home you can use 2 sprays each time.",
    "per kilogram": "Start with 0.5 mg/kg and go higher if it does not work.",
    "a range": "You should take 1-2 tablets before bed.",
    "list item": "- **Tip:** take 10 mg first, then wait.",
    "then": "If it wears off, then take 25 mg more.",
    "en dash": "Take 1\u20132 tablets at night.",
    "cited": "Use 84 mg if the first dose does not help [@popova2019].",
    "in words": "If the effect fades early, use one more spray.",
    "half per kilo": "Take half a milligram for each kilo you weigh.",
    "another dose": "If you feel low again, just take another dose.",
    "two or three": "You can take two or three tablets on a bad day.",
}
FINE = {
    "a study's dose": "In the trial, people were given 56 mg or 84 mg [@popova2019].",
    "passive": "Ketamine 0.5 mg/kg was given over 40 minutes [@popova2019].",
    "what most people get": "Most people take 56 mg at first, as the label says [@popova2019].",
    "sessions": "You may have 3 sessions a week at first [@popova2019].",
    "ask": "Ask your prescriber what dose is right for you.",
    "a nasal spray": "You use a nasal spray yourself, while staff watch [@popova2019].",
    "a friend": "Take a friend with you to each session.",
    "a dose of words": "Staff decide the dose; you do not take a dose home [@popova2019].",
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_dosing_instruction_is_named_at_its_line(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "research.md", f"\n{BROKEN[case]}\n")
    result = check(repo, "dosing")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line + 1}", "dosing instruction", "prescriber")


def test_the_line_is_where_the_instruction_is_in_a_long_paragraph(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(
        repo / "docs" / "research.md",
        "\nRelief often fades within a week or two in the studies.\nIf it fades, take 25 mg\n"
        "more at home.\n",
    )
    result = check(repo, "dosing")
    assert result.has(f"docs/research.md:{line + 2}", "take 25 mg")


@pytest.mark.parametrize("case", FINE)
def test_reported_doses_and_advice_to_ask_pass(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    append(repo / "docs" / "research.md", f"\n{FINE[case]}\n")
    result = check(repo, "dosing")
    assert result.code == 0, result.output
