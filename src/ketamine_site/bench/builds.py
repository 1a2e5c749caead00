"""Build wall time for `mkdocs build` and `zensical build`, and the pages each wrote."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ketamine_site.bench.procs import BIN, Timed, run_timed
from ketamine_site.bench.stats import median

BUILD_TIMEOUT = 900.0


def count_pages(site: Path) -> int:
    """HTML pages written (the 404 page and redirect stubs aside)."""
    return sum(1 for page in site.rglob("*.html") if page.name != "404.html")


def mkdocs_build(project: Path, out: Path) -> Timed:
    """A full, strict build (what `make build` does), into `out`."""
    cmd = [str(BIN / "mkdocs"), "build", "--strict", "--clean", "--site-dir", str(out)]
    return run_timed(cmd, project, BUILD_TIMEOUT)


def zensical_build(project: Path) -> Timed:
    """A cold build (`--clean` empties Zensical's cache) into the config's site_dir."""
    shutil.rmtree(project / "site", ignore_errors=True)
    return run_timed([str(BIN / "zensical"), "build", "--clean"], project, BUILD_TIMEOUT)


def summarise(runs: list[Timed], site: Path) -> dict[str, Any]:
    ok = [run for run in runs if run.ok]
    result: dict[str, Any] = {
        "median_s": median(run.seconds for run in ok),
        "runs_s": [round(run.seconds, 3) for run in runs],
        "failed_runs": len(runs) - len(ok),
        "pages": count_pages(site) if ok and site.is_dir() else None,
    }
    if len(ok) < len(runs):
        result["error"] = next(run.tail() for run in runs if not run.ok)
    return result


def bench_builds(projects: dict[str, Path], outputs: dict[str, Path], runs: int) -> dict[str, Any]:
    """{label: {"mkdocs": ..., "zensical": ...}}; the labels alternate run by run so that
    the other users of this machine slow both sides alike."""
    timings: dict[str, dict[str, list[Timed]]] = {
        label: {"mkdocs": [], "zensical": []} for label in projects
    }
    for _ in range(runs):
        for label, project in projects.items():
            timings[label]["mkdocs"].append(mkdocs_build(project, outputs[label]))
            timings[label]["zensical"].append(zensical_build(project))
    return {
        label: {
            "mkdocs": summarise(timings[label]["mkdocs"], outputs[label]),
            "zensical": summarise(timings[label]["zensical"], projects[label] / "site"),
        }
        for label in projects
    }
