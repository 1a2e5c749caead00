"""Ours against stock Material: medians, spreads, ratios, the one table and the verdicts (pure).

The spread of a measurement is its min-max over the runs. A page is "behind" when ours'
median performance score is below the reference's by more than the wider of the two spreads:
a gap the run-to-run noise cannot explain. Within the spread we cannot tell, so we do not fail
(re-run with more runs to tell); beyond it, `make bench` fails however good the absolute score.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ketamine_tools.bench.lhci import Sample


@dataclass(frozen=True)
class Spread:
    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return float(statistics.median(self.values))

    @property
    def width(self) -> float:
        return max(self.values) - min(self.values)

    def show(self, digits: int) -> str:
        lo, hi = min(self.values), max(self.values)
        return f"{self.median:.{digits}f} ({lo:.{digits}f}-{hi:.{digits}f})"


@dataclass(frozen=True)
class Row:
    name: str
    ours: Spread
    stock: Spread
    digits: int = 0
    judged: bool = False  # the behind-the-reference rule applies (a page's performance)
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        return self.ours.median / self.stock.median if self.stock.median else None

    @property
    def behind(self) -> bool:
        gap = self.stock.median - self.ours.median
        if not self.higher_is_better:
            gap = -gap
        return self.judged and gap > max(self.ours.width, self.stock.width)


def spread(values: Iterable[float]) -> Spread:
    found = tuple(values)
    if not found:
        raise ValueError("no measurements")
    return Spread(found)


def lighthouse_rows(ours: Sequence[Sample], stock: Sequence[Sample], gzip: bool) -> list[Row]:
    """Per page and method: performance (judged), Total Blocking Time and total bytes."""
    mode = "gzip" if gzip else "no gzip"
    rows = []
    keys = sorted({(s.page, s.method) for s in ours}, key=lambda k: (k[0] != "/", k))
    for page, method in keys:
        mine = [s for s in ours if (s.page, s.method) == (page, method)]
        theirs = [s for s in stock if (s.page, s.method) == (page, method)]
        if not theirs:
            continue  # a page stock Material does not have: nothing to compare
        where = f"`{page}` {method}, {mode}"
        rows += [
            Row(f"{where}: performance", spread(s.scores["performance"] for s in mine),
                spread(s.scores["performance"] for s in theirs), judged=True,
                higher_is_better=True),
            Row(f"{where}: TBT ms", spread(s.tbt_ms for s in mine),
                spread(s.tbt_ms for s in theirs)),
            Row(f"{where}: total KiB", spread(s.total_kib for s in mine),
                spread(s.total_kib for s in theirs)),
        ]  # fmt: skip
    return rows


def verdict(row: Row) -> str:
    return "**BEHIND**" if row.behind else ""


def table(rows: Iterable[Row]) -> str:
    """The one Markdown table: median (min-max) each side, ours / stock, and the verdict."""
    lines = [
        "| Measure | Ours median (min-max) | Stock median (min-max) | Ours / stock | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = "n/a" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(f"| {row.name} | {row.ours.show(row.digits)} | "
                     f"{row.stock.show(row.digits)} | {ratio} | {verdict(row)} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def behind(rows: Iterable[Row]) -> list[str]:
    return [
        f"{row.name}: ours {row.ours.median:g} vs stock {row.stock.median:g}, a gap wider than "
        f"the spread ({max(row.ours.width, row.stock.width):g})"
        for row in rows
        if row.behind
    ]


def over_budget(rows: dict[str, Row], limits: dict[str, float]) -> list[str]:
    """The build's and the probes' budgets (bench/budgets.toml) against their rows."""
    measured: dict[
        str, tuple[str, Callable[[Row], float | None]]
    ] = {  # limit key -> (row key, the figure it limits)
        "build.max_ratio": ("build", lambda row: row.ratio),
        "serve.max_median_s": ("serve", lambda row: row.ours.median),
        "search.max_median_ms": ("search", lambda row: row.ours.median),
    }
    found = []
    for limit_key, (key, figure) in measured.items():
        if key not in rows:
            continue  # not measured in this run (--only)
        value = figure(rows[key])
        if value is None or value > limits[limit_key]:
            shown = "not measured" if value is None else f"{value:.3g}"
            found.append(f"{rows[key].name}: {shown} is past {limit_key} = {limits[limit_key]:g}")
    return found
