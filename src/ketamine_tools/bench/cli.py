"""`python -m ketamine_tools.bench [--pages /,/research/] [--runs 3] [--only lighthouse,...]`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ketamine_tools.bench import budgets, compare, hyperfine, lhci, project, search, serve
from ketamine_tools.bench.browser import chromium
from ketamine_tools.bench.procs import run
from ketamine_tools.localsite import serve as serve_static

ROOT = Path(__file__).resolve().parents[3]
SECTIONS = ("build", "lighthouse", "serve", "search")
LABELS = ("ours", "stock")


@dataclass(frozen=True)
class Options:
    root: Path
    runs: int
    build_runs: int
    pages: tuple[str, ...]  # empty: every page in the sitemap
    sections: tuple[str, ...]
    budgets: Path
    rc: Path
    out: Path


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m ketamine_tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--build-runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--pages", default="", help="URL paths, e.g. /,/research/ (default: all)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"a subset of {SECTIONS}")
    parser.add_argument("--budgets", type=Path, default=ROOT / "bench" / "budgets.toml")
    parser.add_argument("--rc", type=Path, default=ROOT / "bench" / "lighthouserc.json")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project to benchmark")
    args = parser.parse_args(argv)
    sections = tuple(s.strip() for s in args.only.split(",") if s.strip())
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {SECTIONS}")
    pages = tuple(p.strip() for p in args.pages.split(",") if p.strip())
    return Options(args.root.resolve(), args.runs, args.build_runs, pages, sections,
                   args.budgets, args.rc.resolve(), args.out.resolve())  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def check_rc(path: Path) -> None:
    """Fail before any work when the committed Lighthouse CI config is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise budgets.BudgetError(f"{path}: cannot read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise budgets.BudgetError(f"{path}: not valid JSON: {error}") from error
    ci = data.get("ci") if isinstance(data, dict) else None
    if not isinstance(ci, dict) or not isinstance(ci.get("assert"), dict):
        raise budgets.BudgetError(f"{path}: needs a `ci.assert` object (lhci's format)")


def sitemap_pages(xml_text: str, site_url: str) -> list[str]:
    """URL paths of the sitemap's pages relative to site_url: "/", "/research/", ..."""
    prefix = urlsplit(site_url).path.rstrip("/")
    pages = []
    for loc in ET.fromstring(xml_text).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        path = urlsplit((loc.text or "").strip()).path
        pages.append("/" + path.removeprefix(prefix).lstrip("/"))
    return pages


@dataclass(frozen=True)
class Workspace:
    projects: dict[str, Path]
    sites: dict[str, Path]
    commands: dict[str, str]  # label -> its build command (ours with the CSP step)


def prepare(root: Path, tmp: Path) -> Workspace:
    ours = project.copy_project(root, tmp / "project")
    stock = project.make_reference(ours, tmp / "reference")
    projects = {"ours": ours, "stock": stock}
    sites = {label: tmp / f"site-{label}" for label in LABELS}
    commands = {
        label: hyperfine.build_command(projects[label], sites[label], csp=label == "ours")
        for label in LABELS
    }
    return Workspace(projects, sites, commands)


def run_builds(ws: Workspace, opts: Options, rows: dict[str, compare.Row]) -> None:
    if "build" not in opts.sections:  # one build each to serve; hyperfine leaves them too
        for label in LABELS:
            run(["bash", "-c", ws.commands[label]], ws.projects[label], hyperfine.BUILD_TIMEOUT_S)
        return
    log(f"hyperfine: mkdocs build, ours and stock, {opts.build_runs} runs each")
    export = opts.out / "work" / "hyperfine.json"
    export.parent.mkdir(parents=True, exist_ok=True)
    times = hyperfine.time_builds(ws.commands, opts.build_runs, export)
    ours, stock = compare.spread(times["ours"]), compare.spread(times["stock"])
    rows["build"] = compare.Row("`mkdocs build --strict` s (hyperfine)", ours, stock, 2)


def run_lighthouse(ws: Workspace, opts: Options, rows: dict[str, compare.Row]) -> list[str]:
    """Every page x method x gzip on/off, ours and stock interleaved round by round;
    returns lhci assert's failures (judged on ours as GitHub Pages serves it: gzip)."""
    bench_dir = opts.rc.parent
    log(f"Lighthouse {lhci.ensure_installed(bench_dir)} via lhci")
    site_url = project.read_config(ws.projects["ours"] / "mkdocs.yml").get("site_url", "/")
    sitemap = (ws.sites["ours"] / "sitemap.xml").read_text(encoding="utf-8")
    pages = list(opts.pages) or sitemap_pages(sitemap, str(site_url))
    work = opts.out / "work" / "lhci"
    shutil.rmtree(work, ignore_errors=True)

    def folder(label: str, method: str, gzip: bool) -> Path:
        return work / f"{label}-{method}-{'gzip' if gzip else 'plain'}"

    with ExitStack() as stack:
        bases = {(label, gz): stack.enter_context(serve_static(ws.sites[label], gz)).base_url
                 for label in LABELS for gz in (True, False)}  # fmt: skip
        for number in range(opts.runs):
            order = LABELS if number % 2 == 0 else LABELS[::-1]  # who goes first alternates
            for method in lhci.METHODS:
                for gz in (True, False):
                    for label in order:
                        log(f"run {number + 1}/{opts.runs} {method} gzip={gz} {label}: "
                            f"{len(pages)} page(s)")  # fmt: skip
                        urls = [bases[label, gz].rstrip("/") + page for page in pages]
                        lhci.collect(bench_dir, opts.rc, urls, method, folder(label, method, gz))
    failed = []
    for gz in (True, False):
        for method in lhci.METHODS:
            try:
                ours = lhci.read_dir(folder("ours", method, gz))
                stock = lhci.read_dir(folder("stock", method, gz))
            except ValueError as error:  # a page that did not load: say so, compare the rest
                failed.append(f"Lighthouse ({method}, gzip={gz}): {error}")
                continue
            for row in compare.lighthouse_rows(ours, stock, gz):
                rows[row.name] = row
            if gz:
                found = lhci.assert_budgets(bench_dir, opts.rc, folder("ours", method, gz))
                failed += [f"lhci assert ({method}, gzip): {line}" for line in found]
    return failed


def run_probes(ws: Workspace, opts: Options, rows: dict[str, compare.Row]) -> None:
    with chromium() as browser:
        if "serve" in opts.sections:
            log("mkdocs serve: save -> visible, 5 edits each side, alternating")
            found = serve.measure(browser, ws.projects, "index.md", 5)
            rows["serve"] = compare.Row("`mkdocs serve` save -> visible s",
                                        compare.spread(found["ours"]),
                                        compare.spread(found["stock"]), 2)  # fmt: skip
        if "search" in opts.sections:
            queries = search.load_queries(opts.root / "tests" / "search_queries.yml")
            times = {}
            for label in LABELS:
                log(f"{label}: search, {len(queries)} queries")
                with serve_static(ws.sites[label], compress=True) as site:
                    times[label] = search.measure(browser, site.base_url, queries)
            rows["search"] = compare.Row("search keystroke -> results ms",
                                         compare.spread(times["ours"]),
                                         compare.spread(times["stock"]), 1)  # fmt: skip


def report(opts: Options, rows: dict[str, compare.Row], failed: list[str]) -> int:
    text = compare.table(rows.values())
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "summary.md").write_text(text, encoding="utf-8")
    data = {"rows": [{**asdict(r), "ratio": r.ratio, "behind": r.behind} for r in rows.values()],
            "failed": failed, "date": dt.datetime.now(dt.UTC).isoformat(),
            "load_end": os.getloadavg()}  # fmt: skip
    (opts.out / "results.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(text)
    for line in failed:
        log(f"FAIL: {line}")
    log(f"wrote {opts.out / 'summary.md'}, {opts.out / 'results.json'}; LHRs in {opts.out}/work")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    try:  # a malformed budgets or lighthouserc file stops us before any work
        limits = budgets.load(opts.budgets)
        check_rc(opts.rc)
    except budgets.BudgetError as error:
        log(f"error: {error}")
        return 2
    log(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    rows: dict[str, compare.Row] = {}
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ketamine-bench-") as tmp:
        ws = prepare(opts.root, Path(tmp))
        run_builds(ws, opts, rows)
        if {"serve", "search"} & set(opts.sections):
            run_probes(ws, opts, rows)
        if "lighthouse" in opts.sections:
            failed += run_lighthouse(ws, opts, rows)
    failed += compare.over_budget(rows, limits) + compare.behind(rows.values())
    return report(opts, rows, failed)
