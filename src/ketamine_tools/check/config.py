"""mkdocs.yml and robots.txt: what a small edit there does to every page. Each page is in the
nav once; scripts come only from the template (overrides/main.html), where each is loaded
once, in order, and allowed by the Content Security Policy; search engines may read the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ketamine_tools.check.core import Finding, Repo, load_mkdocs_yaml

NAME = "config"
SUMMARY = "mkdocs.yml lists each page once in nav and adds no extra_javascript; robots.txt allows"


def nav_files(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_files(value)


def line_of(text: str, pattern: str, nth: int = 0) -> int:
    matches = [m.start() for m in re.finditer(pattern, text, re.M)]
    if len(matches) <= nth:
        return 1
    return text.count("\n", 0, matches[nth]) + 1


def run(repo: Repo) -> Iterator[Finding]:
    yml = repo.mkdocs_yml
    if yml.is_file():
        text = repo.text(yml)
        try:
            config = load_mkdocs_yaml(yml)
        except Exception:  # the orphans check names a YAML error at its line
            config = {}
        seen: dict[str, int] = {}
        for name in nav_files(config.get("nav")):
            if name.startswith(("http://", "https://")):
                continue
            seen[name] = seen.get(name, 0) + 1
            if seen[name] == 2:
                yield Finding(
                    repo.rel(yml),
                    line_of(text, rf":\s*{re.escape(name)}\s*$|^\s*-\s*{re.escape(name)}\s*$", 1),
                    f"`{name}` is in `nav` twice: the menu shows it twice and the page's "
                    "'previous' and 'next' links go in a loop. Keep one entry.",
                )
        if config.get("extra_javascript"):
            yield Finding(
                repo.rel(yml),
                line_of(text, r"^extra_javascript\s*:"),
                "`extra_javascript` adds scripts to every page outside the template. The "
                "site's scripts are loaded by overrides/main.html, once each and in order "
                "(early.js and search.js before the theme's, site.js after), and each is "
                "allowed by the Content Security Policy. Remove the key; add a script in the "
                "template's `scripts` block instead (CONTRIBUTING, security).",
            )
    robots = repo.docs / "robots.txt"
    if robots.is_file():
        for number, line in enumerate(repo.text(robots).splitlines(), start=1):
            if re.match(r"^\s*disallow\s*:\s*/\s*(?:#.*)?$", line, re.I):
                yield Finding(
                    repo.rel(robots),
                    number,
                    "`Disallow: /` keeps search engines out of the whole site, so readers "
                    "searching the web would not find it. Remove the line (the site is public "
                    "health information).",
                )
