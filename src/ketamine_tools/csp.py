"""Give every built page a Content Security Policy: `python -m ketamine_tools.csp [SITE ...]`.

A static host sends no headers of ours, so the policy goes in a `<meta>` tag, the first thing
in `<head>`, before any script. Scripts may come only from the site itself, plus the inline
scripts the theme writes into each page, allowed by their SHA-256 hashes. The hashes are
computed here, from the built pages, never typed by hand.

Which inline scripts are allowed is decided by `theme_scripts.json` beside this file: the
fingerprint of each inline script that Material (and Zensical) write, with the page's relative
base address taken out, and, listed apart with the reason for each, the few constant scripts of
our own templates (`site_scripts`: code that must run before the body exists, where a file
would hold up the first drawing of the page). A page with any other inline script is refused,
so a theme upgrade that changes one fails loudly here (re-run with `--update` after reading the
new script), and a script smuggled in through Markdown never gets a hash.

Run after every build (`make build` does); `mkdocs serve` skips it on purpose, because its live
reload is an inline script of its own.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

KNOWN_FILE = Path(__file__).with_name("theme_scripts.json")

# Types that make a <script> run (HTML's "JavaScript MIME type essence matches" plus module).
# Anything else (application/ld+json, application/json) is a data block and never runs.
EXECUTABLE_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
}

# The one part of the theme's inline scripts that differs from page to page: the address of
# the site's root (".", "..", "../.."; absolute on the 404 page), as in
# `__md_scope=new URL("..",location)`.
_BASE_RE = re.compile(r'new URL\("[^"\\]*",location\)')

POLICY = (
    "default-src 'none'",
    "script-src 'self' {hashes}",
    "style-src 'self' {styles}",
    # data: for the icons that the theme's CSS draws as data: SVG images.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
)
# A reader's browser tells no other site which page of ours they came from.
REFERRER = "no-referrer"

META_RE = re.compile(
    r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>\s*<meta name="referrer"[^>]*>', re.I
)
HEAD_RE = re.compile(r"<head(?:\s[^>]*)?>", re.I)


def is_executable(script: Tag) -> bool:
    kind = str(script.get("type") or "").strip().lower().split(";")[0].strip()
    return kind in EXECUTABLE_TYPES


def inline_scripts(soup: BeautifulSoup) -> list[str]:
    """The text of every inline script in the page that a browser would run."""
    return [
        script.string or ""
        for script in soup.find_all("script")
        if isinstance(script, Tag) and not script.get("src") and is_executable(script)
    ]


def fingerprint(script: str) -> str:
    """Hash of a script with the page's relative base address taken out."""
    normal = _BASE_RE.sub("new URL(BASE,location)", script.strip())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def load_known(path: Path = KNOWN_FILE) -> dict[str, str]:
    """Fingerprint -> the start of the script, for the theme's and our templates' own."""
    data = _load(path)
    entries = data.get("scripts", []) + data.get("site_scripts", [])
    return {entry["fingerprint"]: entry["starts"] for entry in entries}


def style_hashes(path: Path = KNOWN_FILE) -> list[str]:
    """CSP hashes of the `<style>` elements that the theme's script adds at run time.

    Zensical's search dialog puts its stylesheet into a shadow root as a `<style>` element.
    A browser reports such a style's hash when the policy blocks it; the CSP browser test
    fails on any report, so a new theme version cannot change it silently.
    """
    return [entry["hash"] for entry in _load(path).get("styles", [])]


def policy(scripts: Iterable[str], styles: Iterable[str] = ()) -> str:
    hashes = " ".join(sorted({csp_hash(s) for s in scripts}))
    style = " ".join(sorted(set(styles)))
    return (
        "; ".join(POLICY)
        .replace(" {hashes}", f" {hashes}" if hashes else "")
        .replace(" {styles}", f" {style}" if style else "")
    )


def pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


@dataclass(frozen=True)
class Refused:
    page: Path
    starts: str

    def __str__(self) -> str:
        return (
            f"{self.page}: inline script that is not the theme's: {self.starts!r}. If a page "
            "or override adds it, move the code into docs/assets/javascripts/ or remove it; if "
            "a theme upgrade changed the theme's own scripts, read the new script, then run "
            "`python -m ketamine_tools.csp --update site` to record it."
        )


def protect_page(path: Path, known: dict[str, str], styles: Sequence[str] = ()) -> Refused | None:
    html = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    scripts = inline_scripts(soup)
    for script in scripts:
        if fingerprint(script) not in known:
            return Refused(path, " ".join(script.split())[:60])
    html = META_RE.sub("", html, count=1)
    head = HEAD_RE.search(html)
    if head is None:
        return Refused(path, "(the page has no <head>)")
    meta = (
        f'\n  <meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles)}">'
        f'\n  <meta name="referrer" content="{REFERRER}">'
    )
    path.write_text(html[: head.end()] + meta + html[head.end() :], encoding="utf-8")
    return None


def protect(site: Path, known: dict[str, str] | None = None) -> list[Refused]:
    known = load_known() if known is None else known
    styles = style_hashes()
    return [r for page in pages(site) if (r := protect_page(page, known, styles)) is not None]


def update(sites: Sequence[Path], path: Path = KNOWN_FILE) -> list[dict[str, str]]:
    """Record the inline scripts of these (reviewed, clean) builds as the theme's own.

    Our templates' own scripts (`site_scripts`) stay in their list, with their reasons, and are
    not recorded again as the theme's."""
    data = _load(path) if path.is_file() else {}
    ours = {entry["fingerprint"] for entry in data.get("site_scripts", [])}
    found: dict[str, str] = {}
    for site in sites:
        for page in pages(site):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
            for script in inline_scripts(soup):
                if (key := fingerprint(script)) not in ours:
                    found.setdefault(key, " ".join(script.split())[:60])
    entries = [{"fingerprint": k, "starts": v} for k, v in sorted(found.items())]
    data["scripts"] = entries
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ketamine_tools.csp", description=__doc__)
    parser.add_argument("sites", nargs="*", type=Path, default=[Path("site")])
    parser.add_argument(
        "--update",
        action="store_true",
        help="record the inline scripts of these builds as the theme's own (after a theme "
        "upgrade, on a clean checkout; read what it prints)",
    )
    args = parser.parse_args(argv)
    missing = [site for site in args.sites if not site.is_dir()]
    if missing:
        print(f"csp: {missing[0]} is not a built site. Run `make build` first.")
        return 1
    if args.update:
        for entry in update(args.sites):
            print(f"csp: theme script {entry['fingerprint'][:12]}: {entry['starts']!r}")
        print(f"csp: wrote {KNOWN_FILE.name}; commit it with the theme upgrade.")
        return 0
    refused = [r for site in args.sites for r in protect(site)]
    for problem in refused:
        print(f"csp: {problem}")
    if refused:
        print(f"csp: {len(refused)} page(s) refused; the site must not be published as it is.")
        return 1
    count = sum(1 for site in args.sites for _ in pages(site))
    print(f"csp: policy added to {count} pages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
