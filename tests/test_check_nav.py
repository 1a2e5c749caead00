"""nav: every page in the nav, every nav entry exists, no orphan files in docs/."""

from __future__ import annotations

from pathlib import Path

from _check_support import check, edit, make_repo


def test_page_missing_from_nav(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    result = check(repo, "nav")
    assert result.code == 1
    assert result.has("docs/extra.md:1", "not in the nav", "extra.md")


def test_nav_entry_without_a_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "mkdocs.yml", "research.md", "researh.md")
    (repo / "docs" / "research.md").rename(repo / "docs" / "research-old.md")
    result = check(repo, "nav")
    assert result.code == 1
    assert result.has("mkdocs.yml:22", "'researh.md'", "does not exist")


def test_orphan_file_in_docs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "old-chart.png").write_bytes(b"\x89PNG")
    (repo / "docs" / ".DS_Store").write_bytes(b"junk")
    result = check(repo, "nav")
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
    assert check(repo, "nav").code == 0


def test_mkdocs_tags_are_tolerated(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    assert "!ENV" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!!python/name:" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert check(repo, "nav").code == 0


def test_broken_mkdocs_yml_names_the_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "mkdocs.yml", "  - Research: research.md", "  - Research: [research.md")
    result = check(repo, "nav")
    assert result.code == 1
    assert result.has("mkdocs.yml", "not valid YAML")
