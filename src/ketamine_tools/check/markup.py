"""Markup safety in Markdown: images, raw active content, event handlers, plain-http links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from ketamine_site import bibliography
from ketamine_tools.check.core import Finding, Repo, prose_lines, quote

NAME = "markup"
SUMMARY = (
    "images exist, have alt text and are small; table rows have their header's cells; no "
    "unused footnote; no script/iframe/object/embed, on*=, javascript:, http://"
)

MD_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+[\"'][^)]*)?\)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR_RE = re.compile(
    r"""\b(?P<name>[\w:-]+)\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)'|(?P<u>[^\s>]+))"""
)
ACTIVE_RE = re.compile(r"<\s*(script|iframe|object|embed)\b", re.IGNORECASE)
TAG_RE = re.compile(r"<[A-Za-z][^>]*>")
HANDLER_RE = re.compile(r"\s(on[a-z]+)\s*=", re.IGNORECASE)
JS_URL_RE = re.compile(r"javascript\s*:", re.IGNORECASE)
HTTP_RE = re.compile(r"\bhttp://[^\s)\]>\"']*", re.IGNORECASE)
# Readers on phones pay for every byte: the site's own images are SVGs of a few KB.
IMAGE_LIMIT_KB = 200
TABLE_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
FOOTNOTE_DEF_RE = re.compile(r"^\s{0,3}\[\^(?P<name>[^\]\s]+)\]:")
FOOTNOTE_REF_RE = re.compile(r"\[\^(?P<name>[^\]\s]+)\]")
# The box types Material styles (a misspelt one is drawn as a plain grey box).
ADMONITION_RE = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*(?P<type>[^\s\"]+)")
ADMONITION_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
}  # fmt: skip
ABBREVIATION_LINE_RE = re.compile(r"^\*\[[^\]]+\]: \S")
# A link to a page by its address ("/safety/", "../faq/") instead of its file: MkDocs cannot
# check it, and it breaks when the site moves.
PAGE_ADDRESS_RE = re.compile(r"\]\((?P<target>(?:/|\.\./|\./)?[\w./-]*/(?:#[\w-]*)?)\)")


def attributes(tag: str) -> dict[str, str]:
    return {
        m.group("name").lower(): m.group("d") or m.group("s") or m.group("u") or ""
        for m in ATTR_RE.finditer(tag)
    }


def image_target(repo: Repo, page: Path, src: str) -> Path | None:
    """The file an image address points to, or None for external or data images."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    path = unquote(parsed.path)
    if path.startswith("/"):
        return repo.docs / path.lstrip("/")
    # Snippets from includes/ are pasted into pages that live in docs/.
    base = repo.docs if page.is_relative_to(repo.includes) else page.parent
    return base / path


def check_image(
    repo: Repo, page: Path, lineno: int, src: str, alt: str | None
) -> Iterator[Finding]:
    rel = repo.rel(page)
    if not alt or not alt.strip():
        yield Finding(
            rel,
            lineno,
            f"the image {src!r} has no alt text. Describe what it shows for readers who "
            'cannot see it: ![A timeline of ...](file.svg), or alt="..." on <img>.',
        )
    target = image_target(repo, page, src)
    if target is not None and not target.is_file():
        yield Finding(
            rel,
            lineno,
            f"the image {src!r} does not exist (looked for {repo.rel(target)}). Add the file "
            "under docs/assets/ or fix the path (relative to the page).",
        )
    elif target is not None and target.stat().st_size > IMAGE_LIMIT_KB * 1024:
        size = target.stat().st_size // 1024
        yield Finding(
            rel,
            lineno,
            f"the image {src!r} is {size} KB; images must be at most {IMAGE_LIMIT_KB} KB, "
            "since readers on phones pay for every byte. Use an SVG for a diagram, or shrink "
            "the picture (about 1200 px wide, compressed WebP, PNG or JPEG).",
        )


def bib_key_set(repo: Repo) -> set[str]:
    """The keys of docs/references.bib (a scan: the citations check parses it)."""
    bib = repo.docs / "references.bib"
    text = repo.text(bib) if bib.is_file() else ""
    return bibliography.entry_keys(text)


def cells(row: str) -> int:
    """Cells in a Markdown table row (pipes inside inline code are already blanked)."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return len(UNESCAPED_PIPE_RE.split(inner))


def table_rows(rel: str, lines: list[tuple[int, str]]) -> Iterator[Finding]:
    """Rows with more cells than the header lose the extra ones (Python-Markdown drops them
    without a word); rows with fewer show empty cells."""
    index = 1
    while index < len(lines):
        number, line = lines[index]
        head_number, head = lines[index - 1]
        if not (
            TABLE_DELIMITER_RE.match(line)
            and "|" in line
            and "|" in head
            and number == head_number + 1
        ):
            index += 1
            continue
        want = cells(head)
        index += 1
        while index < len(lines):
            number, row = lines[index]
            if not row.strip() or "|" not in row or number != lines[index - 1][0] + 1:
                break
            have = cells(row)
            if have > want:
                yield Finding(
                    rel,
                    number,
                    f"this table row has {have} cells but the header has {want}: the last "
                    f"{have - want} would not be shown. Remove the extra `|`, write a `|` in "
                    "the text as `\\|`, or add a column to the header and the `---` line.",
                )
            elif have < want:
                yield Finding(
                    rel,
                    number,
                    f"this table row has {have} cells but the header has {want}: readers would "
                    'see empty cells. Fill in the missing cells (write "None" or "Not '
                    'reported" where there is nothing to say), one `|` between each.',
                )
            index += 1


def unused_footnotes(rel: str, lines: list[tuple[int, str]]) -> Iterator[Finding]:
    """A footnote that no sentence points to is left off the page without a word."""
    text = "\n".join(line for _, line in lines)
    for number, line in lines:
        found = FOOTNOTE_DEF_RE.match(line)
        if found and f"[^{found.group('name')}]" not in text.replace(found.group(0), "", 1):
            yield Finding(
                rel,
                number,
                f"the footnote [^{found.group('name')}] is not used: no sentence points to "
                "it, so readers never see its text. Put "
                f"[^{found.group('name')}] right after the sentence it belongs to, or, for a "
                "source, cite it with [@key] (docs/references.bib) and delete this line.",
            )


ABBR_RE = re.compile(r"^\*\[(?P<abbr>[^\]]+)\]:")


def abbreviations_defined_twice(repo: Repo) -> Iterator[Finding]:
    """An abbreviation defined twice: one definition wins on every page that uses it."""
    defined: dict[str, str] = {}
    for page in [*repo.snippets(), *repo.pages()]:
        rel = repo.rel(page)
        for lineno, line in prose_lines(repo.text(page)):
            abbr = ABBR_RE.match(line)
            if not abbr:
                continue
            here = f"{rel}:{lineno}"
            first = defined.setdefault(abbr.group("abbr"), here)
            if first != here:
                yield Finding(
                    rel,
                    lineno,
                    f"the abbreviation {quote(abbr.group('abbr'), 20)} is defined again "
                    f"(first at {first}); one definition wins on every page that uses it. "
                    "Keep one, in includes/abbreviations.md.",
                )


def abbreviation_lines(repo: Repo) -> Iterator[Finding]:
    """includes/abbreviations.md: a line that is not `*[ABBR]: words` shows as text at the
    foot of every page (the file is added to each one)."""
    path = repo.includes / "abbreviations.md"
    if not path.is_file():
        return
    for lineno, line in prose_lines(repo.text(path)):
        if (
            line.strip()
            and not line.lstrip().startswith("<!--")
            and not ABBREVIATION_LINE_RE.match(line)
        ):
            yield Finding(
                repo.rel(path),
                lineno,
                f"{quote(line.strip(), 40)} is not an abbreviation line, so it would show as "
                "text at the foot of every page. Write it as `*[ABBR]: What it stands for` "
                "(a colon and a space after the bracket).",
            )


def run(repo: Repo) -> Iterator[Finding]:
    yield from abbreviations_defined_twice(repo)
    yield from abbreviation_lines(repo)
    bib_keys = bib_key_set(repo)
    for page in [*repo.pages(), *repo.snippets()]:
        rel = repo.rel(page)
        lines = list(prose_lines(repo.text(page)))
        yield from table_rows(rel, lines)
        yield from unused_footnotes(rel, lines)
        for lineno, line in lines:
            box = ADMONITION_RE.match(line)
            if box and box.group("type").lower() not in ADMONITION_TYPES:
                yield Finding(
                    rel,
                    lineno,
                    f"the box type {box.group('type')!r} does not exist, so the box is drawn "
                    "plain. Use one of: danger (urgent), warning, note, info, tip, abstract.",
                )
            for ref in FOOTNOTE_REF_RE.finditer(line):
                if ref.group("name") in bib_keys:
                    yield Finding(
                        rel,
                        lineno,
                        f"[^{ref.group('name')}] is written as a footnote, but "
                        f"{ref.group('name')!r} is a source in docs/references.bib: the source "
                        "replaces the footnote's text. Cite it as "
                        f"[@{ref.group('name')}], and give a footnote of your own another name.",
                    )
            for address in PAGE_ADDRESS_RE.finditer(line):
                yield Finding(
                    rel,
                    lineno,
                    f"the link ({address.group('target')}) is a web address of a page; link "
                    "to its Markdown file instead, relative to this page, like "
                    "[Safety](safety.md) or [FAQ](faq.md#addiction), so the build can check it.",
                )
            for m in MD_IMAGE_RE.finditer(line):
                yield from check_image(repo, page, lineno, m.group("src"), m.group("alt"))
            for m in HTML_IMG_RE.finditer(line):
                attrs = attributes(m.group(0))
                decorative = (
                    attrs.get("role") == "presentation" or attrs.get("aria-hidden") == "true"
                )
                alt = attrs.get("alt") if not decorative else "decorative"
                yield from check_image(repo, page, lineno, attrs.get("src", ""), alt)
            for m in ACTIVE_RE.finditer(line):
                yield Finding(
                    rel,
                    lineno,
                    f"raw <{m.group(1).lower()}> in Markdown is not allowed (it can run code or "
                    "load other sites in readers' browsers). Remove it; use a link, an image or "
                    "plain HTML/CSS instead.",
                )
            for tag in TAG_RE.finditer(line):
                for h in HANDLER_RE.finditer(tag.group(0)):
                    yield Finding(
                        rel,
                        lineno,
                        f"inline event handler {h.group(1)}= in {quote(tag.group(0), 50)}. "
                        "Pages must work without JavaScript: remove the attribute.",
                    )
            for _ in JS_URL_RE.finditer(line):
                yield Finding(
                    rel,
                    lineno,
                    f"a javascript: address in {quote(line.strip(), 50)}. Remove it; links "
                    "must point to a page (https://... or a .md file).",
                )
            for m in HTTP_RE.finditer(line):
                yield Finding(
                    rel,
                    lineno,
                    f"insecure link {m.group(0)}: external links must use https://. Change it "
                    "to https:// (check that the https address works in a browser).",
                )
