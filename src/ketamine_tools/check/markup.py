"""Markup safety in Markdown: images, raw active content, event handlers, plain-http links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from ketamine_tools.check.core import Finding, Repo, prose_lines, quote

NAME = "markup"
SUMMARY = (
    "images exist and have alt text; no script/iframe/object/embed, on*=, javascript:, http://"
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


def run(repo: Repo) -> Iterator[Finding]:
    yield from abbreviations_defined_twice(repo)
    for page in [*repo.pages(), *repo.snippets()]:
        rel = repo.rel(page)
        for lineno, line in prose_lines(repo.text(page)):
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
