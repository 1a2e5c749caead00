"""links: lychee offline over the built site finds missing pages and anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import check, edit, make_repo


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
