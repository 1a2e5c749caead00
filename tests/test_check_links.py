"""links: lychee offline over the built site finds missing pages and anchors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from _check_support import append, check, edit, make_repo

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("href", "message"),
    [
        (
            "research/#no-such-heading",
            "#no-such-heading points to a heading id that does not exist",
        ),
        ("no-such-page/", "/no-such-page/ points to a page or file that does not exist"),
        ("#nope", "#nope points to a heading id"),
    ],
)
def test_broken_internal_link(tmp_path: Path, href: str, message: str) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "site" / "index.html", 'href="research/#single-infusion"', f'href="{href}"')
    edit(
        repo / "docs" / "index.md",
        "research.md#single-infusion",
        href.replace("research/", "research.md"),
    )
    result = check(repo, "links")
    assert result.code == 1
    assert result.has("docs/index.md", message, "site/index.html")


def test_broken_anchor_in_another_page(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(repo / "site" / "research" / "index.html", "#ref-alpha2020", "#ref-gamma")
    result = check(repo, "links")
    assert result.code == 1
    assert result.has("docs/research.md:1", "/references/#ref-gamma")


def test_404_page_and_sitemap_are_not_checked(tmp_path: Path) -> None:
    # The fixture's 404.html links to /fixture/no-such-page/ and its sitemap to the web.
    assert check(make_repo(tmp_path), "links").code == 0


@pytest.mark.slow
def test_make_check_names_the_line_of_a_link_the_strict_build_refused(
    project_copy: Path,
) -> None:
    """MkDocs names only the file; `make check` goes on to the checks, which name the line,
    and still fails."""
    shutil.copy(ROOT / "Makefile", project_copy / "Makefile")
    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, project_copy / name)
    line = append(project_copy / "docs" / "glossary.md", "\nSee [the safety page](saftey.md).\n")
    venv = Path(sys.executable).parent.parent
    # A stamp of our own, newer than the lock, so make never reinstalls into this .venv
    # (an editable install from the copy would point the package at a folder soon gone).
    stamp = project_copy / "installed.stamp"
    stamp.touch()
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", f"STAMP={stamp}", "check"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Aborted with 1 warnings in strict mode" in output
    assert f"docs/glossary.md:{line + 1}: the link to /glossary/saftey.md" in output, output
    assert "Traceback" not in output


def test_a_nav_entry_without_its_page_is_named_in_mkdocs_yml(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    edit(
        repo / "mkdocs.yml",
        "  - Research: research.md\n",
        "  - Research: research.md\n  - Extra: extra.md\n",
    )
    for page in ("index.html", "research/index.html"):
        edit(repo / "site" / page, "</nav>", '<a href="extra.md">Extra</a></nav>')
    result = check(repo, "links")
    assert result.code == 1
    nav_line = (repo / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(
        "  - Extra: extra.md"
    ) + 1
    assert result.has(f"mkdocs.yml:{nav_line}", "nav entry for extra.md"), result.output
    assert len(result.findings) == 1, result.output
