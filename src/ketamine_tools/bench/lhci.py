"""Lighthouse CI (`@lhci/cli`, pinned in bench/package-lock.json): collect, assert, read.

We drive lhci rather than Lighthouse directly so that the budgets live in the tool's own
format (bench/lighthouserc.json, `lhci assert`) and the runs are the ones anyone can repeat
with `npx lhci collect`. What lhci does not do, we do here: run ours and the reference
interleaved, under both throttling methods and with and without gzip, and read back the LHRs
to compare the two sites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ketamine_tools.bench.procs import run

METHODS = ("simulate", "devtools")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUN_TIMEOUT_S = 300.0  # per page and run; Lighthouse itself gives up on a page after 60 s


def lhci(bench_dir: Path) -> Path:
    return bench_dir / "node_modules" / ".bin" / "lhci"


def ensure_installed(bench_dir: Path) -> str:
    """`npm ci --prefix bench` when lhci is missing; returns the Lighthouse version it runs."""
    if not lhci(bench_dir).is_file():
        cmd = ["npm", "ci", "--prefix", str(bench_dir), "--no-audit", "--no-fund"]
        run(cmd, bench_dir, timeout=900)
    package = bench_dir / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def collect(bench_dir: Path, rc: Path, urls: list[str], method: str, workdir: Path) -> None:
    """One Lighthouse run of each URL into workdir/.lighthouseci (added to earlier runs).

    `--settings.throttlingMethod` is the `lhci collect` spelling; `--collect.settings...`
    is only understood by `lhci autorun`, and given to `collect` it silently replaces the
    whole `settings` object of the rc file (Chromium then starts without --no-sandbox).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [str(lhci(bench_dir)), "collect", f"--config={rc}", "--additive", "--numberOfRuns=1",
           f"--settings.throttlingMethod={method}", *(f"--url={url}" for url in urls)]  # fmt: skip
    run(cmd, workdir, timeout=RUN_TIMEOUT_S * len(urls))


def assert_budgets(bench_dir: Path, rc: Path, workdir: Path) -> list[str]:
    """`lhci assert` over workdir's runs; the failed assertions as one line each."""
    try:
        run([str(lhci(bench_dir)), "assert", f"--config={rc}"], workdir, timeout=300)
    except RuntimeError as error:
        found = workdir / ".lighthouseci" / "assertion-results.json"
        if not found.is_file():
            return [str(error)]  # lhci failed before judging: say what it said
        return failures(json.loads(found.read_text(encoding="utf-8")))
    return []


def failures(assertion_results: list[dict[str, Any]]) -> list[str]:
    """One line per failed assertion of lhci's assertion-results.json, e.g.
    "/research/ categories.performance: 0.8 (budget >= 0.85)"."""
    lines = []
    for result in assertion_results:
        if result.get("level") != "error" or result.get("passed"):
            continue
        what = ".".join(filter(None, (result.get("auditId"), result.get("auditProperty"))))
        lines.append(
            f"{urlsplit(result['url']).path} {what}: {result['actual']:g} "
            f"(budget {result['operator']} {result['expected']:g})"
        )
    return lines


@dataclass(frozen=True)
class Sample:
    """What we compare from one Lighthouse run of one page."""

    page: str  # the URL path, "/research/"
    method: str
    scores: dict[str, float]  # category id -> 0-100
    tbt_ms: float
    total_kib: float


def read_lhr(lhr: dict[str, Any]) -> Sample:
    """A Sample from one Lighthouse result (the JSON lhci writes as lhr-*.json)."""
    if lhr.get("runtimeError"):  # a page that did not load must not score as a number
        raise ValueError(f"{lhr.get('requestedUrl')}: {lhr['runtimeError'].get('message')}")
    audits = lhr["audits"]
    scores = {c: round(lhr["categories"][c]["score"] * 100) for c in CATEGORIES}
    return Sample(
        urlsplit(lhr["requestedUrl"]).path,
        lhr["configSettings"]["throttlingMethod"],
        scores,
        float(audits["total-blocking-time"]["numericValue"]),
        float(audits["total-byte-weight"]["numericValue"]) / 1024,
    )


def read_dir(workdir: Path) -> list[Sample]:
    return [
        read_lhr(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((workdir / ".lighthouseci").glob("lhr-*.json"))
    ]
