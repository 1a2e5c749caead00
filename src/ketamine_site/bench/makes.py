"""Wall time of the contributor commands `make check` and `make test` (one run each)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ketamine_site.bench.procs import run_timed

MAKE_TIMEOUT_S = 3600.0


def measure(root: Path, targets: tuple[str, ...] = ("check", "test")) -> dict[str, Any]:
    """Runs in the real checkout, as a contributor would (`make check` rebuilds site/)."""
    results: dict[str, Any] = {}
    for target in targets:
        timed = run_timed(["make", target], root, MAKE_TIMEOUT_S)
        results[target] = {"seconds": round(timed.seconds, 2), "exit_code": timed.returncode}
        if not timed.ok:
            results[target]["tail"] = timed.tail(10)
    return results
