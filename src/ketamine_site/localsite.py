"""The built site in a real browser: serve it on 127.0.0.1 and start Debian's Chromium.

Shared by the browser tests (tests/browser/) and `python -m ketamine_site.screenshots`, so
both see the site the same way: the build folder served at `/` (pages link relatively, so
the site_url path prefix is not needed), no network beyond the local server, and the
system Chromium (Playwright never downloads a browser here).
"""

from __future__ import annotations

import functools
import os
import posixpath
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# No sandbox (containers, CI) and no background traffic: the only requests the browser
# makes are the ones a page asks for, which the privacy test needs to see. Every host but
# 127.0.0.1 fails to resolve, so a page that does ask for something elsewhere gets an
# instant error (recorded by the tests) instead of a network wait or a real request.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Reader's system setting -> the Material palette it selects (mkdocs.yml `palette`).
SCHEMES = {"light": "default", "dark": "slate"}


class ChromiumMissingError(RuntimeError):
    """Debian's Chromium is not installed where the tests expect it."""


def chromium_path() -> Path:
    """The system Chromium, or a clear message on how to get it (never a download)."""
    if not CHROMIUM.is_file():
        raise ChromiumMissingError(
            f"Chromium not found at {CHROMIUM}. The browser tests use Debian's Chromium: "
            "install it with `sudo apt-get install chromium` (or point CHROMIUM_PATH at a "
            "Chromium binary). Playwright must not download its own browser here."
        )
    return CHROMIUM


def launch_chromium(playwright: Playwright) -> Browser:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    return playwright.chromium.launch(
        executable_path=str(chromium_path()), args=CHROMIUM_ARGS, headless=True
    )


def build(site_dir: Path, project: Path = ROOT) -> Path:
    """`mkdocs build --strict` of `project` into `site_dir`; raises with MkDocs' output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return site_dir


def open_page(page: Page, url: str, scheme: str = "light") -> None:
    """Load `url` and wait until Material has applied the palette of `scheme`.

    The palette follows `prefers-color-scheme`, so the page's context must be created with
    `color_scheme=scheme`; Material's script then sets `data-md-color-scheme` on <body>
    (and remembers it in localStorage `__palette`).
    """
    page.goto(url)
    page.wait_for_function(
        "scheme => document.body.getAttribute('data-md-color-scheme') === scheme",
        arg=SCHEMES[scheme],
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the test output


@dataclass(frozen=True)
class LocalSite:
    """A built site served on 127.0.0.1."""

    site_dir: Path
    base_url: str  # "http://127.0.0.1:PORT/"

    @property
    def origin(self) -> str:
        return self.base_url.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def url(self, path: str) -> str:
        """Page path as in the sitemap ("", "faq/", "treatment/#questions-to-ask")."""
        return self.base_url + path.lstrip("/")

    def page_paths(self) -> list[str]:
        """Every page of sitemap.xml, as a path relative to the site root ("" is home)."""
        return page_paths(self.site_dir)


def page_paths(site_dir: Path) -> list[str]:
    tree = ET.parse(site_dir / "sitemap.xml")
    locs = [loc.text or "" for loc in tree.getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)]
    if not locs:
        raise RuntimeError(f"{site_dir / 'sitemap.xml'} lists no pages")
    # Absolute site_url addresses -> paths under the site_url prefix, served here at "/".
    paths = [urlsplit(loc).path for loc in locs]
    prefix = posixpath.commonpath(paths).rstrip("/") + "/"
    return [path.removeprefix(prefix) for path in paths]


@contextmanager
def serve(site_dir: Path) -> Iterator[LocalSite]:
    """Serve `site_dir` on a free port of 127.0.0.1 for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield LocalSite(site_dir, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
