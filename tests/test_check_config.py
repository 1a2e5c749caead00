"""config: each page once in nav, no extra_javascript in mkdocs.yml, robots.txt lets search
engines in."""

from __future__ import annotations

from pathlib import Path

from _check_support import append, check, edit, make_repo


def test_the_fixture_passes(tmp_path: Path) -> None:
    assert check(make_repo(tmp_path), "config").code == 0


def test_a_page_twice_in_nav(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    yml = repo / "mkdocs.yml"
    edit(yml, "  - Research: research.md\n", "  - Research: research.md\n  - Again: research.md\n")
    line = yml.read_text(encoding="utf-8").splitlines().index("  - Again: research.md") + 1
    result = check(repo, "config")
    assert result.code == 1
    assert result.has(f"mkdocs.yml:{line}", "`research.md` is in `nav` twice")


def test_extra_javascript(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "mkdocs.yml", "extra_javascript:\n  - assets/javascripts/search.js\n")
    result = check(repo, "config")
    assert result.code == 1
    assert result.has(f"mkdocs.yml:{line}", "`extra_javascript`", "overrides/main.html")


def test_robots_txt_that_shuts_search_engines_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    robots = repo / "docs" / "robots.txt"
    line = append(robots, "Disallow: /\n")
    result = check(repo, "config")
    assert result.code == 1
    assert result.has(f"docs/robots.txt:{line}", "keeps search engines out")


def test_one_line_when_the_site_is_missing(tmp_path: Path) -> None:
    import shutil

    repo = make_repo(tmp_path)
    shutil.rmtree(repo / "site")
    result = check(repo, "links", "structure", "helplines")
    assert result.output.count("the built site is missing") == 1, result.output
    assert "links, structure, helplines could not run" in result.output


SITE = 'site_url: !ENV [SITE_URL, "https://example.org/fixture/"]\n'


def with_changes_extension(tmp_path: Path, its_site_url: str) -> Path:
    """The fixture with a plain site_url and an extension that repeats it as given."""
    repo = make_repo(tmp_path)
    yml = repo / "mkdocs.yml"
    edit(yml, SITE, "site_url: https://example.org/fixture/\n")
    edit(
        yml,
        "  - abbr\n",
        f"  - abbr\n  - ketamine_site.changes:\n      site_url: {its_site_url}\n",
    )
    return repo


def test_an_address_repeated_for_an_extension_that_differs(tmp_path: Path) -> None:
    repo = with_changes_extension(tmp_path, "https://example.org/old-name/")
    lines = (repo / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index("      site_url: https://example.org/old-name/") + 1
    result = check(repo, "config")
    assert result.code == 1
    assert result.has(f"mkdocs.yml:{line}", "`site_url` of ketamine_site.changes", "both the same")


def test_the_same_address_with_or_without_its_last_slash_passes(tmp_path: Path) -> None:
    repo = with_changes_extension(tmp_path, "https://example.org/fixture")
    assert check(repo, "config").code == 0


def test_a_sitemap_line_for_another_address(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "mkdocs.yml", SITE, "site_url: https://example.org/fixture/\n")
    robots = repo / "docs" / "robots.txt"
    line = append(robots, "Sitemap: https://example.org/old/sitemap.xml\n")
    result = check(repo, "config")
    assert result.code == 1
    assert result.has(f"docs/robots.txt:{line}", "https://example.org/fixture/sitemap.xml")
    robots.write_text("User-agent: *\nAllow: /\nSitemap: https://example.org/fixture/sitemap.xml\n")
    assert check(repo, "config").code == 0
