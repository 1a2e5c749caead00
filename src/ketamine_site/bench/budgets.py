"""Budgets: read bench/budgets.toml and judge a results dictionary against it (pure).

A budget names a metric by its dotted path in bench/results.json and a `min` or a `max`.
`{page}` in the path stands for each page in the file's `pages` list. A metric that was not
measured fails its budget (a broken run must never look like a pass) unless the budget is
`optional` or its section was skipped on purpose; then it is reported as skipped.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ketamine_site.bench.stats import get_path, is_number

Status = Literal["pass", "fail", "skipped"]


class BudgetError(ValueError):
    """bench/budgets.toml is malformed."""


@dataclass(frozen=True)
class Budget:
    name: str
    metric: str
    limit: float
    op: Literal[">=", "<="]
    unit: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Outcome:
    budget: Budget
    value: float | None
    status: Status
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.budget.name,
            "metric": self.budget.metric,
            "op": self.budget.op,
            "limit": self.budget.limit,
            "unit": self.budget.unit,
            "value": self.value,
            "status": self.status,
            "reason": self.reason,
        }


KEYS = frozenset({"name", "metric", "min", "max", "unit", "optional"})


def _one(entry: object, pages: list[str]) -> list[Budget]:
    if not isinstance(entry, Mapping):
        raise BudgetError(f"budget {entry!r}: each budget is a [[budget]] table")
    name, metric = entry.get("name"), entry.get("metric")
    if not isinstance(name, str) or not isinstance(metric, str):
        raise BudgetError(f"budget {entry!r}: needs a string `name` and `metric`")
    if unknown := sorted(set(entry) - KEYS):
        raise BudgetError(
            f"budget {name!r}: unknown key(s) {', '.join(unknown)}; "
            f"the keys are {', '.join(sorted(KEYS))}"
        )
    ops: dict[str, Literal[">=", "<="]] = {"min": ">=", "max": "<="}
    bounds = [(ops[key], entry[key]) for key in ops if key in entry]
    if len(bounds) != 1 or not is_number(bounds[0][1]) or not math.isfinite(bounds[0][1]):
        raise BudgetError(f"budget {name!r}: needs exactly one numeric `min` or `max`")
    op, limit = bounds[0]
    optional = entry.get("optional", False)
    if not isinstance(optional, bool):
        raise BudgetError(f"budget {name!r}: `optional` is true or false, without quotes")
    if "{page}" in metric and not pages:
        raise BudgetError(
            f"budget {name!r}: its metric has {{page}} but the file has no `pages` list, "
            "so it would judge nothing; add `pages = [...]` at the top"
        )
    unit = str(entry.get("unit", ""))
    targets = [(f"{name} ({p})", metric.replace("{page}", p)) for p in pages]
    if "{page}" not in metric:
        targets = [(name, metric)]
    return [Budget(n, m, float(limit), op, unit, optional) for n, m in targets]


def parse(data: Mapping[str, Any]) -> list[Budget]:
    """Budgets from the parsed TOML (`pages = [...]` and `[[budget]]` tables)."""
    pages = data.get("pages", [])
    entries = data.get("budget")
    if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
        raise BudgetError("`pages` must be a list of page names")
    if not isinstance(entries, list) or not entries:
        raise BudgetError("no [[budget]] tables (write [[budget]], with two brackets)")
    return [budget for entry in entries for budget in _one(entry, pages)]


def load(path: Path) -> list[Budget]:
    """The budgets of `path`; any problem is a BudgetError that names the file."""
    try:
        with path.open("rb") as handle:
            return parse(tomllib.load(handle))
    except OSError as error:
        raise BudgetError(f"{path}: cannot read the budgets file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise BudgetError(f"{path}: not valid TOML: {error}") from error
    except BudgetError as error:
        raise BudgetError(f"{path}: {error}") from error


def judge(budget: Budget, value: object, skipped: bool) -> Outcome:
    """One budget against one measured value (None or a non-number = not measured)."""
    if not is_number(value):
        if skipped or budget.optional:
            return Outcome(budget, None, "skipped", "not measured in this run")
        return Outcome(budget, None, "fail", "not measured (the measurement failed or is missing)")
    number = float(value)  # type: ignore[arg-type]
    ok = number >= budget.limit if budget.op == ">=" else number <= budget.limit
    verdict = "within" if ok else "past"
    reason = f"{number:g} {budget.op} {budget.limit:g} {budget.unit}".strip()
    return Outcome(budget, number, "pass" if ok else "fail", f"{verdict} budget: {reason}")


def evaluate(
    results: Mapping[str, Any], budgets: Iterable[Budget], skipped: Iterable[str] = ()
) -> list[Outcome]:
    """Judge every budget; `skipped` lists path prefixes whose measurements were not run."""
    prefixes = tuple(skipped)
    outcomes = []
    for budget in budgets:
        was_skipped = any(
            budget.metric == prefix or budget.metric.startswith(prefix + ".") for prefix in prefixes
        )
        outcomes.append(judge(budget, get_path(results, budget.metric), was_skipped))
    return outcomes


def failures(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [outcome for outcome in outcomes if outcome.status == "fail"]
