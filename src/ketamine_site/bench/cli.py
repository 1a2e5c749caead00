"""Orchestration: `python -m ketamine_site.bench [--with-make] [--only ...] [--runs N]`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from ketamine_site.bench import budgets, builds, lighthouse, makes, project, search, serve, weight
from ketamine_site.bench import summary as summary_md
from ketamine_site.bench.browser import chromium
from ketamine_site.bench.procs import CHROMIUM
from ketamine_site.bench.staticserver import GZIP_LEVEL
from ketamine_site.bench.staticserver import serve as serve_static
from ketamine_site.bench.stats import ratios

ROOT = Path(__file__).resolve().parents[3]
PAGES = {"home": "index.md", "research": "research.md", "faq": "faq.md"}
SERVE_PAGE = "index.md"
SECTIONS = ("build", "serve", "weight", "search", "lighthouse")
LABELS = ("site", "reference")
NOT_RATIOS = {"failed_runs", "timed_out", "runs", "benchmark_index", "not_drawn", "queries"}


@dataclass(frozen=True)
class Options:
    root: Path
    runs: int
    lighthouse_runs: int
    with_make: bool
    sections: tuple[str, ...]
    budgets: Path
    out: Path


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m ketamine_site.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument(
        "--with-make",
        action="store_true",
        default=os.environ.get("BENCH_SLOW", "") not in ("", "0"),
        help="also time `make check` and `make test` (slow; same as BENCH_SLOW=1)",
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    parser.add_argument("--budgets", type=Path, default=ROOT / "bench" / "budgets.toml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project to benchmark")
    args = parser.parse_args(argv)
    sections = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {SECTIONS}")
    return Options(
        args.root.resolve(),
        args.runs,
        args.lighthouse_runs,
        args.with_make,
        sections,
        args.budgets,
        args.out,
    )


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def url_path(page: str) -> str:
    """docs/faq.md -> 'faq/', docs/index.md -> ''."""
    stem = page.removesuffix(".md")
    return "" if stem == "index" else f"{stem}/"


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "n/a"
    return (done.stdout.strip().splitlines() or ["n/a"])[-1]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def meta(opts: Options) -> dict[str, Any]:
    commit = _version(["git", "-C", str(opts.root), "rev-parse", "--short", "HEAD"])
    dirty = _version(["git", "-C", str(opts.root), "status", "--porcelain", "--", "docs"])
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" + uncommitted docs/ changes" if dirty not in ("", "n/a") else ""),
        "cpus": os.cpu_count(),
        "load_start": _load(),
        "runs": opts.runs,
        "lighthouse_runs": opts.lighthouse_runs,
        "sections": list(opts.sections),
        "gzip_level": GZIP_LEVEL,
        "versions": {
            "python": sys.version.split()[0],
            "mkdocs": metadata.version("mkdocs"),
            "mkdocs-material": metadata.version("mkdocs-material"),
            "zensical": metadata.version("zensical"),
            "playwright": metadata.version("playwright"),
            "node": _version(["node", "--version"]),
            "chromium": _version([CHROMIUM, "--version"]),
        },
        "notes": [],
    }


def existing_pages(project_dir: Path, notes: list[str]) -> dict[str, str]:
    pages = {name: md for name, md in PAGES.items() if (project_dir / "docs" / md).is_file()}
    notes += [f"docs/{md} does not exist: {name} not measured" for name, md in PAGES.items()
              if name not in pages]  # fmt: skip
    return pages


@dataclass
class Workspace:
    projects: dict[str, Path]  # label -> a disposable copy of the sources
    outputs: dict[str, Path]  # label -> its `mkdocs build` output
    labels: list[str] = field(default_factory=lambda: list(LABELS))  # those that built


def prepare(root: Path, tmp: Path) -> Workspace:
    ours = project.copy_project(root, tmp / "project")
    reference = project.make_reference(ours, tmp / "reference")
    return Workspace(
        {"site": ours, "reference": reference},
        {label: tmp / f"out-{label}" for label in LABELS},
    )


def run_builds(ws: Workspace, opts: Options, results: dict[str, Any]) -> None:
    timed = "build" in opts.sections
    log(f"building with mkdocs and zensical ({opts.runs if timed else 1} run(s) each side)")
    found = builds.bench_builds(ws.projects, ws.outputs, opts.runs if timed else 1)
    if found["site"]["mkdocs"]["median_s"] is None:
        raise SystemExit(f"mkdocs build of the site failed:\n{found['site']['mkdocs']['error']}")
    for label in LABELS:
        if found[label]["mkdocs"]["median_s"] is None:
            ws.labels.remove(label)
            results["meta"]["notes"].append(f"{label}: mkdocs build failed, not measured further")
        if found[label]["zensical"].get("error"):
            results["meta"]["notes"].append(f"{label}: zensical build failed, see results.json")
        if timed:
            results[label]["build"] = found[label]


def run_browser(browser: Browser, ws: Workspace, opts: Options, results: dict[str, Any]) -> None:
    pages = existing_pages(ws.projects["site"], results["meta"]["notes"])
    queries, source = search.load_queries(opts.root / "tests" / "search_queries.yml")
    results["meta"]["query_source"] = source
    if "serve" in opts.sections:
        log(f"mkdocs serve, edit -> visible ({opts.runs} edits each side, alternating)")
        projects = {label: ws.projects[label] for label in ws.labels}
        for label, found in serve.measure(browser, projects, SERVE_PAGE, opts.runs).items():
            results[label]["serve"] = found
    for label in ws.labels:
        with serve_static(ws.outputs[label]) as base:
            if "weight" in opts.sections:
                log(f"{label}: page weight")
                results[label]["weight"] = {
                    name: weight.measure(browser, base + url_path(md)) for name, md in pages.items()
                }
                index = ws.outputs[label] / "search" / "search_index.json"
                results[label]["search_index"] = weight.file_size(index)
            if "search" in opts.sections:
                log(f"{label}: search latency over {len(queries)} queries")
                results[label]["search"] = search.measure(browser, base, queries)


def run_lighthouse(ws: Workspace, opts: Options, results: dict[str, Any]) -> None:
    bench_dir = ROOT / "bench"  # the pinned Lighthouse lives beside this tool
    try:
        results["meta"]["versions"]["lighthouse"] = lighthouse.ensure_installed(bench_dir)
    except (RuntimeError, OSError) as exc:  # no npm, or no registry: the scores stay unmeasured
        log(str(exc))
        results["meta"]["notes"].append(f"Lighthouse not run: {exc}")
        return
    pages = existing_pages(ws.projects["site"], [])
    raw: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    with ExitStack() as stack:
        bases = {label: stack.enter_context(serve_static(ws.outputs[label])) for label in ws.labels}
        for run in range(1, opts.lighthouse_runs + 1):
            for preset in lighthouse.PRESETS:
                for name, md in pages.items():
                    for label in ws.labels:
                        log(f"Lighthouse run {run}/{opts.lighthouse_runs}: {label} {preset} {name}")
                        report = lighthouse.run_once(bench_dir, bases[label] + url_path(md), preset)
                        raw.setdefault((label, preset, name), []).append(report)
    for (label, preset, name), reports in raw.items():
        results[label].setdefault("lighthouse", {}).setdefault(preset, {})[name] = (
            lighthouse.combine(reports)
        )


SKIP_PREFIXES = {
    "build": ("site.build", "reference.build"),
    "serve": ("site.serve",),
    "weight": ("site.weight", "site.search_index"),
    "search": ("site.search",),
    "lighthouse": ("site.lighthouse",),
}


def finish(opts: Options, results: dict[str, Any], limits: list[budgets.Budget]) -> int:
    results["meta"]["load_end"] = _load()
    results["ratios"] = ratios(results["site"], results["reference"], ignore=NOT_RATIOS)
    skipped = [p for s in SECTIONS if s not in opts.sections for p in SKIP_PREFIXES[s]]
    if not opts.with_make:
        skipped.append("make")
    outcomes = budgets.evaluate(results, limits, skipped)
    results["budgets"] = [outcome.as_dict() for outcome in outcomes]
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = summary_md.render(results)
    (opts.out / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    missed = budgets.failures(outcomes)
    for outcome in missed:
        log(f"BUDGET MISSED: {outcome.budget.name}: {outcome.reason}")
    log(f"wrote {opts.out / 'results.json'} and {opts.out / 'summary.md'}")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    try:  # a malformed budgets file stops us before any work
        limits = budgets.load(opts.budgets)
    except budgets.BudgetError as error:
        log(f"error: {error}")
        return 2
    results: dict[str, Any] = {"meta": meta(opts), "site": {}, "reference": {}}
    with tempfile.TemporaryDirectory(prefix="ketamine-bench-") as tmp:
        ws = prepare(opts.root, Path(tmp))
        run_builds(ws, opts, results)
        if {"serve", "weight", "search"} & set(opts.sections):
            with chromium() as browser:
                run_browser(browser, ws, opts, results)
        if "lighthouse" in opts.sections:
            run_lighthouse(ws, opts, results)
    if opts.with_make:
        log("timing `make check` and `make test` (one run each)")
        results["make"] = makes.measure(opts.root)
    return finish(opts, results, limits)
