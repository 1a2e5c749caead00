"""Page weight: every request a first visit makes until the network is idle, in the browser."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Request

from ketamine_site.bench.browser import fresh_context
from ketamine_site.bench.staticserver import GZIP_LEVEL, is_compressible

KIB = 1024


def gzip_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire from a host that gzips text (and sends images and fonts as they are)."""
    if not is_compressible(content_type):
        return len(body)
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


@dataclass
class Transfer:
    url: str
    resource_type: str
    raw: int
    gzip: int


@dataclass
class Visit:
    transfers: list[Transfer] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self, origin: str) -> dict[str, Any]:
        raw = sum(t.raw for t in self.transfers)
        gz = sum(t.gzip for t in self.transfers)
        others = sorted({u for u in self._urls() if not u.startswith(origin)})
        by_type: dict[str, int] = {}
        for t in self.transfers:
            by_type[t.resource_type] = by_type.get(t.resource_type, 0) + t.gzip
        return {
            "raw_bytes": raw,
            "gzip_bytes": gz,
            "raw_kb": round(raw / KIB, 1),
            "gzip_kb": round(gz / KIB, 1),
            "requests": len(self.transfers) + len(self.failed),
            "failed_requests": len(self.failed),
            "other_hosts": len(others),
            "other_host_requests": others,
            "gzip_bytes_by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
            "largest": [
                {"url": t.url.removeprefix(origin), "gzip_bytes": t.gzip}
                for t in sorted(self.transfers, key=lambda t: -t.gzip)[:5]
            ],
        }

    def _urls(self) -> list[str]:
        return [t.url for t in self.transfers] + self.failed


def _record(visit: Visit, request: Request) -> None:
    response = request.response()
    if response is None:
        visit.failed.append(request.url)
        return
    try:
        body = response.body()
    except Exception:  # redirects and aborted bodies have none
        body = b""
    content_type = response.headers.get("content-type", "")
    visit.transfers.append(
        Transfer(request.url, request.resource_type, len(body), gzip_size(body, content_type))
    )


def measure(browser: Browser, url: str, timeout_ms: float = 60_000) -> dict[str, Any]:
    """Load `url` in a fresh profile and add up every response body (decoded, and gzipped)."""
    visit = Visit()
    finished: list[Request] = []
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    with fresh_context(browser) as context:
        context.on("requestfinished", lambda request: finished.append(request))
        context.on("requestfailed", lambda request: visit.failed.append(request.url))
        page = context.new_page()
        page.goto(url, wait_until="networkidle", timeout=timeout_ms)
        page.wait_for_timeout(500)  # stragglers: the search worker's index fetch
        for request in finished:
            _record(visit, request)
    return visit.as_dict(origin)


def file_size(path: Path) -> dict[str, Any]:
    """Raw and gzip size of one built file (the search index)."""
    if not path.is_file():
        return {"raw_bytes": None, "gzip_bytes": None}
    body = path.read_bytes()
    gz = len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
    return {
        "raw_bytes": len(body),
        "gzip_bytes": gz,
        "raw_kb": round(len(body) / KIB, 1),
        "gzip_kb": round(gz / KIB, 1),
    }
