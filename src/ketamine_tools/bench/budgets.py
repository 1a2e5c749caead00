"""bench/budgets.toml: the limits for what Lighthouse CI does not judge (pure).

Lighthouse's own budgets (scores and bytes per page) live in bench/lighthouserc.json, in
lhci's format, and `lhci assert` judges them. This file holds the rest: the build time
against stock Material, `mkdocs serve` and search. Every key is known; a typo, a quoted
number or bad TOML stops the benchmark before any work, with the file named.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

# table -> key -> what it limits (the message for a missing key says this)
KNOWN = {
    "build": {"max_ratio": "ours / stock `mkdocs build` median wall time"},
    "serve": {"max_median_s": "save -> visible in `mkdocs serve`, median, seconds"},
    "search": {"max_median_ms": "last keystroke -> results drawn, median, milliseconds"},
}


class BudgetError(ValueError):
    """bench/budgets.toml is malformed."""


def parse(data: dict[str, Any]) -> dict[str, float]:
    """{"build.max_ratio": 2.0, ...} from the parsed TOML; every known key is required, so a
    deleted line cannot switch a budget off unnoticed."""
    limits: dict[str, float] = {}
    if unknown := sorted(set(data) - set(KNOWN)):
        raise BudgetError(f"unknown table(s) {', '.join(unknown)}; the tables are "
                          f"{', '.join(KNOWN)}")  # fmt: skip
    for table, keys in KNOWN.items():
        entry = data.get(table)
        if not isinstance(entry, dict):
            raise BudgetError(f"missing [{table}] table")
        if unknown := sorted(set(entry) - set(keys)):
            raise BudgetError(f"[{table}]: unknown key(s) {', '.join(unknown)}; "
                              f"the keys are {', '.join(keys)}")  # fmt: skip
        for key, meaning in keys.items():
            value = entry.get(key)
            # bool is an int in Python; `max_ratio = true` is a mistake, not a limit of 1
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise BudgetError(f"[{table}] {key} ({meaning}) must be a number, unquoted")
            if not math.isfinite(value) or value <= 0:
                raise BudgetError(f"[{table}] {key} must be a positive number")
            limits[f"{table}.{key}"] = float(value)
    return limits


def load(path: Path) -> dict[str, float]:
    """The limits of `path`; any problem is one BudgetError that names the file."""
    try:
        with path.open("rb") as handle:
            return parse(tomllib.load(handle))
    except OSError as error:
        raise BudgetError(f"{path}: cannot read the budgets file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise BudgetError(f"{path}: not valid TOML: {error}") from error
    except BudgetError as error:
        raise BudgetError(f"{path}: {error}") from error
