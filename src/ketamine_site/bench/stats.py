"""Pure helpers: medians, ratios and paths into the nested results dictionary."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Number = int | float


def is_number(value: object) -> bool:
    """True for int and float, not for bool (a bool in the results is never a measurement)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def median(values: Iterable[Number | None]) -> float | None:
    """Median of the measured values; None when nothing was measured."""
    measured = [float(v) for v in values if v is not None]
    if not measured:
        return None
    return float(statistics.median(measured))


def ratio(ours: object, reference: object) -> float | None:
    """ours / reference, or None when either is missing or the reference is zero."""
    if not (is_number(ours) and is_number(reference)) or reference == 0:
        return None
    return float(ours) / float(reference)  # type: ignore[arg-type]


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """`a.b.c` -> data["a"]["b"]["c"], or None when any step is missing."""
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def iter_numbers(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Number]]:
    """Every numeric leaf of a nested dict as (dotted path, value); lists are skipped."""
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            yield from iter_numbers(value, path)
        elif is_number(value):
            yield path, value


def ratios(
    ours: Mapping[str, Any], reference: Mapping[str, Any], ignore: Iterable[str] = ()
) -> dict[str, float]:
    """ours / reference for every numeric leaf both have (dotted path -> ratio), except
    leaves whose last key is in `ignore` (counts of failures and the like)."""
    skip = set(ignore)
    out: dict[str, float] = {}
    for path, value in iter_numbers(ours):
        if path.rsplit(".", 1)[-1] in skip:
            continue
        found = ratio(value, get_path(reference, path))
        if found is not None:
            out[path] = found
    return out
