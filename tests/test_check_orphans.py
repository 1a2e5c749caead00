"""orphans: no file in docs/ that nothing uses; the nav itself is the strict build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import check, edit, make_repo
from _support import BIN, run


def test_orphan_file_in_docs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "old-chart.png").write_bytes(b"\x89PNG")
    (repo / "docs" / ".DS_Store").write_bytes(b"junk")
    result = check(repo, "orphans")
    assert result.code == 1
    assert result.has("docs/old-chart.png:1", "orphan file")
    assert result.has("docs/.DS_Store:1", "orphan file")


def test_referenced_and_allowed_files_are_not_orphans(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "chart.png").write_bytes(b"\x89PNG")
    edit(
        repo / "docs" / "index.md",
        "![A small round logo]",
        "![A chart](chart.png)\n\n![A small round logo]",
    )
    (repo / "docs" / "assets" / "extra.svg").write_text("<svg/>", encoding="utf-8")
    assert check(repo, "orphans").code == 0


def test_mkdocs_tags_are_tolerated(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    assert "!ENV" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!!python/name:" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert check(repo, "orphans").code == 0


def test_broken_mkdocs_yml_names_the_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "mkdocs.yml", "  - Research: research.md", "  - Research: [research.md")
    result = check(repo, "orphans")
    assert result.code == 1
    assert result.has("mkdocs.yml", "not valid YAML")


@pytest.mark.parametrize("mistake", ["page not in the nav", "nav entry without a file"])
def test_the_strict_build_owns_the_nav(project_copy: Path, mistake: str) -> None:
    """One rule, one place: MkDocs fails the strict build, and the check CLI says nothing."""
    if mistake == "page not in the nav":
        (project_copy / "docs" / "extra.md").write_text("# Extra\n", encoding="utf-8")
        expected = "extra.md"
    else:
        edit(project_copy / "mkdocs.yml", "research.md", "researh.md")
        expected = "researh.md"
    result = run([str(BIN / "mkdocs"), "build", "--strict", "-d", "s"], cwd=project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected in output and "Traceback" not in output
