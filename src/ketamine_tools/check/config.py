"""mkdocs.yml and robots.txt: what a small edit there does to every page. Each page is in the
nav once; scripts come only from the template (overrides/main.html), where each is loaded
once, in order, and allowed by the Content Security Policy; search engines may read the site;
the site's address, written again where a part of the build cannot read it, is the same
everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ketamine_tools.check import core
from ketamine_tools.check.core import Finding, Repo, load_mkdocs_yaml

NAME = "config"
SUMMARY = (
    "mkdocs.yml lists each page once in nav and adds no extra_javascript; robots.txt allows; "
    "site_url and repo_url repeated the same"
)
# Addresses that a Markdown extension or robots.txt must repeat (they do not see the rest of
# mkdocs.yml): a change in one place only sends readers' "Report a problem" links, the
# changes feed or search engines to an old address.
REPEATED_KEYS = ("site_url", "repo_url")


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
    return core.line_of(text, matches[nth]) if len(matches) > nth else 1


def same_address(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def repeated_addresses(config: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(extension, key, value) for each address an extension's options repeat."""
    for ext in config.get("markdown_extensions") or []:
        if not isinstance(ext, dict):
            continue
        for name, options in ext.items():
            if not isinstance(options, dict):
                continue
            for key in REPEATED_KEYS:
                value = options.get(key)
                if isinstance(value, str):
                    yield str(name), key, value


def address_findings(repo: Repo, config: dict[str, Any], text: str) -> Iterator[Finding]:
    for name, key, value in repeated_addresses(config):
        main = config.get(key)
        if isinstance(main, str) and not same_address(main, value):
            yield Finding(
                repo.rel(repo.mkdocs_yml),
                line_of(text, rf"^\s+{key}\s*:\s*{re.escape(value)}"),
                f"`{key}` of {name} is {value}, but the site's `{key}` (top of mkdocs.yml) is "
                f"{main}. An extension does not see the rest of mkdocs.yml, so the address is "
                "written twice: make both the same.",
            )
    site_url = config.get("site_url")
    robots = repo.docs / "robots.txt"
    if isinstance(site_url, str) and site_url.startswith("http") and robots.is_file():
        expected = site_url.rstrip("/") + "/sitemap.xml"
        for number, line in enumerate(repo.text(robots).splitlines(), start=1):
            match = re.match(r"^\s*sitemap\s*:\s*(\S+)", line, re.I)
            if match and match.group(1) != expected:
                yield Finding(
                    repo.rel(robots),
                    number,
                    f"the sitemap is at {expected} (site_url in mkdocs.yml), not "
                    f"{match.group(1)}. Write `Sitemap: {expected}`.",
                )


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
        yield from address_findings(repo, config, text)
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
