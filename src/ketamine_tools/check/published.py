"""The security gate over what is published: every built page, read with an HTML parser.

A pull request is untrusted input, and Markdown passes raw HTML through. So this check reads
the built HTML (what readers' browsers will get), not the Markdown: entity-encoded addresses,
SVG inside a page and attributes added with `{ ... }` all look here as a browser sees them.
It fails on anything active or dangerous that is not the theme's own, and names the Markdown
file and line it came from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Tag

from ketamine_tools import csp
from ketamine_tools.check.core import Finding, Repo, page_source, quote, site_missing

NAME = "published"
SUMMARY = "built HTML: no script, handler, form, frame, style or outside resource but the theme's"

# Scripts a page may load, relative to the site root: the theme's bundle and our own files.
ALLOWED_SCRIPTS = (
    "assets/javascripts/bundle.*.min.js",
    "assets/javascripts/early.js",
    "assets/javascripts/search.js",
    "assets/javascripts/site.js",
)
FORBIDDEN_TAGS = {
    "base": "a <base> element would send every link on the page somewhere else",
    "form": "a <form> can collect readers' details and send them anywhere",
    "iframe": "an <iframe> embeds another site inside ours",
    "frame": "a <frame> embeds another site inside ours",
    "frameset": "a <frameset> embeds other sites inside ours",
    "object": "an <object> embeds active content",
    "embed": "an <embed> embeds active content",
    "applet": "an <applet> embeds active content",
    "portal": "a <portal> embeds another site inside ours",
    "style": "a <style> element can hide or change anything on the page, the urgent-help "
    "banner included",
}
# Attributes whose value is an address a browser may follow or load.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "srcset",
    "imagesrcset",
    "to",
    "from",
    "values",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements that load what their address points to (a link to another site is fine; loading
# a picture or script from it tells that site who reads which page).
LOADING = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "script": ("src",),
    "link": ("href",),
}
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
HOW_TO_FIX = {
    "script": "Pages carry no scripts; site behaviour lives in docs/assets/javascripts/ and "
    "overrides/, which maintainers review.",
    "handler": "Remove the attribute: pages may not run script.",
    "scheme": "Use an https:// address, or a link to a page of this site.",
    "tag": "Remove it; link to what you wanted to show instead.",
    "style": "Remove it; styling lives in docs/stylesheets/ (reviewed by maintainers).",
    "host": "Save the file in docs/assets/ and link it from there, or link to the other site "
    "instead of loading from it.",
}


@dataclass(frozen=True)
class Problem:
    what: str
    fix: str
    # Text to look for in the Markdown source, most specific first.
    needles: tuple[str, ...]


def clean_url(value: str) -> str:
    """An address as a browser reads it: entities decoded (by the parser), controls removed."""
    return CONTROL_RE.sub("", value).lower()


def is_other_host(value: str) -> bool:
    url = value.strip()
    if url.startswith("//"):
        return True
    parsed = urlparse(url)
    return bool(parsed.scheme and parsed.scheme not in ("", "data")) or bool(parsed.netloc)


def site_path(repo: Repo, page: Path, src: str) -> str | None:
    """An address as a path from the site root, or None when it leaves the site.

    The 404 page uses absolute addresses (it is served at any depth): those start with the
    path of `site_url`.
    """
    if is_other_host(src):
        return None
    path = urlparse(src).path
    if path.startswith("/"):
        prefix = urlparse(str(repo.config.get("site_url") or "/")).path.rstrip("/") + "/"
        if not path.startswith(prefix):
            return None
        return path.removeprefix(prefix)
    target = (page.parent / path).resolve()
    try:
        return target.relative_to(repo.site.resolve()).as_posix()
    except ValueError:
        return None


def theme_share_link(element: Tag, value: str, order: dict[int, int], content: Tag | None) -> bool:
    """Material's "share search" button in the header: `javascript:void(0)` and nothing else."""
    header = element.find_parent("header")
    return (
        value == "javascript:void(0)"
        and element.get("data-md-component") == "search-share"
        and header is not None
        and (content is None or order.get(id(header), 0) < order.get(id(content), 0))
    )


def _tag(element: Tag) -> str:
    return element.name or "?"


def allowed_stylesheet(repo: Repo, page: Path, href: str) -> bool:
    path = site_path(repo, page, href)
    if path is None:
        return False
    extra = [str(item) for item in repo.config.get("extra_css", []) or []]
    return path.startswith("assets/stylesheets/") or path in extra


def theme_form(element: Tag, order: dict[int, int], content: Tag | None) -> bool:
    """The theme's search box and colour toggle: forms that send nothing, in the header.

    Page content comes after the header, so nothing in a page can put a form there.
    """
    if any(element.get(a) is not None for a in ("action", "method", "target")):
        return False
    header = element.find_parent("header")
    if header is None or "md-header" not in (header.get("class") or []):
        return False
    return content is None or order.get(id(header), 0) < order.get(id(content), 0)


def problems(repo: Repo, page: Path, soup: BeautifulSoup) -> Iterator[Problem]:
    known = csp.load_known()
    content = soup.find(class_="md-content")
    content = content if isinstance(content, Tag) else None
    body = soup.body
    elements = soup.find_all(True)
    order = {id(element): index for index, element in enumerate(elements)}
    for element in elements:
        if not isinstance(element, Tag):
            continue
        name = _tag(element).lower()
        in_body = body is not None and element is not body and body in element.parents
        if name == "script":
            src = element.get("src")
            if src:
                path = site_path(repo, page, str(src))
                if path is None or not any(fnmatch(path, p) for p in ALLOWED_SCRIPTS):
                    yield Problem(
                        f"a <script> loading {quote(str(src), 50)} would run code in readers' "
                        "browsers",
                        HOW_TO_FIX["script"],
                        (str(src), "<script"),
                    )
            elif csp.is_executable(element) and csp.fingerprint(element.string or "") not in known:
                yield Problem(
                    "an inline <script> would run code in readers' browsers "
                    f"({quote(element.string or '', 40)})",
                    HOW_TO_FIX["script"],
                    ((element.string or "").strip()[:30], "<script"),
                )
            elif not csp.is_executable(element) and in_body:
                kind = str(element.get("type"))
                inside = content is not None and content in element.parents
                theme_config = element.get("id") == "__config" and not inside
                if kind != "application/ld+json" and not theme_config:
                    yield Problem(
                        f"a <script type={kind!r}> in the page",
                        HOW_TO_FIX["script"],
                        ("<script",),
                    )
        if name in FORBIDDEN_TAGS and not (name == "form" and theme_form(element, order, content)):
            yield Problem(FORBIDDEN_TAGS[name], HOW_TO_FIX["tag"], (*identity(element), f"<{name}"))
        if name == "meta" and (in_body or element.get("http-equiv")):
            equiv = str(element.get("http-equiv") or "").lower()
            if in_body or equiv not in ("content-security-policy", "content-type"):
                yield Problem(
                    f'a <meta http-equiv="{equiv}"> can send readers to another site or set cookies'
                    if equiv
                    else "a <meta> element inside the page",
                    HOW_TO_FIX["tag"],
                    ("http-equiv", "<meta"),
                )
        if name == "link":
            rel = " ".join(element.get("rel") or []).lower()
            href = str(element.get("href") or "")
            if in_body:
                yield Problem(
                    f'a <link rel="{rel}"> inside the page can load styles that hide or change '
                    "anything on it",
                    HOW_TO_FIX["style"],
                    (href, "<link"),
                )
            elif "stylesheet" in rel and not allowed_stylesheet(repo, page, href):
                yield Problem(
                    f"a stylesheet from {quote(href, 50)} that is not the theme's or in "
                    "mkdocs.yml `extra_css`",
                    HOW_TO_FIX["style"],
                    (href, "<link"),
                )
        for attribute, raw in element.attrs.items():
            key = attribute.lower()
            value = " ".join(raw) if isinstance(raw, list) else str(raw)
            if key.startswith("on"):
                yield Problem(
                    f"an event handler `{key}=` on <{name}> would run script in readers' browsers",
                    HOW_TO_FIX["handler"],
                    (value, f"{key}=", key),
                )
            elif key == "style":
                yield Problem(
                    f"a `style=` attribute on <{name}> can hide or change anything on the page",
                    HOW_TO_FIX["style"],
                    (value, "style=", "style"),
                )
            elif key == "ping":
                yield Problem(
                    f"a `ping=` attribute on <{name}> tells another site when a reader clicks",
                    HOW_TO_FIX["tag"],
                    ("ping=", "ping"),
                )
            elif key in URL_ATTRIBUTES or key.endswith(":href"):
                parts = (
                    [p.strip().split(" ")[0] for p in value.split(",")]
                    if "srcset" in key
                    else [value]
                )
                for part in parts:
                    url = clean_url(part)
                    if key in ("to", "from", "values"):
                        url = url.split(";")[0]
                    if url.startswith(BAD_SCHEMES) and not theme_share_link(
                        element, url, order, content
                    ):
                        scheme = url.split(":")[0]
                        yield Problem(
                            f"a {scheme}: address in `{key}=` on <{name}> can run script or "
                            "hide what it shows",
                            HOW_TO_FIX["scheme"],
                            (url, f"{scheme}:", f"{key}="),
                        )
        for attribute in LOADING.get(name, ()):
            loaded = element.get(attribute)
            if loaded is None or name == "script":
                continue
            value = " ".join(loaded) if isinstance(loaded, list) else str(loaded)
            if name == "link" and "canonical" in (element.get("rel") or []):
                continue
            if name == "link" and not {
                "stylesheet",
                "icon",
                "preload",
                "modulepreload",
                "prefetch",
                "manifest",
            } & set(element.get("rel") or []):
                continue
            for part in value.split(","):
                url = part.strip().split(" ")[0]
                if url and is_other_host(url):
                    yield Problem(
                        f"<{name}> loads {quote(url, 50)} from another site, which then learns "
                        "who reads this page",
                        HOW_TO_FIX["host"],
                        (url, f"<{name}"),
                    )


def identity(element: Tag) -> tuple[str, ...]:
    """Attribute values and text that tell this element apart from others in the source."""
    values = [str(" ".join(v) if isinstance(v, list) else v) for v in element.attrs.values()]
    text = (element.string or "").strip()[:40]
    return tuple(v for v in [*values, text] if len(v) > 3)


def _decoded(line: str) -> str:
    """A source line as the browser will read its addresses: entities decoded, no controls."""
    return CONTROL_RE.sub("", html.unescape(line)).lower()


def csp_present(soup: BeautifulSoup) -> bool:
    head = soup.head
    if head is None:
        return False
    first = head.find(True)
    return (
        isinstance(first, Tag)
        and first.name == "meta"
        and str(first.get("http-equiv", "")).lower() == "content-security-policy"
    )


def locate(repo: Repo, page: Path, needles: tuple[str, ...]) -> tuple[str, int]:
    """The Markdown file and line a finding most likely came from."""
    source = page_source(repo, page)
    candidates = [*repo.text_sources(source), repo.docs / "references.bib"]
    for needle in needles:
        if not needle:
            continue
        low = needle.lower()
        for path in candidates:
            if not path.is_file():
                continue
            squeezed = CONTROL_RE.sub("", low)
            for number, line in enumerate(repo.text(path).splitlines(), start=1):
                if low in line.lower() or (squeezed and squeezed in _decoded(line)):
                    return repo.rel(path), number
    return (repo.rel(source) if source else repo.rel(page)), 1


def run(repo: Repo) -> Iterator[Finding]:
    if not repo.site.is_dir():
        yield site_missing(repo, NAME)
        return
    for page in sorted(repo.site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "lxml")
        if not csp_present(soup):
            yield Finding(
                repo.rel(page),
                1,
                "this built page has no Content Security Policy as the first element of its "
                "<head>. Build with `make build` (it runs `python -m ketamine_tools.csp site` "
                "after MkDocs), never with `mkdocs build` alone, before publishing.",
            )
        # One message per source line: the first problem found there is the one to fix; the
        # check runs again after the fix and names the next, if any.
        seen: set[tuple[str, int]] = set()
        for problem in problems(repo, page, soup):
            path, line = locate(repo, page, problem.needles)
            if (path, line) in seen:
                continue
            seen.add((path, line))
            built = repo.rel(page)
            yield Finding(path, line, f"{problem.what} (in {built}). {problem.fix}")
