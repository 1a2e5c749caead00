"""Files that are published exactly as they are: no symlinks, and no active content.

MkDocs copies every file in docs/ that is not Markdown to the site as it is, and follows
symbolic links while doing so: a committed link to /etc/passwd publishes the build machine's
file. SVG and HTML files are documents in their own right: a browser runs their scripts on the
site's address. So this check refuses symlinks in docs/ and includes/, and reads each SVG and
HTML file with a parser (never a regular expression).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning

from ketamine_tools.check.core import Finding, Repo, quote
from ketamine_tools.check.published import BAD_SCHEMES, clean_url

NAME = "assets"
SUMMARY = "no symlinks in docs/ or includes/; SVG/HTML files carry no script, handler or link out"

# Our own scripts (overrides/main.html loads them); any other script file is refused.
OUR_SCRIPTS = {
    "assets/javascripts/early.js",
    "assets/javascripts/search.js",
    "assets/javascripts/site.js",
}
DOCUMENTS = {".svg", ".html", ".htm", ".xhtml", ".xht"}
# Browsers run these or hand them to a plug-in; nothing the site needs is one of them.
REFUSED = {".js", ".mjs", ".wasm", ".swf", ".xml", ".xsl", ".xslt", ".svgz", ".jar", ".php"}
ACTIVE_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}


def walk(folder: Path) -> Iterator[Path]:
    """Every file and folder below `folder`, symlinks included, without following them."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            yield Path(root) / name


def line_of(text: str, needle: str) -> int:
    low = needle.lower()
    for number, line in enumerate(text.splitlines(), start=1):
        if low in line.lower():
            return number
    return 1


def document_problems(text: str, svg: bool) -> Iterator[tuple[str, str]]:
    """(what is wrong, text to find its line) for one SVG or HTML file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml-xml" if svg else "lxml")
    for element in soup.find_all(True):
        if not isinstance(element, Tag):
            continue
        name = (element.name or "").lower().split(":")[-1]
        if name in ACTIVE_TAGS:
            yield f"a <{element.name}> element, which can run script", f"<{element.name}"
        if name == "style" and (
            "@import" in (element.string or "") or "url(" in (element.string or "")
        ):
            yield "a <style> that loads another file", "<style"
        for attribute, raw in element.attrs.items():
            key = str(attribute).lower()
            value = " ".join(raw) if isinstance(raw, list) else str(raw)
            local = key.split(":")[-1]
            if local.startswith("on"):
                yield f"an event handler `{key}=`, which runs script", f"{key}"
            elif local in ("href", "src") or key.endswith(":href"):
                url = clean_url(value)
                if url.startswith(BAD_SCHEMES):
                    yield f"a {url.split(':')[0]}: address in `{key}=`", key
                elif svg and not url.startswith("#"):
                    yield (
                        f"a reference to {quote(value, 40)} in `{key}=` (an SVG may only point "
                        "inside itself)",
                        key,
                    )


def run(repo: Repo) -> Iterator[Finding]:
    for folder in (repo.docs, repo.includes):
        if not folder.is_dir():
            continue
        for path in walk(folder):
            # Not Repo.rel: that resolves the link and would print where it points.
            rel = path.relative_to(repo.root).as_posix()
            if path.is_symlink():
                yield Finding(
                    rel,
                    1,
                    "this is a symbolic link. The build would publish whatever it points to, "
                    "even files outside the repository. Replace it with a copy of the real file "
                    "(or delete it).",
                )
                continue
            if folder != repo.docs or not path.is_file():
                continue
            suffix = path.suffix.lower()
            site_rel = path.relative_to(repo.docs).as_posix()
            if suffix in REFUSED and site_rel not in OUR_SCRIPTS:
                yield Finding(
                    rel,
                    1,
                    f"a {suffix} file in docs/ is published as it is, and browsers run it on the "
                    "site's address. Remove it: pictures go in docs/assets/ as PNG, JPEG or SVG; "
                    "site behaviour is reviewed code in docs/assets/javascripts/ and overrides/.",
                )
            elif suffix in DOCUMENTS:
                try:
                    text = path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    yield Finding(rel, 1, "this file is not UTF-8 text. Save it as UTF-8.")
                    continue
                for what, needle in document_problems(text, svg=suffix == ".svg"):
                    yield Finding(
                        rel,
                        line_of(text, needle),
                        f"{what}. This file is published as it is, and a browser runs it on the "
                        "site's address. Remove it (for a drawing: export it again as plain SVG, "
                        "without scripts, links or embedded HTML).",
                    )
