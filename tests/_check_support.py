"""Helpers for the tests of `python -m ketamine_tools.check` (imported as `_check_support`)."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from ketamine_tools.check import main

FIXTURE = Path(__file__).parent / "fixtures" / "check"
TODAY = "2026-12-01"  # the fixture's review dates are valid on this day


def make_repo(tmp_path: Path) -> Path:
    """A copy of the fixture repository (and the seed beside it) that passes every check."""
    shutil.copytree(FIXTURE / "repo", tmp_path / "repo")
    shutil.copytree(FIXTURE / "shared", tmp_path / "shared")
    return tmp_path / "repo"


@dataclass
class Result:
    code: int
    output: str

    @property
    def findings(self) -> list[str]:
        """The `path:line: message` lines (not the summary or notices)."""
        lines = self.output.splitlines()
        return [
            line for line in lines if not line.startswith("check:") and ": notice: " not in line
        ]

    def has(self, location: str, *words: str) -> bool:
        """Is there a finding at `location` (`path:line` or `path`) mentioning every word?"""
        return any(
            line.startswith(f"{location}:") and all(w in line for w in words)
            for line in self.findings
        )


def check(root: Path, *names: str, site: Path | None = None, today: str = TODAY) -> Result:
    args = ["--root", str(root), "--today", today]
    for name in names:
        args += ["--only", name]
    if site is not None:
        args += ["--site", str(site)]
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(args)
    return Result(code, out.getvalue())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> int:
    """Append lines to a file; returns the line number of the first one."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def add_to_built_page(repo: Path, markdown: str, html: str, page: str = "research") -> int:
    """Markdown appended to docs/PAGE.md and what the build would make of it, put at the end
    of the built page's article (no build needed); returns the Markdown's first line."""
    line = append(repo / "docs" / f"{page}.md", markdown)
    edit(repo / "site" / page / "index.html", "</article>", html + "</article>")
    return line
