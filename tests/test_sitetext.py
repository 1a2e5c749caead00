"""sitetext: two builds compared page by page; a change in what readers see is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketamine_tools import sitetext

PAGE = (
    '<html><head><title>T</title><meta http-equiv="Content-Security-Policy" content="{csp}">'
    '</head><body><p>Relief may last {days} days<sup id="{ref}">1</sup>.</p></body></html>'
)


def site(root: Path, days: str = "7", csp: str = "a", ref: str = "fnref:x") -> Path:
    (root / "faq").mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format(days=days, csp=csp, ref=ref), encoding="utf-8")
    (root / "faq" / "index.html").write_text(PAGE.format(days="1", csp=csp, ref=ref))
    return root


def test_same_text_passes_whatever_the_csp_and_ids(tmp_path: Path, capsys) -> None:
    old, new = site(tmp_path / "old"), site(tmp_path / "new", csp="b", ref="fnref2:x")
    assert sitetext.main([str(old), str(new)]) == 0
    assert "all 2 pages have the same text" in capsys.readouterr().out
    assert sitetext.main([str(old), str(new), "--html"]) == 1  # the ids did change


def test_a_changed_or_missing_page_is_named(tmp_path: Path, capsys) -> None:
    old, new = site(tmp_path / "old"), site(tmp_path / "new", days="14")
    (new / "extra").mkdir()
    (new / "extra" / "index.html").write_text("<p>new</p>", encoding="utf-8")
    assert sitetext.main([str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "index.html: differs" in out and "+Relief may last 14 days" in out
    assert "extra/index.html: only in new site" in out
    assert "faq/index.html" not in out


@pytest.mark.parametrize("which", [0, 1])
def test_a_folder_that_is_not_a_site_is_one_message(tmp_path: Path, capsys, which) -> None:
    dirs = [site(tmp_path / "old"), tmp_path / "empty"]
    dirs[1].mkdir()
    if which:
        dirs.reverse()
    assert sitetext.main([str(d) for d in dirs]) == 2
    assert "is not a built site" in capsys.readouterr().out
