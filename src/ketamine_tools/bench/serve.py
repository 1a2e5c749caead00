"""`mkdocs serve --livereload`: time from saving an edited page to the open page showing it.

No tool measures this, so it stays ours.

Runs on a temporary copy of the project (never the real docs/): starts the server on a free
127.0.0.1 port, opens the page in headless Chromium, appends a unique marker paragraph to
the page's Markdown, and polls the open page until its text shows the marker.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from ketamine_tools.bench.browser import fresh_context
from ketamine_tools.bench.procs import BIN, env, stop
from ketamine_tools.bench.project import free_port

START_TIMEOUT_S = 180.0
VISIBLE_TIMEOUT_S = 60.0
POLL_S = 0.01
SETTLE_S = 1.5  # between edits: let the reload finish and livereload reconnect
SERVE_ARGS = ("--livereload",)  # what `make serve` runs; keep the two in step
SHOWS = "m => document.body !== null && document.body.innerText.includes(m)"


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"mkdocs serve did not answer on {url} within {START_TIMEOUT_S:.0f} s")


def _shows(page: Page, marker: str) -> bool:
    try:
        return bool(page.evaluate(SHOWS, marker))
    except PlaywrightError:  # the page is reloading: its context was destroyed
        return False


def _edit_once(page: Page, source: Path, original: str) -> float | None:
    marker = f"benchmarker{uuid.uuid4().hex[:12]}"
    start = time.perf_counter()
    source.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
    deadline = start + VISIBLE_TIMEOUT_S
    while time.perf_counter() < deadline:
        if _shows(page, marker):
            return time.perf_counter() - start
        time.sleep(POLL_S)
    return None


def _serve(project: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [str(BIN / "mkdocs"), "serve", *SERVE_ARGS, "--dev-addr", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        cmd,
        cwd=project,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, ended by id in procs.stop
    )


@dataclass
class Session:
    """One running `mkdocs serve` with its page open in the browser."""

    source: Path
    original: str
    process: subprocess.Popen[bytes]
    times: list[float] = field(default_factory=list)


def _start(project: Path, page_path: str) -> tuple[Session, str]:
    port = free_port()
    source = project / "docs" / page_path
    session = Session(source, source.read_text(encoding="utf-8"), _serve(project, port))
    stem = page_path.removesuffix(".md")
    return session, f"http://127.0.0.1:{port}/" + ("" if stem == "index" else f"{stem}/")


def _stop(session: Session) -> None:
    stop(session.process)
    session.source.write_text(session.original, encoding="utf-8")


def measure(
    browser: Browser, projects: dict[str, Path], page_path: str, runs: int
) -> dict[str, list[float]]:
    """Seconds from save to visible for `runs` edits of docs/<page_path>, for each project;
    the servers run side by side and the edits alternate between them, so that the
    machine's other load slows each alike. An edit that never shows is a broken preview, not
    a slow one: it raises rather than vanish from the median."""
    sessions: dict[str, Session] = {}
    pages: dict[str, Page] = {}
    try:
        with fresh_context(browser) as context:
            for label, project in projects.items():
                sessions[label], url = _start(project, page_path)
                _wait_until_up(url, sessions[label].process)
                pages[label] = context.new_page()
                pages[label].goto(url, wait_until="load")
            for _ in range(runs):
                for label, session in sessions.items():
                    time.sleep(SETTLE_S)
                    seconds = _edit_once(pages[label], session.source, session.original)
                    if seconds is None:
                        raise RuntimeError(f"{label}: an edit never showed in mkdocs serve "
                                           f"within {VISIBLE_TIMEOUT_S:.0f} s")  # fmt: skip
                    session.times.append(seconds)
    finally:
        for session in sessions.values():
            _stop(session)
    return {label: session.times for label, session in sessions.items()}
