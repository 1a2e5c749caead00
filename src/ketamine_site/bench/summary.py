"""bench/summary.md: the results as short Markdown tables, ours beside the reference (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ketamine_site.bench.stats import get_path, is_number, ratio

PAGES = ("home", "research", "faq")
PRESETS = ("mobile", "desktop")
SCORES = (
    ("performance", "Perf"), ("accessibility", "A11y"),
    ("best_practices", "Best pr."), ("seo", "SEO"),
)  # fmt: skip
MINOR_SCORE = 0.9  # audits scoring this or more are left out of the summary (not of the JSON)
METRICS = (
    ("first-contentful-paint", "FCP", "ms"), ("largest-contentful-paint", "LCP", "ms"),
    ("total-blocking-time", "TBT", "ms"), ("cumulative-layout-shift", "CLS", ""),
    ("speed-index", "SI", "ms"), ("diagnostics.script_eval_ms", "Script eval", "ms"),
    ("diagnostics.main_thread_ms", "Main thread", "ms"),
)  # fmt: skip
HOW = (
    "Reference: the same docs/ and nav with `theme: material` (no custom_dir, extra_css, "
    "features, palette or font settings, no repo link), the default search plugin and the "
    "same Markdown extensions, so every page renders. Built and served in the same run.",
    "Builds run in temporary copies of the project; `mkdocs serve` runs there too (a marker "
    "paragraph is appended to docs/index.md and the open page is polled for it).",
    "Pages are served from 127.0.0.1 by a static server that gzips text (level 6) like a "
    "real host. Page weight: every response until the network is idle in a fresh browser "
    "profile; gzip = the gzip size of each text body, images and fonts as they are.",
    "Search: each query typed at 60 ms a key; time from the last keyup (Material searches "
    "on keyup) to the animation frame after the results panel last changed.",
    "Lighthouse 12 with Debian's Chromium, simulated throttling; its CPU slowdown assumes "
    "an idle desktop, so on a busy machine every performance score drops: compare ratios.",
)
MARK = {"pass": "pass", "fail": "**FAIL**", "skipped": "skipped"}


def fmt(value: object, unit: str = "", digits: int = 2) -> str:
    if not is_number(value):
        return "n/a"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.{digits}f}" if digits else f"{number:,.0f}"
    return f"{text} {unit}".strip()


def fmt_plain(value: object, unit: str = "") -> str:
    """A budget's measured value as it was measured (no padding zeros)."""
    if not is_number(value):
        return "n/a"
    return f"{round(float(value), 2):g} {unit}".strip()  # type: ignore[arg-type]


def fmt_ratio(ours: object, reference: object) -> str:
    found = ratio(ours, reference)
    return "n/a" if found is None else f"{found:.2f}x"


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def compare_row(
    results: Mapping[str, Any], label: str, path: str, unit: str, digits: int
) -> list[str]:
    ours, reference = get_path(results, f"site.{path}"), get_path(results, f"reference.{path}")
    return [
        label,
        fmt(ours, unit, digits),
        fmt(reference, unit, digits),
        fmt_ratio(ours, reference),
    ]


def compare(results: Mapping[str, Any], rows: Iterable[tuple[str, str, str, int]]) -> list[str]:
    header = ("", "Ours", "Reference (stock Material)", "Ratio")
    return table(header, (compare_row(results, *row) for row in rows))


def budgets_section(results: Mapping[str, Any]) -> list[str]:
    outcomes = sorted(results.get("budgets", []), key=lambda o: (o["status"] != "fail", o["name"]))
    failed = sum(o["status"] == "fail" for o in outcomes)
    verdict = f"**{failed} of {len(outcomes)} budgets missed.**" if failed else "All budgets met."
    rows = (
        [o["name"], fmt_plain(o["value"], o["unit"]),
         f"{o['op']} {o['limit']:g} {o['unit']}".strip(), MARK[o["status"]]]
        for o in outcomes
    )  # fmt: skip
    return ["## Budgets (bench/budgets.toml)", "", verdict, "", *table(
        ("Budget", "Measured", "Limit", "Result"), rows)]  # fmt: skip


def builds_section(results: Mapping[str, Any]) -> list[str]:
    runs = get_path(results, "meta.runs") or "?"
    return ["## Build and serve", "", *compare(results, [
        (f"`mkdocs build --strict` (median of {runs})", "build.mkdocs.median_s", "s", 2),
        (f"`zensical build --clean`, cold (median of {runs})", "build.zensical.median_s", "s", 2),
        ("Pages built (mkdocs)", "build.mkdocs.pages", "", 0),
        ("Pages built (zensical)", "build.zensical.pages", "", 0),
        (f"`mkdocs serve` saved edit → visible (median of {runs})", "serve.median_s", "s", 2),
    ])]  # fmt: skip


def weight_section(results: Mapping[str, Any]) -> list[str]:
    rows: list[tuple[str, str, str, int]] = []
    for page in PAGES:
        rows += [
            (f"{page}: transferred, gzip", f"weight.{page}.gzip_kb", "KB", 1),
            (f"{page}: transferred, raw", f"weight.{page}.raw_kb", "KB", 1),
            (f"{page}: requests", f"weight.{page}.requests", "", 0),
            (f"{page}: of which to other hosts", f"weight.{page}.other_hosts", "", 0),
        ]  # fmt: skip
    rows += [
        ("search/search_index.json, raw", "search_index.raw_kb", "KB", 1),
        ("search/search_index.json, gzip", "search_index.gzip_kb", "KB", 1),
    ]
    return ["## Page weight (first visit, until the network is idle; KB = 1,024 bytes)", "",
            *compare(results, rows)]  # fmt: skip


def search_section(results: Mapping[str, Any]) -> list[str]:
    source = get_path(results, "meta.query_source") or "?"
    return [f"## Search (queries: {source})", "", *compare(results, [
        ("Last keystroke → results drawn, median", "search.median_ms", "ms", 1),
        ("Last keystroke → results in the DOM, median", "search.median_dom_ms", "ms", 1),
        ("Slowest query", "search.max_ms", "ms", 1),
        ("Queries with no redraw observed", "search.not_drawn", "", 0),
        ("Queries whose expected page is in the top 3", "search.found_top3", "", 0),
        ("Queries whose expected page is first", "search.found_first", "", 0),
        ("Queries with an expected page", "search.with_expected_page", "", 0),
    ])]  # fmt: skip


def score_cell(results: Mapping[str, Any], path: str) -> str:
    ours, reference = get_path(results, f"site.{path}"), get_path(results, f"reference.{path}")
    return f"{fmt(ours, digits=0)} / {fmt(reference, digits=0)} ({fmt_ratio(ours, reference)})"


def group_failing(results: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Our failing Lighthouse audits by id: the worst instance and where each failed."""
    grouped: dict[str, dict[str, Any]] = {}
    for preset in PRESETS:
        for page in PAGES:
            for audit in get_path(results, f"site.lighthouse.{preset}.{page}.failing") or []:
                entry = grouped.setdefault(audit["id"], {"worst": audit, "where": []})
                entry["where"].append(f"{preset} {page}")
                if audit["score"] < entry["worst"]["score"]:
                    entry["worst"] = audit
    return grouped


def failing_lines(results: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for audit_id, entry in sorted(group_failing(results).items()):
        worst = entry["worst"]
        if worst["score"] >= MINOR_SCORE:
            continue
        shown = f", {worst['display']}" if worst.get("display") else ""
        example = "; ".join(f"`{item[:100]}`" for item in worst.get("items", [])[:2])
        lines.append(
            f"- `{audit_id}` ({worst['category']}): {worst['title']} Worst score "
            f"{worst['score']:g}{shown}; on {', '.join(entry['where'])}."
            + (f" Example: {example}" if example else "")
        )
    return lines or ["- none"]


def metric_rows(results: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for preset in PRESETS:
        for page in PAGES:
            cells = []
            for key, _, unit in METRICS:
                group = "" if key.startswith("diagnostics.") else "metrics."
                path = f"lighthouse.{preset}.{page}.{group}{key}"
                ours, ref = (
                    get_path(results, f"site.{path}"),
                    get_path(results, f"reference.{path}"),
                )
                digits = 3 if not unit else 0
                cells.append(f"{fmt(ours, unit, digits)} / {fmt(ref, unit, digits)}")
            rows.append([page, preset, *cells])
    return rows


def lighthouse_section(results: Mapping[str, Any]) -> list[str]:
    runs = get_path(results, "meta.lighthouse_runs") or "?"
    rows = (
        [page, preset, *(score_cell(results, f"lighthouse.{preset}.{page}.{k}") for k, _ in SCORES)]
        for preset in PRESETS
        for page in PAGES
    )  # fmt: skip
    return [
        f"## Lighthouse {get_path(results, 'meta.versions.lighthouse') or ''} "
        f"(median of {runs}; ours / reference (ratio))", "",
        *table(("Page", "Preset", *(label for _, label in SCORES)), rows),
        "Metrics (median; ours / reference):", "",
        *table(("Page", "Preset", *(label for _, label, _ in METRICS)), metric_rows(results)),
        f"Audits that cost our site points (scoring below {MINOR_SCORE:g}; every audit is in "
        "results.json):", "", *failing_lines(results), "",
    ]  # fmt: skip


def make_section(results: Mapping[str, Any]) -> list[str]:
    rows = []
    for target in ("check", "test"):
        entry = get_path(results, f"make.{target}")
        if isinstance(entry, Mapping):
            status = "ok" if entry.get("exit_code") == 0 else f"exit {entry.get('exit_code')}"
            rows.append([f"`make {target}`", fmt(entry.get("seconds"), "s", 1), status])
        else:
            rows.append([f"`make {target}`", "not run (BENCH_SLOW=1 or --with-make)", ""])
    return ["## Contributor commands (no reference: stock Material has no test suite)", "",
            *table(("Command", "Wall time", "Result"), rows)]  # fmt: skip


def header(results: Mapping[str, Any]) -> list[str]:
    meta = results.get("meta", {})
    return [
        "# Benchmark summary", "",
        f"{meta.get('date', '?')} · commit {meta.get('commit', '?')} · "
        f"{meta.get('cpus', '?')} CPUs, load average {meta.get('load_start', '?')} at start, "
        f"{meta.get('load_end', '?')} at the end.", "",
        "Absolute times depend on the machine and on what else runs on it; the reference "
        "(the same docs/ with stock Material) is measured in the same run, interleaved, so "
        "the ratios (ours ÷ reference; below 1 is better for times and sizes, above 1 for "
        "scores) are the steadier figures.", "",
    ]  # fmt: skip


def render(results: Mapping[str, Any]) -> str:
    sections = [
        header, budgets_section, builds_section, weight_section, search_section,
        lighthouse_section, make_section,
    ]  # fmt: skip
    lines = [line for section in sections for line in section(results)]
    notes = [*HOW, *(get_path(results, "meta.notes") or [])]
    lines += ["## How it was measured", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines).rstrip() + "\n"
