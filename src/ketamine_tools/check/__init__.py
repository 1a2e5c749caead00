"""The site's quality gate: `python -m ketamine_tools.check [--only NAME ...]`.

One module per concern; each yields findings printed as `path:line: message`, where the
message says what is wrong and how to fix it. Exit status 1 when anything is found.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from types import ModuleType

from ketamine_tools.check import (
    assets,
    certainty,
    citations,
    config,
    dosing,
    encoding,
    frontmatter,
    helplines,
    links,
    markup,
    numbers,
    orphans,
    placeholders,
    promises,
    published,
    readability,
    seed,
    sources,
    spelling,
    structure,
)
from ketamine_tools.check.core import SITE_MISSING as MISSING
from ketamine_tools.check.core import Finding, Repo

# In the order a contributor would fix things: source files first, the built site last.
CHECKS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        encoding,
        frontmatter,
        assets,
        placeholders,
        markup,
        orphans,
        config,
        spelling,
        seed,
        numbers,
        dosing,
        promises,
        citations,
        sources,
        certainty,
        readability,
        links,
        structure,
        helplines,
        published,
    )
}


def run_checks(repo: Repo, names: Iterable[str]) -> dict[str, list[Finding]]:
    results: dict[str, list[Finding]] = {}
    for name in names:
        check: Callable[[Repo], Iterable[Finding]] = CHECKS[name].run
        try:
            results[name] = sorted(set(check(repo)))
        except Exception as error:  # one broken file must not hide the other checks
            where = f"src/ketamine_tools/check/{name}.py"
            results[name] = [
                Finding(
                    where,
                    1,
                    f"the {name} check stopped with {type(error).__name__}: {error}. Fix what "
                    "it names, or run `python -m ketamine_tools.check --only "
                    f"{name}` and report the problem with its output.",
                )
            ]
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ketamine_tools.check",
        description="Check the site's Markdown sources and its built site (run `make build` "
        "first). Prints path:line: message for each problem; exits 1 if any is found.",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only these checks (repeat, or comma-separate): " + ", ".join(CHECKS),
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="repository root (default: here)"
    )
    parser.add_argument("--site", type=Path, help="the built site to check (default: ROOT/site)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="date for the review-date check (YYYY-MM-DD; default: today)",
    )
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print problems only: nothing when all pass (the step before a build)",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for value in args.only or [] for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        parser.error(f"unknown check {', '.join(unknown)}; choose from {', '.join(CHECKS)}")
    args.names = names or list(CHECKS)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for name, module in CHECKS.items():
            print(f"{name:13} {module.SUMMARY}")
        return 0
    root = args.root.resolve()
    repo = Repo(root=root, site=(args.site or root / "site").resolve(), today=args.today)
    started = time.perf_counter()
    results = run_checks(repo, args.names)
    missing = [n for n, found in results.items() if any(MISSING in f.message for f in found)]
    if len(missing) > 1:  # one line for a site the build did not write, not one a check
        first = next(f for f in results[missing[0]] if MISSING in f.message)
        results[missing[0]] = [
            Finding(
                first.path,
                first.line,
                f"{MISSING}, so {', '.join(missing)} could not run. Fix what "
                "stopped the build (above), or run `make build` first.",
            )
        ]
        for name in missing[1:]:
            results[name] = [f for f in results[name] if MISSING not in f.message]
    problems = {name: [f for f in found if not f.notice] for name, found in results.items()}
    for found in (problems if args.quiet else results).values():
        for finding in found:
            print(finding)
    total = sum(len(found) for found in problems.values())
    notices = sum(len(found) for found in results.values()) - total
    elapsed = f"{time.perf_counter() - started:.1f} s"
    note = f"; {notices} notice{'s' * (notices != 1)}" if notices else ""
    if total:
        failed = ", ".join(f"{name} {len(found)}" for name, found in problems.items() if found)
        print(
            f"check: {total} problem{'s' * (total != 1)} ({failed}){note}, in {elapsed}. "
            "Each line above names the file and line and says how to fix it."
        )
        return 1
    if args.quiet:
        return 0
    print(f"check: all {len(results)} checks passed ({', '.join(results)}){note}, in {elapsed}.")
    return 0
