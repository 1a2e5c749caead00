"""What every check shares: the finding type, the repository being checked, Markdown helpers.

A check is a module with `NAME`, `SUMMARY` and `run(repo) -> Iterable[Finding]`. Each finding
is printed as `path:line: message`; the message says what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ketamine_site.citation_syntax import LOOSE_CITATION, iter_prose_lines

# MkDocs' own front-matter pattern (mkdocs.utils.meta.YAML_RE): `---` on line 1, then YAML.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    message: str
    # A notice is printed but does not fail the run (e.g. a check skipped for a reason).
    notice: bool = False

    def __str__(self) -> str:
        prefix = "notice: " if self.notice else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' `!ENV` and `!!python/name:` tags as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return None  # pragma: no cover


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_mkdocs_yaml(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    return data if isinstance(data, dict) else {}


def split_front_matter(text: str) -> tuple[str | None, int]:
    """(YAML text or None, line number where the page body starts)."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return None, 1
    return match.group(1), match.group(0).count("\n") + 1


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a Markdown file outside fenced code, inline code blanked."""
    return iter_prose_lines(text.splitlines())


@dataclass
class Repo:
    """The repository (and its built site) under check."""

    root: Path
    site: Path
    today: date = field(default_factory=date.today)
    _texts: dict[Path, str] = field(default_factory=dict, repr=False)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def includes(self) -> Path:
        return self.root / "includes"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def rel(self, path: Path) -> str:
        """A path as printed in findings: relative to the repository root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    @cached_property
    def config(self) -> dict[str, Any]:
        """mkdocs.yml, or {} when it is missing or broken (the orphans check reports that)."""
        try:
            return load_mkdocs_yaml(self.mkdocs_yml) if self.mkdocs_yml.is_file() else {}
        except yaml.YAMLError:
            return {}

    def pages(self) -> list[Path]:
        """Every Markdown page in docs/."""
        return sorted(self.docs.rglob("*.md")) if self.docs.is_dir() else []

    def snippets(self) -> list[Path]:
        """Every Markdown file in includes/ (pulled into pages by pymdownx.snippets)."""
        return sorted(self.includes.rglob("*.md")) if self.includes.is_dir() else []

    def data_files(self) -> list[Path]:
        """YAML in includes/ that extensions turn into page text (the evidence map, changes)."""
        if not self.includes.is_dir():
            return []
        return sorted(p for p in self.includes.rglob("*") if p.suffix in {".yml", ".yaml"})

    def text_sources(self, page: Path | None) -> list[Path]:
        """Where a built page's text may be written: its page, then snippets and data files."""
        return [*([page] if page else []), *self.snippets(), *self.data_files()]

    def text(self, path: Path) -> str:
        if path not in self._texts:
            # Bytes that are not UTF-8 become U+FFFD here: the encoding check reports them,
            # the other checks still read the rest of the file.
            self._texts[path] = path.read_text(encoding="utf-8", errors="replace")
        return self._texts[path]

    def changed_files(self) -> set[str] | None:
        """Repository paths this change touches, or None when that cannot be known.

        `CHANGED_FILES` (one path per line; CI sets it from the pull request) wins; else git:
        everything that differs from where this branch left origin/main, committed or not.
        """
        if "_changed" in self.__dict__:
            return self.__dict__["_changed"]  # type: ignore[no-any-return]
        listed = os.environ.get("CHANGED_FILES")
        changed: set[str] | None
        if listed is not None:
            changed = {line.strip() for line in listed.splitlines() if line.strip()}
        else:
            changed = _git_changed(self.root)
        self.__dict__["_changed"] = changed
        return changed

    def nav_files(self) -> list[str] | None:
        """Docs-relative paths of the Markdown files in mkdocs.yml's nav (None: no nav)."""
        nav = self.config.get("nav")
        if nav is None:
            return None
        found: list[str] = []

        def walk(item: Any) -> None:
            if isinstance(item, str):
                if "://" not in item and not item.startswith(("mailto:", "#")):
                    found.append(item.lstrip("/"))
            elif isinstance(item, list):
                for child in item:
                    walk(child)
            elif isinstance(item, dict):
                for child in item.values():
                    walk(child)

        walk(nav)
        return found

    def nav_pages(self) -> list[Path]:
        """Pages in the nav that exist (every page when there is no nav)."""
        files = self.nav_files()
        if files is None:
            return self.pages()
        return [self.docs / f for f in files if f.endswith(".md") and (self.docs / f).is_file()]


def _git(root: Path, *args: str) -> list[str] | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.splitlines() if result.returncode == 0 else None


def _git_changed(root: Path) -> set[str] | None:
    base = _git(root, "merge-base", "HEAD", "origin/main")
    if not base:
        return None
    diff = _git(root, "diff", "--name-only", base[0])
    untracked = _git(root, "ls-files", "--others", "--exclude-standard")
    if diff is None or untracked is None:
        return None
    return {line for line in [*diff, *untracked] if line}


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'


SITE_MISSING = "the built site is missing"


def site_missing(repo: Repo, check: str) -> Finding:
    return Finding(
        repo.rel(repo.site),
        1,
        f"{SITE_MISSING}, so the {check} check could not run. Run `make build` "
        "first (`make check` builds, then checks).",
    )


def page_source(repo: Repo, html: Path) -> Path | None:
    """The docs/ Markdown file a built page came from (use_directory_urls layout)."""
    try:
        rel = html.resolve().relative_to(repo.site.resolve()).as_posix()
    except ValueError:
        return None
    if rel == "index.html":
        stems = ["index"]
    elif rel.endswith("/index.html"):
        base = rel.removesuffix("/index.html")
        stems = [base, f"{base}/index", f"{base}/README"]
    else:
        stems = [rel.removesuffix(".html")]
    for stem in stems:
        candidate = repo.docs / f"{stem}.md"
        if candidate.is_file():
            return candidate
    return None


def find_line(text: str, words: list[str]) -> int | None:
    """Line where these words start, allowing Markdown between them (links, bold, breaks)."""
    if not words:
        return None
    # Between two words: punctuation, or a link target, a citation or an attribute list.
    sep = rf"(?:\W|\]\([^)]*\)|{LOOSE_CITATION}|\{{[^}}]*\}})+"
    pattern = r"\b" + sep.join(re.escape(w) for w in words) + r"\b"
    match = re.search(pattern, text, re.IGNORECASE)
    return line_of(text, match.start()) if match else None
