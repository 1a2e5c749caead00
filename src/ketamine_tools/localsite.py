"""The built site in a real browser: serve it on 127.0.0.1 and start Debian's Chromium.

Shared by the browser tests (tests/browser/) and `python -m ketamine_tools.screenshots`, so
both see the site the same way: the build folder served at `/` (pages link relatively, so
the site_url path prefix is not needed), no network beyond the local server, and the
system Chromium (Playwright never downloads a browser here).
"""

from __future__ import annotations

import functools
import gzip
import os
import posixpath
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
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
    """No Chromium where the tests look for one."""


HOW_TO_GET_CHROMIUM = (
    "Install one, then run the tests again: `sudo apt-get install chromium` (Debian or "
    "Ubuntu), or `.venv/bin/python -m playwright install chromium` (needs internet), or set "
    "CHROMIUM_PATH to a Chromium binary you have."
)


def playwright_chromium() -> Path | None:
    """A Chromium that Playwright downloaded earlier (~/.cache/ms-playwright), if any."""
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright")
    found = sorted(cache.glob("chromium-*/chrome-linux*/chrome"), reverse=True)
    return found[0] if found else None


def find_chromium() -> Path | None:
    """CHROMIUM_PATH (if set), else Debian's /usr/bin/chromium, else Playwright's own."""
    configured = os.environ.get("CHROMIUM_PATH")
    for candidate in (Path(configured) if configured else None, Path("/usr/bin/chromium")):
        if candidate is not None and candidate.is_file():
            return candidate
    return playwright_chromium()


def chromium_path() -> Path:
    """The Chromium the browser tests use, or a clear message on how to get one."""
    found = find_chromium()
    if found is None:
        raise ChromiumMissingError(
            f"No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, "
            f"Playwright's cache). {HOW_TO_GET_CHROMIUM}"
        )
    return found


def _can_use_apt() -> list[str] | None:
    """The command prefix for apt-get (root, or sudo without a password), or None."""
    if not Path("/etc/debian_version").is_file() or shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    ):
        return ["sudo", "-n"]
    return None


def ensure_chromium() -> int:
    """`make test`'s first step: find a Chromium, or install one, and say in one line which.

    Returns 0 when a Chromium is there; 1, with what to run, when none can be had.
    """
    found = find_chromium()
    if found is not None:
        print(f"chromium: using {found}")
        return 0
    prefix = _can_use_apt()
    if prefix is not None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        steps = [
            [*prefix, "apt-get", "update", "-qq"],
            [
                *prefix,
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "chromium",
                "fonts-dejavu-core",
            ],
        ]
        if (
            all(
                subprocess.run(s, env=env, capture_output=True, check=False).returncode == 0
                for s in steps
            )
            and Path("/usr/bin/chromium").is_file()
        ):
            print("chromium: installed Debian's chromium package (/usr/bin/chromium)")
            return 0
    download = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "chromium"],
        env={k: v for k, v in os.environ.items() if k != "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"},
        capture_output=True,
        text=True,
        check=False,
    )
    if download.returncode == 0 and playwright_chromium() is not None:
        print(f"chromium: downloaded Playwright's Chromium ({playwright_chromium()})")
        return 0
    print(f"chromium: none found and none could be installed here. {HOW_TO_GET_CHROMIUM}")
    return 1


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--ensure-chromium"]:
        return ensure_chromium()
    print("usage: python -m ketamine_tools.localsite --ensure-chromium")
    return 2


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


# Served with gzip, as GitHub Pages serves, or without (a reader behind a proxy that strips
# it): the benchmark measures both, because Lighthouse's throttling charges for the bytes
# that cross the wire. The tests take the plain server.
GZIP_LEVEL = 6  # nginx's and most hosts' choice for dynamic gzip
COMPRESSIBLE = (
    "text/", "application/json", "application/javascript", "application/xml",
    "image/svg+xml", "application/manifest+json",
)  # fmt: skip


def is_compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE)


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    del mtime_ns  # part of the cache key only
    return gzip.compress(Path(path).read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like any real host
    compress = False

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the stdlib's redirect to the trailing slash
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        content_type = self.guess_type(str(path))
        if not (
            self.compress and accepts_gzip and path.is_file() and is_compressible(content_type)
        ):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


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
def serve(site_dir: Path, compress: bool = False) -> Iterator[LocalSite]:
    """Serve `site_dir` on a free port of 127.0.0.1 for the duration of the block (with gzip
    when `compress`); the one static server of the tests, screenshots and benchmark."""
    handler_class = type("Handler", (_Handler,), {"compress": compress})
    handler = functools.partial(handler_class, directory=str(site_dir))
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


if __name__ == "__main__":
    raise SystemExit(main())
