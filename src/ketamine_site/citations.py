"""Python-Markdown extension: `[@key]` citations become numbered footnotes.

Why a Markdown extension and not an MkDocs plugin: Zensical (Material's successor) runs
Python-Markdown extensions but silently skips MkDocs plugins and hooks, so this is the
one place where custom behaviour survives a change of engine.

- `[@key]` or `[@a; @b]` in prose -> footnote references `[^key]`, numbered in order of
  first citation; each footnote holds the formatted reference (rendered once, stashed as
  HTML), so the site's tooltip (overrides/main.html) shows it on hover and focus, and the
  footnote list at the end of the page is the page's list of sources.
- A line holding only `[@*]` (pandoc's "all entries") -> the whole bibliography, grouped
  by each entry's `group` field (the references page).
- An unknown key stops the build with the file, line and key.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pybtex.exceptions import PybtexError

from ketamine_site import bibliography

KEY = r"[A-Za-z0-9][\w:.\-]*"
# Not followed by "(" or "[": that would be a Markdown link whose text starts with "@".
CITATION_RE = re.compile(rf"\[(?P<keys>@{KEY}(?:\s*;\s*@{KEY})*)\](?![(\[])")
ALL_ENTRIES_RE = re.compile(r"^\s*\[@\*\]\s*$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+\1")

try:  # A clean "Error: ..." in MkDocs instead of a traceback; plain exception elsewhere.
    from mkdocs.exceptions import BuildError as _BaseError
except ImportError:  # pragma: no cover - Zensical or plain Python-Markdown
    _BaseError = Exception  # type: ignore[assignment,misc]


class CitationError(_BaseError):
    """A page cites a key that docs/references.bib does not have."""


def iter_prose_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) outside fenced code, with inline code blanked out."""
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield number, INLINE_CODE_RE.sub(lambda m: " " * len(m.group(0)), line)


def find_in_docs(folders: Iterable[Path], key: str) -> list[str]:
    """Every `path:line` that cites `key`, pages and snippets alike (Markdown passes us no
    file name, and a snippet's text arrives inside the page that includes it)."""
    hits: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            for lineno, found in bibliography.iter_citation_keys(text):
                if found.lower() == key.lower():
                    hits.append(f"{path.as_posix()}:{lineno}")
    return hits


def unbalanced_entry_line(text: str) -> int | None:
    """Line of the first entry whose braces do not close: where a missing `}` really is
    (pybtex reports the end of the file)."""
    heads = [m.start() for m in re.finditer(r"^\s*@\w+\s*\{", text, re.M)]
    for start, end in zip(heads, [*heads[1:], len(text)], strict=True):
        chunk = text[start:end]
        if chunk.count("{") != chunk.count("}"):
            return (
                text.count("\n", 0, start)
                + 1
                + (chunk[: len(chunk) - len(chunk.lstrip())].count("\n"))
            )
    return None


class CitationPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: CitationsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        bib = self.load()
        cited: list[str] = []
        unknown: dict[str, list[int]] = {}
        out = list(lines)

        def replace(match: re.Match[str], lineno: int) -> str:
            keys = []
            for written in bibliography.split_keys(match.group("keys")):
                if written not in bib:
                    unknown.setdefault(written, []).append(lineno)
                    continue
                # BibTeX keys are case-insensitive: [@Daly2019] and [@daly2019] are one
                # source, so one footnote, under the key as the bib file spells it.
                key = bib.entry(written).key
                if key not in cited:
                    cited.append(key)
                if key not in keys:
                    keys.append(key)
            # Numbers follow first use on the page; within one group they read in order.
            refs = [f"[^{key}]" for key in sorted(keys, key=cited.index)]
            # A visible separator, so "[@a; @b]" reads "1,2" and not "12".
            return '<sup class="cite-sep">,</sup>'.join(refs)

        prose = dict(iter_prose_lines(lines))
        for index, line in enumerate(lines):
            lineno = index + 1
            if lineno not in prose:
                continue
            if ALL_ENTRIES_RE.match(line):
                out[index] = self.full_bibliography(bib)
                continue
            if "[@" in prose[lineno]:
                out[index] = self._replace_outside_code(line, lambda m, n=lineno: replace(m, n))

        if unknown:
            self.fail(unknown)
        if cited:
            out.append("")
            # Rendered once and stashed as HTML: see Bibliography.html.
            out.extend(f"[^{key}]: {self.md.htmlStash.store(bib.html(key))}" for key in cited)
        return out

    def load(self) -> bibliography.Bibliography:
        """The bibliography, or one clean `file:line: what — how to fix` error (no traceback)."""
        path = Path(self.ext.getConfig("bibfile"))
        try:
            return bibliography.load(path)
        except FileNotFoundError:
            raise CitationError(
                f"{path}: the bibliography file is missing. Every source the site cites lives "
                "there; restore it from git."
            ) from None
        except PybtexError as error:
            text = path.read_text(encoding="utf-8", errors="replace")
            duplicate = re.match(r"repeated bibliography entry: (\S+)", str(error))
            if duplicate:
                key = re.escape(duplicate.group(1))
                starts = [
                    m.start()
                    for m in re.finditer(rf"^\s*@\w+\s*[{{(]\s*{key}\s*,", text, re.M | re.I)
                ]
                line = text.count("\n", 0, starts[1]) + 1 if len(starts) > 1 else 1
                raise CitationError(
                    f"{path}:{line}: the key {duplicate.group(1)!r} is used by two entries. "
                    "Merge them, or give one a new key (and update the pages that cite it)."
                ) from None
            line = unbalanced_entry_line(text) or getattr(error, "lineno", None) or 1
            raise CitationError(
                f"{path}:{line}: BibTeX syntax error ({error}). Check that every brace is closed "
                "and each field ends with a comma: `title = {...},`."
            ) from None

    @staticmethod
    def _replace_outside_code(line: str, repl: Any) -> str:
        parts: list[str] = []
        last = 0
        for code in INLINE_CODE_RE.finditer(line):
            parts.append(CITATION_RE.sub(repl, line[last : code.start()]))
            parts.append(code.group(0))
            last = code.end()
        parts.append(CITATION_RE.sub(repl, line[last:]))
        return "".join(parts)

    def full_bibliography(self, bib: bibliography.Bibliography) -> str:
        blocks: list[str] = []
        groups = bib.groups()
        order = [g for g in self.ext.getConfig("group_order") if g in groups]
        order += sorted(g for g in groups if g not in order)
        for group in order:
            blocks.append(f"\n## {group}\n")
            blocks.extend(
                "- "
                + self.md.htmlStash.store(
                    f'<span id="ref-{html.escape(key)}"></span>{bib.html(key)}'
                )
                for key in groups[group]
            )
        return "\n".join(blocks) + "\n"

    def fail(self, unknown: dict[str, list[int]]) -> None:
        folders = [Path(self.ext.getConfig("docs_dir")), Path(self.ext.getConfig("includes_dir"))]
        bibfile = self.ext.getConfig("bibfile")
        problems = []
        for key in unknown:
            places = find_in_docs(folders, key)
            where = ", ".join(places) or f"a page (line {unknown[key][0]} of its text)"
            problems.append(
                f"{where}: unknown citation key '{key}'. Add an entry with that key to "
                f"{bibfile} (with a DOI, PMID or https url and a note saying where you saw it), "
                "or fix the spelling of the key."
            )
        # Raised, not also logged: MkDocs prints a BuildError's message once, as "Error: ...".
        raise CitationError("\n".join(problems))


class SourcesSection(Treeprocessor):
    """Give the page's list of sources a heading, and keep it out of the site search.

    The heading tells readers what the numbered list is and puts "Sources" in the table of
    contents. Reference titles are long and full of medical words; indexed, they pulled
    unrelated sections above the page that explains a topic. The References page stays
    searchable.
    """

    def run(self, root: ET.Element) -> None:
        for index, elem in enumerate(list(root)):
            if elem.tag == "div" and "footnote" in (elem.get("class") or "").split():
                elem.set("data-search-exclude", "")
                heading = ET.Element("h2", {"id": "sources", "data-search-exclude": ""})
                heading.text = "Sources"
                root.insert(index, heading)
                return


class CitationsExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "bibfile": ["docs/references.bib", "BibTeX file with every source the site cites"],
            "docs_dir": ["docs", "Where to look for the page that cites an unknown key"],
            "includes_dir": ["includes", "Where the snippets live (pymdownx.snippets base_path)"],
            "group_order": [[], "Order of the `group` headings on the references page"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After pymdownx.snippets (32) so included files are cited too, and after
        # normalize_whitespace (30), which strips the markers of stashed HTML; before the
        # raw-HTML stash (20) so citations inside `markdown`-enabled HTML blocks are seen.
        md.preprocessors.register(CitationPreprocessor(md, self), "ketamine_citations", 29)
        # After the footnotes extension has built its list (50), before the table of contents
        # is made (5) so the heading gets its permalink and a place in the contents.
        md.treeprocessors.register(SourcesSection(md), "ketamine_sources_section", 6)


def makeExtension(**kwargs: Any) -> CitationsExtension:
    return CitationsExtension(**kwargs)
