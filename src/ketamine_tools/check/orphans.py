"""docs/ has no orphan files: every image, download or data file is used somewhere.

Pages missing from the nav and nav entries without a file are the strict build's rules
(MkDocs' `validation: omitted_files` and `nav.not_found`, failing under `strict: true`);
`make check` builds first, so they are not repeated here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from ketamine_tools.check.core import Finding, Repo, load_mkdocs_yaml

NAME = "orphans"
SUMMARY = "no orphan files in docs/ (pages and the nav are the strict build's)"

# Files and folders of docs/ that need no reference from a page.
ALLOWED = ("robots.txt", "references.bib", "assets/", "stylesheets/")


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
