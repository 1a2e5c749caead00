"""Lighthouse 12 (npm, pinned in bench/package-lock.json) on Node with Debian's Chromium."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ketamine_site.bench.procs import CHROMIUM_ARGS, env
from ketamine_site.bench.stats import median

CATEGORIES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best_practices",
    "seo": "seo",
}
METRICS = (
    "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
    "cumulative-layout-shift", "speed-index",
)  # fmt: skip
PRESETS = ("mobile", "desktop")
RUN_TIMEOUT_S = 300.0
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS, "--disable-dev-shm-usage"])


def cli(bench_dir: Path) -> Path:
    return bench_dir / "node_modules" / "lighthouse" / "cli" / "index.js"


def ensure_installed(bench_dir: Path) -> str:
    """`npm ci --prefix bench` when Lighthouse is missing; returns its version."""
    if not cli(bench_dir).is_file():
        done = subprocess.run(
            ["npm", "ci", "--prefix", str(bench_dir), "--no-audit", "--no-fund"],
            env=env(), check=False, timeout=900, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"npm ci --prefix {bench_dir} failed:\n{done.stderr[-1500:]}")
    package = json.loads((bench_dir / "node_modules/lighthouse/package.json").read_text())
    return str(package["version"])


def _command(bench_dir: Path, url: str, preset: str, out: Path) -> list[str]:
    cmd = [
        "node", str(cli(bench_dir)), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    return [*cmd, "--preset=desktop"] if preset == "desktop" else cmd


def _item_text(item: dict[str, Any]) -> str:
    node = item.get("node")
    if isinstance(node, dict):
        return f"{node.get('selector', '')} {node.get('snippet', '')}".strip()
    where = (item.get("sourceLocation") or {}).get("url", "")
    for key in ("description", "url", "label", "source"):
        if isinstance(item.get(key), str):
            return f"{item[key]} {where}".strip()
    return str(where)


def diagnostics(audits: dict[str, Any]) -> dict[str, float | None]:
    """Where the main thread's time goes (weight-0 audits that explain Total Blocking Time)."""

    def items(audit_id: str) -> list[dict[str, Any]]:
        return ((audits.get(audit_id) or {}).get("details") or {}).get("items") or []

    long_tasks = items("long-tasks")
    return {
        "main_thread_ms": (audits.get("mainthread-work-breakdown") or {}).get("numericValue"),
        "script_eval_ms": sum(i.get("scripting", 0) for i in items("bootup-time")),
        "long_tasks": len(long_tasks),
        "long_tasks_ms": sum(i.get("duration", 0) for i in long_tasks),
    }


def failing_audits(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Audits that cost points: weighted, scored, below 1 (with a few offending items)."""
    found = []
    for category_id, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) <= 0 or audit.get("score") is None or audit["score"] >= 1:
                continue
            items = (audit.get("details") or {}).get("items") or []
            found.append({
                "id": ref["id"],
                "category": CATEGORIES.get(category_id, category_id),
                "title": audit["title"],
                "score": audit["score"],
                "display": audit.get("displayValue", ""),
                "items": [text for text in map(_item_text, items[:4]) if text],
            })  # fmt: skip
    return found


def parse(report: dict[str, Any]) -> dict[str, Any]:
    """Scores 0-100, metric values (ms; CLS unitless) and failing audits of one run."""
    scores = {
        name: round(report["categories"][cid]["score"] * 100)
        if report["categories"].get(cid, {}).get("score") is not None
        else None
        for cid, name in CATEGORIES.items()
    }
    metrics = {m: report["audits"].get(m, {}).get("numericValue") for m in METRICS}
    return {
        **scores,
        "metrics": metrics,
        "diagnostics": diagnostics(report["audits"]),
        "failing": failing_audits(report),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
    }


def run_once(bench_dir: Path, url: str, preset: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-lh-") as tmp:
        out = Path(tmp) / "report.json"
        try:
            done = subprocess.run(
                _command(bench_dir, url, preset, out),
                env=env(), capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"error": f"Lighthouse timed out after {RUN_TIMEOUT_S:.0f} s"}
        if done.returncode != 0 or not out.is_file():
            return {"error": (done.stderr or done.stdout).strip()[-1500:]}
        return parse(json.loads(out.read_text(encoding="utf-8")))


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each score and metric over the runs; every audit that failed in any run."""
    ok = [run for run in runs if "error" not in run]
    combined: dict[str, Any] = {
        name: median(run.get(name) for run in ok) for name in CATEGORIES.values()
    }
    combined["metrics"] = {m: median(run["metrics"].get(m) for run in ok) for m in METRICS}
    keys = ("main_thread_ms", "script_eval_ms", "long_tasks", "long_tasks_ms")
    combined["diagnostics"] = {k: median(run["diagnostics"].get(k) for run in ok) for k in keys}
    combined["runs"] = len(runs)
    combined["failed_runs"] = len(runs) - len(ok)
    combined["benchmark_index"] = median(run.get("benchmark_index") for run in ok)
    combined["scores_by_run"] = [
        {name: run.get(name) for name in CATEGORIES.values()} for run in ok
    ]
    audits: dict[str, dict[str, Any]] = {}
    for run in ok:
        for audit in run["failing"]:
            entry = audits.setdefault(audit["id"], {**audit, "failed_in_runs": 0})
            entry["failed_in_runs"] += 1
    combined["failing"] = sorted(audits.values(), key=lambda a: (a["category"], a["id"]))
    errors = [run["error"] for run in runs if "error" in run]
    if errors:
        combined["error"] = errors[0]
    return combined
