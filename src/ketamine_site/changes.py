"""Python-Markdown extension: what changed on the site, and a way to report a problem.

- A line holding only `[changes]` (docs/changes.md) becomes the list of every change a
  reader would care about, newest first, from includes/changes.yml: date, page, one line,
  and corrections marked as such.
- Every page ends with its own block: when the page last changed (`git log -1` of its file,
  left out when git or the history is not there, as in a tarball), its latest entries from
  includes/changes.yml, and plain links to the repository's issue forms ("Report a problem",
  "Was this page helpful?") prefilled with the page's title, address and the commit the site
  was built from. Links only: no script and no request until the reader clicks.

A Markdown extension rather than an MkDocs hook, so both MkDocs and Zensical run it.
Markdown passes no file name: the page is recognised by its text, compared with the files
in docs_dir (the citations extension finds an unknown key's page the same way).
A bad includes/changes.yml stops the build with `includes/changes.yml:LINE: what to fix`.
"""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

log = logging.getLogger("mkdocs.plugins.ketamine_site.changes")

PLACEHOLDER_RE = re.compile(r"^\s*\[changes\]\s*$")
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
H1_RE = re.compile(r"^#\s+(.+?)\s*(?:\{[^}]*\})?\s*#*\s*$")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ENTRY_KEYS = {"date", "page", "change", "correction"}
LONGEST_CHANGE = 200
EXAMPLE = (
    "- date: 2026-12-01\n  page: safety.md\n  change: One plain line on what changed.\n"
    "  correction: true   # only when it put right something that was wrong"
)

try:  # A clean "Error: ..." in MkDocs instead of a traceback; plain exception elsewhere.
    from mkdocs.exceptions import BuildError as _BaseError
except ImportError:  # pragma: no cover - Zensical or plain Python-Markdown
    _BaseError = Exception  # type: ignore[assignment,misc]


class ChangesError(_BaseError):
    """includes/changes.yml is not a list of well-formed changes."""


@dataclass(frozen=True)
class Change:
    day: date
    page: str  # a file in docs_dir, "safety.md"
    text: str
    correction: bool


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def page_url(page: str) -> str:
    """docs-relative file -> site path, as with use_directory_urls ("faq.md" -> "faq/")."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative(from_page: str, to_page: str) -> str:
    """Link from one page's URL to another's ("faq.md", "changes.md" -> "../changes/")."""
    ups = page_url(from_page).count("/")
    return "../" * ups + page_url(to_page) or "./"


# --- includes/changes.yml ---------------------------------------------------------------


def _fail(message: str) -> None:
    log.error(message)
    raise ChangesError(message)


def as_date(value: Any) -> date | None:
    """A YAML date or an ISO string as a date; None for anything else (a datetime too)."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class _Loader(yaml.SafeLoader):
    """YAML with dates left as text, so that 2026-13-01 is a message, not a crash."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


def parse_changes(text: str, where: str, docs_dir: Path) -> list[Change]:
    """The changes in `text` (the YAML of `where`), newest first; ChangesError if bad."""
    try:
        nodes = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 1
        _fail(
            f"{where}:{line}: not valid YAML ({error.problem}). Check the indentation, and "
            "put quotes around a line that contains a colon."
        )
        raise  # unreachable: _fail raises
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(nodes, yaml.SequenceNode):
        _fail(f"{where}:1: must be a list of changes, each like:\n{EXAMPLE}")
        return []  # unreachable: _fail raises
    problems: list[str] = []
    changes: list[Change] = []
    for item, node in zip(data, nodes.value, strict=True):
        line = node.start_mark.line + 1

        def at(key: str, node: yaml.Node = node, line: int = line) -> int:
            if isinstance(node, yaml.MappingNode):
                for key_node, _ in node.value:
                    if key_node.value == key:
                        return int(key_node.start_mark.line) + 1
            return line

        if not isinstance(item, dict):
            problems.append(f"{where}:{line}: each change is a mapping, like:\n{EXAMPLE}")
            continue
        if isinstance(node, yaml.MappingNode):
            names = [str(key_node.value) for key_node, _ in node.value]
            for key in sorted({n for n in names if names.count(n) > 1}):
                problems.append(
                    f"{where}:{at(key)}: `{key}:` is given twice in one change; only the last "
                    "would count. Keep one."
                )
        for key in sorted(set(map(str, item)) - ENTRY_KEYS):
            problems.append(
                f"{where}:{at(key)}: `{key}:` is not a key of a change. The keys are "
                "date, page, change and correction."
            )
        day = as_date(item.get("date"))
        if day is None:
            problems.append(
                f"{where}:{at('date')}: `date:` must be a date like 2026-12-01 "
                f"(year-month-day), not {item.get('date')!r}."
            )
        if day is not None and day > date.today():
            problems.append(
                f"{where}:{at('date')}: `date: {day}` is in the future. Give the day the "
                "change was published."
            )
        page = item.get("page")
        if isinstance(page, str) and (".." in page.split("/") or page.startswith("/")):
            problems.append(
                f"{where}:{at('page')}: `page:` must name a page's file inside docs/, like "
                f"safety.md (found {page!r})."
            )
        elif not isinstance(page, str) or not page.endswith(".md"):
            problems.append(
                f"{where}:{at('page')}: `page:` must name a page's file in docs/, like "
                f"safety.md (found {page!r})."
            )
        elif not (docs_dir / page).is_file():
            problems.append(f"{where}:{at('page')}: `page: {page}`: there is no docs/{page}.")
        text_value = item.get("change")
        if not isinstance(text_value, str) or not text_value.strip():
            problems.append(f"{where}:{at('change')}: `change:` needs one plain line of text.")
        elif "\n" in text_value.strip() or len(text_value.strip()) > LONGEST_CHANGE:
            problems.append(
                f"{where}:{at('change')}: `change:` must be one line of at most "
                f"{LONGEST_CHANGE} characters."
            )
        elif set(text_value) & set("<>"):
            problems.append(f"{where}:{at('change')}: `change:` must be plain text, no < or >.")
        elif re.search(r"\[@|\]\(|\*\*|`", text_value):
            problems.append(
                f"{where}:{at('change')}: `change:` must be plain text: no citations "
                "([@...]), links, `**` or backticks. Say it in words; the page it names is "
                "linked already."
            )
        correction = item.get("correction", False)
        if not isinstance(correction, bool):
            problems.append(
                f"{where}:{at('correction')}: `correction:` must be true or false "
                f"(found {correction!r})."
            )
        if day is not None and isinstance(page, str) and isinstance(text_value, str):
            changes.append(Change(day, page, " ".join(text_value.split()), correction is True))
    if problems:
        _fail("\n".join(problems))
    return sorted(changes, key=lambda c: c.day, reverse=True)


@lru_cache(maxsize=8)
def _load(path: str, mtime: float, where: str, docs_dir: str) -> tuple[Change, ...]:
    text = Path(path).read_text(encoding="utf-8")
    return tuple(parse_changes(text, where, Path(docs_dir)))


def load_changes(path: Path, docs_dir: Path) -> list[Change]:
    if not path.is_file():
        _fail(f"{path}:1: the list of changes is missing. Create it, starting with:\n{EXAMPLE}")
    return list(_load(str(path), path.stat().st_mtime, path.as_posix(), str(docs_dir)))


# --- the repository ---------------------------------------------------------------------


def _git(root: Path, *args: str) -> str | None:
    """git's answer, or None when git, the repository or its history is not there."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    answer = result.stdout.strip()
    return answer if result.returncode == 0 and answer else None


@lru_cache(maxsize=256)
def last_changed(root: str, rel: str) -> date | None:
    """The date of the last commit that touched `rel` (a path inside `root`)."""
    answer = _git(Path(root), "log", "-1", "--format=%cs", "--", rel)
    return as_date(answer) if answer else None


@lru_cache(maxsize=8)
def build_commit(root: str) -> str | None:
    return _git(Path(root), "rev-parse", "HEAD") or os.environ.get("GITHUB_SHA") or None


# --- pages ------------------------------------------------------------------------------


def _normalise(lines: list[str]) -> tuple[str, ...]:
    return tuple(line.strip() for line in lines if line.strip())


@dataclass(frozen=True)
class PageFile:
    rel: str  # "faq.md"
    title: str


@lru_cache(maxsize=4)
def _pages(docs_dir: str, stamp: tuple[tuple[str, float], ...]) -> dict[tuple[str, ...], PageFile]:
    found: dict[tuple[str, ...], PageFile] = {}
    for rel, _ in stamp:
        text = (Path(docs_dir) / rel).read_text(encoding="utf-8")
        match = FRONT_MATTER_RE.match(text)
        meta: Any = {}
        if match:
            try:
                meta = yaml.safe_load(match.group(1) or "") or {}
            except yaml.YAMLError:
                meta = {}
            text = text[match.end() :]
        lines = text.splitlines()
        title = meta.get("title") if isinstance(meta, dict) else None
        if not isinstance(title, str):
            h1 = next((m.group(1) for m in map(H1_RE.match, lines) if m), None)
            title = h1 or rel
        found[_normalise(lines)] = PageFile(rel, title)
    return found


def identify(docs_dir: Path, lines: list[str]) -> PageFile | None:
    """Which file in docs_dir these lines (a page's Markdown, front matter removed) are."""
    if not docs_dir.is_dir():
        return None
    stamp = tuple(
        (p.relative_to(docs_dir).as_posix(), p.stat().st_mtime)
        for p in sorted(docs_dir.rglob("*.md"))
    )
    return _pages(str(docs_dir), stamp).get(_normalise(lines))


# --- the Markdown parts -----------------------------------------------------------------


class ChangesPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: ChangesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.page = identify(self.ext.docs_dir, lines)
        if not any(PLACEHOLDER_RE.match(line) for line in lines):
            return lines
        out: list[str] = []
        for line in lines:
            if PLACEHOLDER_RE.match(line):
                out.extend(self.full_list())
            else:
                out.append(line)
        return out

    def full_list(self) -> list[str]:
        changes = self.ext.changes()
        if not changes:
            return ["No changes have been recorded yet.", ""]
        titles = self.ext.titles()
        lines = [""]
        for change in changes:
            tag = '<strong class="change-tag">Correction</strong> ' if change.correction else ""
            day = f'<time datetime="{change.day.isoformat()}">{long_date(change.day)}</time>'
            title = titles.get(change.page, change.page).replace("[", "(").replace("]", ")")
            text = html.escape(change.text, quote=False)
            lines.append(f"- {tag}{day}: [{title}]({change.page}). {text}")
        return [*lines, ""]


class PageToolsTreeprocessor(Treeprocessor):
    """Append the page's history and the report links to every recognised page."""

    def __init__(self, md: Markdown, ext: ChangesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        page = self.ext.page
        if page is None:
            return
        block = ET.SubElement(root, "div", {"class": "page-tools", "data-search-exclude": ""})
        block.text = self.md.htmlStash.store(self.ext.tools_html(page))


class ChangesExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "data": ["includes/changes.yml", "The list of changes readers would care about"],
            "docs_dir": ["docs", "Where the pages' Markdown files are"],
            "changes_page": ["changes.md", "The page that lists every change"],
            "site_url": ["", "The site's address, for the report links"],
            "repo_url": ["", "The repository, for its issue forms"],
            "latest": [3, "How many of a page's changes it shows"],
        }
        super().__init__(**kwargs)
        self.page: PageFile | None = None

    @property
    def docs_dir(self) -> Path:
        return Path(self.getConfig("docs_dir"))

    @property
    def root(self) -> Path:
        return self.docs_dir.resolve().parent

    def changes(self) -> list[Change]:
        return load_changes(Path(self.getConfig("data")), self.docs_dir)

    def titles(self) -> dict[str, str]:
        if not self.docs_dir.is_dir():
            return {}
        stamp = tuple(
            (p.relative_to(self.docs_dir).as_posix(), p.stat().st_mtime)
            for p in sorted(self.docs_dir.rglob("*.md"))
        )
        return {f.rel: f.title for f in _pages(str(self.docs_dir), stamp).values()}

    def issue_link(self, template: str, title: str, fields: dict[str, str]) -> str:
        repo = str(self.getConfig("repo_url")).rstrip("/")
        query = urlencode({"template": template, "title": title, **fields})
        return html.escape(f"{repo}/issues/new?{query}")

    def tools_html(self, page: PageFile) -> str:
        e = html.escape
        changes_page = str(self.getConfig("changes_page"))
        mine = [c for c in self.changes() if c.page == page.rel][: int(self.getConfig("latest"))]
        day = last_changed(str(self.root), f"{self.docs_dir.name}/{page.rel}")
        if mine and (day is None or mine[0].day > day):
            day = mine[0].day  # recorded for a change that is not committed yet
        parts = ['<section class="page-history" aria-labelledby="page-history">']
        parts.append('<h2 id="page-history" data-search-exclude>What changed on this page</h2>')
        if day is not None:
            parts.append(
                f'<p>Last changed: <time datetime="{day.isoformat()}">{long_date(day)}</time>.</p>'
            )
        if mine:
            parts.append('<ul class="change-list">')
            for change in mine:
                tag = '<strong class="change-tag">Correction</strong> ' if change.correction else ""
                parts.append(
                    f'<li>{tag}<time datetime="{change.day.isoformat()}">'
                    f"{long_date(change.day)}</time>: {e(change.text)}</li>"
                )
            parts.append("</ul>")
        elif day is None:
            parts.append("<p>No changes to this page have been recorded yet.</p>")
        link = relative(page.rel, changes_page)
        parts.append(f'<p><a href="{e(link)}">Every change to the site, newest first</a></p>')
        parts.append("</section>")

        site = str(self.getConfig("site_url")).rstrip("/") + "/"
        address = site + page_url(page.rel)
        commit = build_commit(str(self.root)) or "unknown"
        fields = {"page": f"{page.title} ({address})", "commit": commit}
        report = self.issue_link("content-error.yml", f"Content error: {page.title}", fields)
        yes = self.issue_link(
            "page-feedback.yml", f"Feedback: {page.title}", {**fields, "helpful": "Yes"}
        )
        no = self.issue_link(
            "page-feedback.yml", f"Feedback: {page.title}", {**fields, "helpful": "No"}
        )
        parts.append('<section class="page-feedback" aria-labelledby="page-feedback">')
        parts.append('<h2 id="page-feedback" data-search-exclude>Tell us about this page</h2>')
        parts.append(
            f'<p><a class="page-feedback__report" href="{report}">Report a problem with this '
            "page</a> (a mistake, something out of date, a broken link).</p>"
        )
        parts.append(
            "<p>Was this page helpful? "
            f'<a class="page-feedback__yes" href="{yes}">Yes</a> · '
            f'<a class="page-feedback__no" href="{no}">No</a></p>'
        )
        parts.append(
            '<p class="page-feedback__note">These links open a form on GitHub (a free '
            "account is needed to send it), already filled in with this page's title, "
            "address and the version of the site you are reading. Nothing is sent until you "
            "submit the form. Do not write personal or medical details there: the form is "
            "public. If you need help now, go to "
            f'<a href="{e(relative(page.rel, "get-help-now.md"))}">Get help now</a>.</p>'
        )
        parts.append("</section>")
        return "\n".join(parts)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Before normalize_whitespace (30) and pymdownx.snippets (32): the lines are still
        # the page's own, to be matched with its file.
        md.preprocessors.register(ChangesPreprocessor(md, self), "ketamine_changes", 40)
        # After the footnotes (50), the Sources heading (6) and the table of contents (5):
        # the page's history and feedback come last, outside its contents list.
        md.treeprocessors.register(PageToolsTreeprocessor(md, self), "ketamine_page_tools", 4)

    def reset(self) -> None:
        self.page = None


def makeExtension(**kwargs: Any) -> ChangesExtension:
    return ChangesExtension(**kwargs)
