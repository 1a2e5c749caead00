"""A static file server on 127.0.0.1, with gzip (as GitHub Pages serves) or without.

Both matter, which is why `make bench` measures both: Lighthouse's throttling charges for the
bytes that cross the wire, so compression changes every score, and a reader behind a proxy
that strips it gets the uncompressed page. lhci's own server always compresses, so we serve.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like any real host
    compress = True

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


@contextmanager
def serve(directory: Path, compress: bool, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `directory` on a free port in a background thread; yields the base URL."""
    handler_class = type("Handler", (Handler,), {"compress": compress})
    handler = partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
