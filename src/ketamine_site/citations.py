r"""Python-Markdown extension: `[@key]` citations become numbered footnotes.

Why a Markdown extension and not an MkDocs plugin: Zensical (Material's successor) runs
Python-Markdown extensions but silently skips MkDocs plugins and hooks, so this is the
one place where custom behaviour survives a change of engine.

- `[@key]` or `[@a; @b]` in prose -> footnote references, numbered in reading order of
  first citation. The citation is an inline pattern placed under the ones for code spans,
  backslash escapes and inline HTML, so code (spans, fenced, indented), HTML comments and
  `\[@key]` are left as written, the way pymdown-extensions' arithmatex sits under
  `backtick`. Each footnote holds the formatted reference (rendered once, stashed as
  HTML), so the site's tooltip shows it on hover and focus, and the footnote list at the
  end of the page is the page's list of sources.
- A line holding only `[@*]` (pandoc's "all entries") -> the whole bibliography, grouped
  by each entry's `group` field (the references page).
- An unknown key stops the build with the file, line and key.

The grammar itself lives in `citation_syntax`, shared with the bibliography and checks.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown, util
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pybtex.exceptions import PybtexError
from pybtex.style.template import FieldIsMissing

from ketamine_site import bibliography
from ketamine_site.citation_syntax import (
    ALL_ENTRIES_RE,
    CITATION,
    iter_citation_keys,
    iter_prose_lines,
    split_keys,
)

try:  # A clean "Error: ..." in MkDocs instead of a traceback; plain exception elsewhere.
    from mkdocs.exceptions import BuildError as _BaseError
except ImportError:  # pragma: no cover - Zensical or plain Python-Markdown
    _BaseError = Exception  # type: ignore[assignment,misc]


class CitationError(_BaseError):
    """A page cites a key that docs/references.bib does not have."""


def find_in_docs(folders: Iterable[Path], key: str) -> list[str]:
    """Every `path:line` that cites `key`, pages and snippets alike (Markdown passes us no
    file name, and a snippet's text arrives inside the page that includes it)."""
    hits: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            for lineno, found in iter_citation_keys(text):
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


def footnotes_of(md: Markdown) -> FootnoteExtension:
    for ext in md.registeredExtensions:
        if isinstance(ext, FootnoteExtension):
            return ext
    raise CitationError(
        "mkdocs.yml: ketamine_site.citations needs the footnotes extension. Add `- footnotes` "
        "to markdown_extensions."
    )


class CitationPreprocessor(Preprocessor):
    """Defines a footnote for every source the page may cite, and expands `[@*]`.

    Footnote definitions must exist before the footnotes extension builds its list, which
    is before inline patterns run; so this scans the source loosely (fenced and inline
    code, comments skipped) and `CitationNumbering` drops what no citation used.
    """

    def __init__(self, md: Markdown, ext: CitationsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        footnotes_of(self.md)
        bib = self.load()
        self.ext.bib = bib
        self.ext.unknown = []
        out = list(lines)
        for lineno, line in iter_prose_lines(lines):
            if ALL_ENTRIES_RE.match(line):
                out[lineno - 1] = self.full_bibliography(bib)
        candidates: list[str] = []
        self.ext.first_line = {}
        for lineno, written in iter_citation_keys("\n".join(lines)):
            self.ext.first_line.setdefault(written.lower(), lineno)
            if written in bib:
                # BibTeX keys are case-insensitive: [@Daly2019] and [@daly2019] are one
                # source, so one footnote, under the key as the bib file spells it.
                key = bib.entry(written).key
                if key not in candidates:
                    candidates.append(key)
        if candidates:
            out.append("")
            # Rendered once and stashed as HTML: see Bibliography.html.
            out.extend(
                f"[^{key}]: {self.md.htmlStash.store(self.reference(bib, key))}"
                for key in candidates
            )
        return out

    def reference(self, bib: bibliography.Bibliography, key: str) -> str:
        """The formatted reference, or one clean error naming the entry's line."""
        try:
            return bib.html(key)
        except FieldIsMissing as error:
            path = Path(self.ext.getConfig("bibfile"))
            text = path.read_text(encoding="utf-8", errors="replace")
            line = bibliography.entry_line(text, key)
            field = error.field_name
            raise CitationError(
                f"{path}:{line}: the entry {key!r} has no `{field}`, which every reference "
                f"shows. Add `{field} = {{...}},` to it."
            ) from None

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
                line = bibliography.entry_line(text, duplicate.group(1), nth=1)
                raise CitationError(
                    f"{path}:{line}: the key {duplicate.group(1)!r} is used by two entries. "
                    "Merge them, or give one a new key (and update the pages that cite it)."
                ) from None
            line = unbalanced_entry_line(text) or getattr(error, "lineno", None) or 1
            raise CitationError(
                f"{path}:{line}: BibTeX syntax error ({error}). Check that every brace is closed "
                "and each field ends with a comma: `title = {...},`."
            ) from None

    def full_bibliography(self, bib: bibliography.Bibliography) -> str:
        blocks: list[str] = []
        groups = bib.groups()
        order = [g for g in self.ext.getConfig("group_order") if g in groups]
        order += sorted(g for g in groups if g not in order)
        for group in order:
            items = [
                f'<li><span id="ref-{html.escape(key)}"></span>{self.reference(bib, key)}</li>'
                for key in groups[group]
            ]
            # One list per group, with the length of its text, as the pages' lists of sources
            # have (SourcesSection): the stylesheet draws a group only near the screen and
            # keeps a space sized from that length until then.
            length = len(" ".join(html.unescape(TAG_RE.sub("", "".join(items))).split()))
            block = f'<ul class="bib-group" data-text-length="{length}">\n'
            block += "\n".join(items) + "\n</ul>"
            blocks.append(f"\n## {group}\n\n{self.md.htmlStash.store(block)}\n")
        return "\n".join(blocks) + "\n"


class CitationPattern(InlineProcessor):
    """`[@a; @b]` -> the footnote references the footnotes extension would make for
    `[^a][^b]`, kept together in one group until `CitationNumbering` numbers them."""

    def __init__(self, md: Markdown, ext: CitationsExtension) -> None:
        super().__init__(CITATION, md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element | None, int, int]:
        footnotes = self.md.inlinePatterns["footnote"]
        keys: list[str] = []
        for written in split_keys(m.group("keys")):
            if written not in self.ext.bib:
                if written not in self.ext.unknown:
                    self.ext.unknown.append(written)
                continue
            key = self.ext.bib.entry(written).key
            if key not in keys:
                keys.append(key)
        group = ET.Element("span", {"class": GROUP_CLASS})
        for key in keys:
            sup, _, _ = footnotes.handleMatch(footnotes.compiled_re.match(f"[^{key}]"), data)
            if sup is None:
                # No definition: left as text, so the citations check shows it.
                return None, m.start(0), m.end(0)
            group.append(sup)
        return group, m.start(0), m.end(0)


GROUP_CLASS = "ketamine-citation-group"


class CitationNumbering(Treeprocessor):
    """Numbers citations in reading order, and reports unknown keys.

    Python-Markdown runs inline patterns on nested blocks (lists, admonitions) after the
    paragraphs around them, so the numbers the footnotes extension gave are not reading
    order. Here every reference is renumbered by first appearance in the finished tree,
    the list follows that order, footnotes no citation used are dropped, and a group such
    as `[@b; @a]` reads "1,2" with a visible separator (not "12").
    """

    def __init__(self, md: Markdown, ext: CitationsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        if self.ext.unknown:
            self.ext.fail(self.ext.unknown)
        footnotes = footnotes_of(self.md)
        sep = footnotes.get_separator()
        div = next(
            (d for d in root.iter("div") if "footnote" in (d.get("class") or "").split()), None
        )
        refs: dict[str, list[ET.Element]] = {}
        for sup in root.iter("sup"):
            link = sup.find("a")
            if link is None or link.get("class") != "footnote-ref":
                continue
            key = (link.get("href") or "").split(sep, 1)[-1]
            refs.setdefault(key, []).append(sup)
        number = {key: index for index, key in enumerate(refs, start=1)}
        for key, sups in refs.items():
            for nth, sup in enumerate(sups, start=1):
                link = sup[0]
                link.text = footnotes.getConfig("SUPERSCRIPT_TEXT").format(number[key])
                sup.set("id", f"fnref{nth if nth > 1 else ''}{sep}{key}")
        self._unwrap_groups(root, number, sep)
        if div is None:
            return
        ol = div.find("ol")
        if ol is None:
            return
        items = {(li.get("id") or "").split(sep, 1)[-1]: li for li in ol.findall("li")}
        for li in list(ol):
            ol.remove(li)
        for key in refs:
            if key in items:
                li = items[key]
                for back in li.iter("a"):
                    if back.get("class") == "footnote-backref" and back.get("title"):
                        back.set("title", footnotes.getConfig("BACKLINK_TITLE").format(number[key]))
                ol.append(li)
        if not len(ol):
            for parent in root.iter():
                if div in list(parent):
                    parent.remove(div)
                    break

    @staticmethod
    def _unwrap_groups(root: ET.Element, number: dict[str, int], sep: str) -> None:
        for parent in list(root.iter()):
            for index, group in reversed(list(enumerate(parent))):
                if group.tag != "span" or group.get("class") != GROUP_CLASS:
                    continue
                sups = sorted(
                    group, key=lambda s: number[(s[0].get("href") or "").split(sep, 1)[-1]]
                )
                pieces: list[ET.Element] = []
                for sup in sups:
                    if pieces:
                        comma = ET.Element("sup", {"class": "cite-sep"})
                        comma.text = ","
                        pieces.append(comma)
                    sup.tail = None
                    pieces.append(sup)
                parent.remove(group)
                # Never empty: a group of unknown keys only has stopped the build already.
                pieces[-1].tail = group.tail
                for offset, piece in enumerate(pieces):
                    parent.insert(index + offset, piece)


TAG_RE = re.compile(r"<[^>]*>")
# The footnotes extension's own markers (one per "jump back" arrow), filled in after this.
MARKER_RE = re.compile("\x02[^\x03]*\x03")


class SourcesSection(Treeprocessor):
    """Give the page's list of sources a heading, and keep it out of the site search.

    The heading tells readers what the numbered list is and puts "Sources" in the table of
    contents. Reference titles are long and full of medical words; indexed, they pulled
    unrelated sections above the page that explains a topic. The References page stays
    searchable.

    The list also says how long its text is (`data-text-length`, characters): the site's
    stylesheet draws the list only when it comes near the screen, and sizes the space it
    keeps until then from that length (docs/stylesheets/site.css).
    """

    def text_length(self, elem: ET.Element) -> int:
        """Characters of text as a reader sees it, stashed references included."""
        blocks = self.md.htmlStash.rawHtmlBlocks

        def unstash(match: re.Match[str]) -> str:
            index = int(match.group(1))
            block = blocks[index] if index < len(blocks) else ""
            return html.unescape(TAG_RE.sub("", str(block)))

        text = util.HTML_PLACEHOLDER_RE.sub(unstash, "".join(elem.itertext()))
        return len(" ".join(MARKER_RE.sub("\u21a9", text).split()))

    def run(self, root: ET.Element) -> None:
        for index, elem in enumerate(list(root)):
            if elem.tag == "div" and "footnote" in (elem.get("class") or "").split():
                elem.set("data-search-exclude", "")
                elem.set("data-text-length", str(self.text_length(elem)))
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
        # Per page, set by the preprocessor.
        self.bib: bibliography.Bibliography | Any = None
        self.unknown: list[str] = []
        self.first_line: dict[str, int] = {}

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After pymdownx.snippets (32) so included files are cited too, and after
        # normalize_whitespace (30), which strips the markers of stashed HTML.
        md.preprocessors.register(CitationPreprocessor(md, self), "ketamine_citations", 29)
        # Under `backtick` (190), `escape` (180) and inline `html` (90): code spans,
        # `\[@key]` and `<!-- ... -->` are stashed before this pattern sees the text.
        md.inlinePatterns.register(CitationPattern(md, self), "ketamine_citation", 85)
        # After inline patterns (20) and the footnotes' reordering (19), before their
        # duplicate back-links (15), which follow the ids set here.
        md.treeprocessors.register(CitationNumbering(md, self), "ketamine_numbering", 18)
        # Before the table of contents is made (5) so the heading gets its permalink.
        md.treeprocessors.register(SourcesSection(md), "ketamine_sources_section", 6)

    def reset(self) -> None:
        self.unknown = []
        self.first_line = {}

    def fail(self, unknown: Iterable[str]) -> None:
        folders = [Path(self.getConfig("docs_dir")), Path(self.getConfig("includes_dir"))]
        bibfile = self.getConfig("bibfile")
        problems = []
        for key in unknown:
            places = find_in_docs(folders, key)
            line = self.first_line.get(key.lower())
            where = ", ".join(places) or f"a page (line {line or '?'} of its text)"
            problems.append(
                f"{where}: unknown citation key '{key}'. Add an entry with that key to "
                f"{bibfile} (with a DOI, PMID or https url and a note saying where you saw it), "
                "or fix the spelling of the key."
            )
        self.unknown = []
        # Raised, not also logged: MkDocs prints a BuildError's message once, as "Error: ...".
        raise CitationError("\n".join(problems))


def makeExtension(**kwargs: Any) -> CitationsExtension:
    return CitationsExtension(**kwargs)
