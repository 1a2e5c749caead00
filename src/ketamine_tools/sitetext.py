"""Is the published text the same? Compare two built sites, page by page.

    python -m ketamine_tools.sitetext OLD_SITE NEW_SITE [--html]

For changes that should not change what readers get (moving code, a new parser): build
before and after, then run this. It compares every page's visible text (and its title and
description), whitespace-normalised, and with `--html` the markup too, with the Content
Security Policy removed (its hashes follow the inline scripts). Exit status 1 names each
page that differs and shows the first difference.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from bs4 import BeautifulSoup


def page_text(path: Path, markup: bool = False) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for meta in soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"}):
        meta.decompose()
    if markup:
        return [line.strip() for line in str(soup).splitlines() if line.strip()]
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    lines = [" ".join(soup.title.get_text().split())] if soup.title else []
    description = soup.find("meta", attrs={"name": "description"})
    if description is not None:
        lines.append(str(description.get("content", "")))
    lines += [" ".join(t.split()) for t in soup.get_text("\n").splitlines() if t.strip()]
    return lines


def compare(old: Path, new: Path, markup: bool = False) -> list[str]:
    """One message per page that differs (or exists on one side only)."""
    pages = sorted(
        {p.relative_to(old).as_posix() for p in old.rglob("*.html")}
        | {p.relative_to(new).as_posix() for p in new.rglob("*.html")}
    )
    problems: list[str] = []
    for page in pages:
        a, b = old / page, new / page
        if not a.exists() or not b.exists():
            problems.append(f"{page}: only in {'new' if b.exists() else 'old'} site")
            continue
        before, after = page_text(a, markup), page_text(b, markup)
        if before != after:
            diff = list(difflib.unified_diff(before, after, "old", "new", n=1, lineterm=""))
            problems.append(f"{page}: differs\n  " + "\n  ".join(diff[2:14]))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--html", action="store_true", help="compare the markup, not the text")
    args = parser.parse_args(argv)
    for site in (args.old, args.new):
        if not (site / "index.html").is_file():
            print(f"sitetext: {site} is not a built site (no index.html). Run `make build`.")
            return 2
    problems = compare(args.old, args.new, args.html)
    for problem in problems:
        print(problem)
    count = len(list(args.new.rglob("*.html")))
    what = "markup" if args.html else "text"
    if problems:
        print(f"sitetext: {len(problems)} of {count} pages differ in {what}.")
        return 1
    print(f"sitetext: all {count} pages have the same {what}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
