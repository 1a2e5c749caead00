"""make linkcheck-external: the no-network path, the report, and lychee.toml."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from _check_support import make_repo
from _support import ROOT
from ketamine_tools import linkcheck_external as lx
from ketamine_tools.check.links import lychee


def fake_lychee(monkeypatch: pytest.MonkeyPatch, report: dict[str, Any]) -> None:
    def run(cmd: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 2, json.dumps(report), "")

    monkeypatch.setattr(lx.subprocess, "run", run)
    monkeypatch.setattr(lx, "network_available", lambda: True)


def failure(url: str, text: str, code: int | None = None) -> dict[str, Any]:
    return {"url": url, "status": {"text": text, "code": code}, "span": {"line": 1}}


def test_without_network_it_says_so_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.setattr(lx, "PROBES", ("https://127.0.0.1:9/",))  # nothing listens there
    report = tmp_path / "report.md"
    code = lx.main(["--root", str(repo), "--report", str(report)])
    assert code == lx.EXIT_NO_NETWORK == 3
    out = capsys.readouterr().out
    assert out.startswith("No network: external links were not checked")
    assert "No network" in report.read_text(encoding="utf-8")


def test_broken_doi_is_traced_to_the_bib_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    page = str(repo / "site" / "references" / "index.html")
    fake_lychee(
        monkeypatch,
        {
            "total": 3,
            "successful": 1,
            "error_map": {
                page: [failure("https://doi.org/10.1000/alpha.2020.1", "Not Found", 404)]
            },
            "timeout_map": {
                page: [failure("https://pubmed.ncbi.nlm.nih.gov/31166571/", "Timeout")]
            },
        },
    )
    report = tmp_path / "report.md"
    assert lx.main(["--root", str(repo), "--report", str(report)]) == lx.EXIT_BROKEN
    out = capsys.readouterr().out
    assert "docs/references.bib:6: https://doi.org/10.1000/alpha.2020.1: 404 Not Found." in out
    assert (
        "docs/references.bib:16: notice: https://pubmed.ncbi.nlm.nih.gov/31166571/ timed out" in out
    )
    markdown = report.read_text(encoding="utf-8")
    assert (
        "| `docs/references.bib:6` | <https://doi.org/10.1000/alpha.2020.1> | 404 Not Found |"
        in markdown
    )
    assert "How to fix" in markdown


def test_every_request_failing_on_the_network_counts_as_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    page = str(repo / "site" / "index.html")
    fake_lychee(
        monkeypatch,
        {
            "total": 1,
            "successful": 0,
            "error_map": {page: [failure("https://x.org/", "Network error: failed")]},
        },
    )
    assert lx.main(["--root", str(repo)]) == lx.EXIT_NO_NETWORK
    assert "No network" in capsys.readouterr().out


def test_links_that_refuse_the_checker_need_a_look_and_are_not_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """403 and 429 often mean "no robots": listed for a person, exit 4, not silently passed."""
    repo = make_repo(tmp_path)
    page = str(repo / "site" / "references" / "index.html")
    fake_lychee(
        monkeypatch,
        {
            "total": 2,
            "successful": 0,
            "fail_map": {
                page: [
                    failure("https://doi.org/10.1000/alpha.2020.1", "Forbidden", 403),
                    failure("https://pubmed.ncbi.nlm.nih.gov/31166571/", "Too Many Requests", 429),
                ]
            },
        },
    )
    report = tmp_path / "report.md"
    assert lx.main(["--root", str(repo), "--report", str(report)]) == lx.EXIT_LOOK == 4
    out = capsys.readouterr().out
    assert "docs/references.bib:6: notice: https://doi.org/10.1000/alpha.2020.1 answered 403" in out
    assert "0 broken, 2 need a look" in out
    markdown = report.read_text(encoding="utf-8")
    assert "**Needs a look (2).**" in markdown and "(429 Too Many Requests)" in markdown


def test_lychee_accepts_the_command_and_config(tmp_path: Path) -> None:
    """`--dump` parses every flag and lychee.toml but sends no request."""
    repo = make_repo(tmp_path)
    (repo / "lychee.toml").write_text((ROOT / "lychee.toml").read_text(encoding="utf-8"))
    binary = lychee()
    assert binary is not None
    command = lx.lychee_command(binary, lx.Repo(root=repo, site=repo / "site"))
    result = subprocess.run([*command, "--dump"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "https://example.org/" not in result.stdout  # example domains are never checked
