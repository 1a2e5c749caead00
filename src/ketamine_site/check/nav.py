"""Every page is in mkdocs.yml's nav, every nav entry exists, and docs/ has no orphan files."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from ketamine_site.check.core import Finding, Repo, load_mkdocs_yaml

NAME = "nav"
SUMMARY = "every page in the nav, every nav entry exists, no orphan files in docs/"

# Files and folders of docs/ that need no reference from a page.
ALLOWED = ("robots.txt", "references.bib", "assets/", "stylesheets/")


def nav_line(repo: Repo, entry: str) -> int:
    """Line of a nav entry in mkdocs.yml (1 when not found)."""
    text = repo.text(repo.mkdocs_yml)
    match = re.search(rf"^\s*-.*{re.escape(entry)}\s*$", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def not_in_nav(repo: Repo) -> list[str]:
    value = repo.config.get("not_in_nav") or ""
    return [p.strip() for p in str(value).splitlines() if p.strip() and not p.startswith("#")]


def is_exempt(rel: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(rel, p.lstrip("/")) or fnmatch.fnmatch(Path(rel).name, p) for p in patterns
    )


def referenced(repo: Repo, rel: str) -> bool:
    """Does mkdocs.yml, a page, a snippet or a template mention this docs/ file?"""
    texts = [repo.text(repo.mkdocs_yml)] if repo.mkdocs_yml.is_file() else []
    texts += [repo.text(p) for p in [*repo.pages(), *repo.snippets()]]
    overrides = repo.root / "overrides"
    if overrides.is_dir():
        texts += [repo.text(p) for p in sorted(overrides.rglob("*.html"))]
    return any(rel in text for text in texts)


def yaml_error(repo: Repo) -> Finding | None:
    try:
        load_mkdocs_yaml(repo.mkdocs_yml)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return Finding(
            repo.rel(repo.mkdocs_yml),
            line,
            f"mkdocs.yml is not valid YAML ({error.problem}). Check the indentation (two "
            "spaces per level, `- ` before each nav entry).",
        )
    except yaml.YAMLError as error:  # pragma: no cover - errors without a position
        return Finding(repo.rel(repo.mkdocs_yml), 1, f"mkdocs.yml is not valid YAML ({error}).")
    return None


def run(repo: Repo) -> Iterator[Finding]:
    yml = repo.rel(repo.mkdocs_yml)
    if not repo.mkdocs_yml.is_file():
        yield Finding(yml, 1, "mkdocs.yml is missing: run the checks from the repository root.")
        return
    broken = yaml_error(repo)
    if broken:
        yield broken
        return
    files = repo.nav_files()
    if files is not None:
        for entry in files:
            if not (repo.docs / entry).is_file():
                yield Finding(
                    yml,
                    nav_line(repo, entry),
                    f"the nav lists {entry!r}, but docs/{entry} does not exist. Fix the file "
                    "name in the nav, or add the page.",
                )
        in_nav = set(files)
        exempt = not_in_nav(repo)
        for page in repo.pages():
            rel = page.relative_to(repo.docs).as_posix()
            if rel not in in_nav and not is_exempt(rel, exempt):
                yield Finding(
                    repo.rel(page),
                    1,
                    f"this page is not in the nav, so readers cannot find it. Add it to `nav:` "
                    f"in mkdocs.yml (e.g. `- Page title: {rel}`), or delete the file.",
                )
    if not repo.docs.is_dir():
        return
    folders = tuple(a for a in ALLOWED if a.endswith("/"))
    for path in sorted(p for p in repo.docs.rglob("*") if p.is_file()):
        rel = path.relative_to(repo.docs).as_posix()
        hidden = any(part.startswith(".") for part in Path(rel).parts)
        if path.suffix == ".md" and not hidden:
            continue
        if not hidden and (rel in ALLOWED or rel.startswith(folders) or referenced(repo, rel)):
            continue
        yield Finding(
            repo.rel(path),
            1,
            "orphan file: no page, snippet, template or mkdocs.yml uses it. Link or embed it "
            f"from a page, or delete it (allowed without a reference: {', '.join(ALLOWED)}).",
        )
