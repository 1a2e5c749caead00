"""The check CLI as a whole: the fixture and the real repository pass; the report format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from _check_support import append, check, make_repo
from _support import ROOT
from ketamine_tools.check import CHECKS, main


def test_fixture_repository_passes_every_check(tmp_path: Path) -> None:
    result = check(make_repo(tmp_path))
    assert result.code == 0, result.output
    assert result.findings == []
    assert result.output.startswith(f"check: all {len(CHECKS)} checks passed")


def test_real_repository_passes_every_check(built_site: Path) -> None:
    """The acceptance test: the real sources and their strict build have zero findings."""
    result = check(ROOT, site=built_site, today=date.today().isoformat())
    assert result.code == 0, result.output
    assert result.findings == []


def test_findings_are_path_line_message_and_end_with_a_summary(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "index.md", "Still TODO.\n")
    result = check(repo, "placeholders,frontmatter")
    assert result.code == 1
    assert result.findings[0].startswith(f"docs/index.md:{line}: ")
    assert result.output.splitlines()[-1].startswith("check: 1 problem (placeholders 1)")


def test_unknown_check_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--only", "spellnig"])
    assert exit_info.value.code == 2
    assert "unknown check spellnig" in capsys.readouterr().err


def test_list_names_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(CHECKS)


def test_a_crashing_check_is_reported_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(repo: object) -> list[object]:
        raise ValueError("bad input")

    monkeypatch.setattr(CHECKS["seed"], "run", boom)
    result = check(make_repo(tmp_path), "seed,orphans")
    assert result.code == 1
    assert result.has("src/ketamine_tools/check/seed.py:1", "ValueError: bad input")
    assert "check: 1 problem (seed 1)" in result.output
