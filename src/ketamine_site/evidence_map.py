"""Python-Markdown extension: the evidence map of every study on how long relief lasts.

A line holding only `[evidence-map]` becomes a figure drawn from a YAML data file
(includes/evidence/duration-studies.yml): a log-scale time axis from the start of the count
to 10 years, one row per study grouped by route, a bar for how long a benefit was seen, a
line for how long people were followed, ending in a shape for the kind of study. Under it
comes a table made from the same data, with the same numbers, as the text alternative.

Why a Markdown extension: Zensical runs Python-Markdown extensions but no MkDocs plugins, so
both engines draw the same map. Why inline SVG: no JavaScript, and the site's Content
Security Policy forbids `style=` attributes, so positions are SVG geometry and every colour
is a class styled in docs/stylesheets/site.css, "evidence-map" section (light, dark and print).

The table is Markdown with `[@key]` citations, so the citations extension (which runs next)
numbers them and lists them in the page's sources; each row of the picture links there.
Bad data stops the build with `file:line: what is wrong. How to fix it.` for every problem.
"""

from __future__ import annotations

import html
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ketamine_site import bibliography
from ketamine_site.citations import CitationError

log = logging.getLogger("mkdocs.plugins.ketamine_site.evidence_map")

MARKER_RE = re.compile(r"^\s*\[evidence-map\]\s*$")

ROUTES: dict[str, str] = {
    "iv": "Ketamine into a vein (IV)",
    "nasal": "Esketamine nasal spray (Spravato)",
    "oral": "Ketamine by mouth",
    "subcutaneous": "Ketamine injected under the skin",
}
# Kind of study -> (short words in the picture, shape of its follow-up marker). The shape and
# the words carry the kind, so colour is never the only cue.
DESIGNS: dict[str, tuple[str, str]] = {
    "systematic-review": ("Pooled review", "diamond"),
    "rct": ("Randomised trial", "circle"),
    "secondary-analysis": ("Later analysis", "triangle"),
    "open-label": ("Open-label", "square"),
    "real-world": ("Clinic records", "cross"),
    "case-report": ("Case report", "ring"),
}
REQUIRED = (
    "name",
    "year",
    "key",
    "design",
    "route",
    "people",
    "schedule",
    "timed_from",
    "follow_up",
    "benefit",
    "findings",
)
OPTIONAL = ("people_note", "also_cite")

HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.5, "year": 8766.0}
PART_RE = re.compile(r"^(\d+(?:\.\d+)?)\s+(minute|hour|day|week|month|year)s?$")
DURATION_HELP = (
    'Write a time as a number and a unit ("40 minutes", "7 days", "12 weeks", "6 months", '
    '"1 year"), or a sum ("3 weeks + 6 months").'
)
BENEFIT_HELP = (
    'Write benefit as "40 minutes to 7 days", "up to 8 weeks" (from the start of the count), '
    '"28 days" (one time point), "none" (no clear benefit over the comparison) or "not reported".'
)

# The drawing's coordinate system (SVG user units; the figure scales to the page width).


@dataclass(frozen=True)
class Layout:
    """One way to draw the map. Wide: the study's name left of its row. Narrow (phones): the
    name above its row, so the time axis gets the whole width and nothing scrolls."""

    name: str
    width: int
    plot_x0: int
    plot_x1: int
    row_h: int
    stacked: bool
    axis_class: str  # the class of its time labels (smaller on a phone)
    axis_h: int  # room above the rows for the time labels (two lines of them on a phone)


LABEL_X = 8
GROUP_H = 30
BOTTOM = 8
WIDE = Layout("wide", 760, 200, 744, 40, False, "em-axis", 34)
NARROW = Layout("narrow", 360, 12, 344, 50, True, "em-axis em-axis--narrow", 46)
# The left edge stands for "the start of the count" (a log scale has no zero); the first
# labelled time is 1 hour. Rows whose benefit runs "up to" a time start their bar there.
T_MIN = 1 / 6  # hours: 10 minutes
T_MAX = 87660.0  # hours: 10 years
TICKS = (
    (1.0, "1 hour"),
    (24.0, "1 day"),
    (168.0, "1 week"),
    (730.5, "1 month"),
    (8766.0, "1 year"),
    (43830.0, "5 years"),
)
# Unlabelled grid lines, to read months between "1 month" and "1 year".
MINOR_TICKS = (2191.5, 4383.0)
POINT_BAR = 14.0
# About how many characters fit on one line of the phone drawing (name, kind and people).
NARROW_CHARS = 44  # width of the bar for a benefit seen at one time point


class EvidenceMapError(CitationError):
    """The evidence map's data file has a problem (each reported as file:line)."""


@dataclass(frozen=True)
class Duration:
    text: str
    hours: float


@dataclass(frozen=True)
class Result:
    at: Duration
    text: str


@dataclass
class Study:
    line: int
    name: str
    year: int
    key: str
    design: str
    route: str
    people: int
    schedule: str
    timed_from: str
    follow_up: Duration
    benefit: str  # "range", "none" or "not reported"
    benefit_from: Duration | None
    benefit_to: Duration | None
    benefit_text: str
    findings: list[Result]
    people_note: str = ""
    also_cite: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def keys(self) -> list[str]:
        return [self.key, *self.also_cite]


@dataclass
class Data:
    studies: list[Study]
    not_drawn: dict[str, str]


def parse_duration(text: str) -> Duration | None:
    parts = [p.strip() for p in text.split("+")]
    hours = 0.0
    for part in parts:
        match = PART_RE.match(part)
        if not match:
            return None
        hours += float(match.group(1)) * HOURS[match.group(2)]
    return Duration(text.strip(), hours) if hours > 0 else None


def parse_benefit(text: str) -> tuple[str, Duration | None, Duration | None] | None:
    """("range", from, to), ("none", None, None) or ("not reported", None, None)."""
    value = " ".join(text.split()).lower()
    if value in ("none", "not reported"):
        return value, None, None
    if value.startswith("up to "):
        end = parse_duration(text.strip()[6:])
        return ("range", None, end) if end else None
    if " to " in text:
        start_text, end_text = text.split(" to ", 1)
        start, end = parse_duration(start_text), parse_duration(end_text)
        return ("range", start, end) if start and end else None
    point = parse_duration(text)
    return ("range", point, point) if point else None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    return None


class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.messages: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.messages.append(f"{self.path}:{line}: {message}")


def load(path: str | Path, bib_keys: set[str] | None = None) -> Data:
    """Read and check the data file; raise EvidenceMapError naming every bad line."""
    where = Path(path).as_posix()
    problems = _Problems(where)
    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except FileNotFoundError:
        raise EvidenceMapError(
            f"{where}:1: the evidence map's data file is missing. Create it, or fix the "
            "`datafile` of ketamine_site.evidence_map in mkdocs.yml."
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise EvidenceMapError(
            f"{where}:{line}: this is not valid YAML ({getattr(error, 'problem', error)}). "
            "Check the indentation and that each `- name:` entry lines up with the others."
        ) from None
    studies_node: yaml.Node | None = None
    not_drawn_node: yaml.Node | None = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if _scalar(key_node) == "studies":
                studies_node = value_node
            elif _scalar(key_node) == "not_drawn":
                not_drawn_node = value_node
    if not isinstance(studies_node, yaml.SequenceNode):
        line = _line(root) if root is not None else 1
        problems.add(
            line,
            "there is no `studies:` list. Start the file with `studies:` and "
            "one `- name: ...` entry per study.",
        )
        raise EvidenceMapError("\n".join(problems.messages))
    studies = [
        study
        for node in studies_node.value
        if (study := _study(node, problems, bib_keys)) is not None
    ]
    not_drawn: dict[str, str] = {}
    if isinstance(not_drawn_node, yaml.MappingNode):
        for key_node, value_node in not_drawn_node.value:
            key, reason = _scalar(key_node) or "", _scalar(value_node) or ""
            if bib_keys is not None and key not in bib_keys:
                problems.add(
                    _line(key_node),
                    f"not_drawn names {key!r}, which is not a key in the bibliography. Fix "
                    "the spelling, or remove the line.",
                )
            if not reason:
                problems.add(_line(key_node), f"not_drawn: say why {key!r} is not drawn.")
            if any(key in study.keys for study in studies):
                problems.add(
                    _line(key_node),
                    f"{key!r} is drawn above and listed in not_drawn. Keep one of the two.",
                )
            not_drawn[key] = reason
    if problems.messages:
        raise EvidenceMapError("\n".join(problems.messages))
    return Data(studies, not_drawn)


def _study(node: yaml.Node, problems: _Problems, bib_keys: set[str] | None) -> Study | None:
    if not isinstance(node, yaml.MappingNode):
        problems.add(_line(node), "each study must be a set of fields (`- name: ...`).")
        return None
    start = len(problems.messages)
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        name = _scalar(key_node) or ""
        if name not in REQUIRED and name not in OPTIONAL:
            problems.add(
                _line(key_node),
                f"unknown field {name!r}. Use only: {', '.join(REQUIRED + OPTIONAL)}.",
            )
        fields[name] = value_node
    title = _scalar(fields["name"]) if "name" in fields else None
    label = f"study {title!r}" if title else "this study"
    for name in REQUIRED:
        if name not in fields:
            problems.add(
                _line(node),
                f"{label} has no `{name}`. Add `{name}: ...` (see the field list at the top "
                "of the file).",
            )
    if len(problems.messages) > start:
        return None

    def text(name: str) -> str:
        value = _scalar(fields[name])
        if not value:
            problems.add(_line(fields[name]), f"{label}: `{name}` must be some words.")
            return ""
        return value

    def duration(name: str, value_node: yaml.Node) -> Duration:
        value = _scalar(value_node) or ""
        parsed = parse_duration(value)
        if parsed is None:
            problems.add(
                _line(value_node), f"{label}: {name} {value!r} is not a time. " + DURATION_HELP
            )
            return Duration(value, 1.0)
        return parsed

    design = text("design")
    if design and design not in DESIGNS:
        problems.add(
            _line(fields["design"]),
            f"{label}: unknown design {design!r}. Use one of: {', '.join(DESIGNS)} (the "
            "kinds of studies in docs/references.bib).",
        )
    route = text("route")
    if route and route not in ROUTES:
        problems.add(
            _line(fields["route"]),
            f"{label}: unknown route {route!r}. Use one of: {', '.join(ROUTES)}.",
        )
    year_text = text("year")
    year = int(year_text) if re.fullmatch(r"(19|20)\d\d", year_text) else 0
    if year_text and not year:
        problems.add(
            _line(fields["year"]), f"{label}: year {year_text!r} must be a year, e.g. 2019."
        )
    people_text = text("people")
    people = int(people_text) if re.fullmatch(r"[1-9]\d{0,6}", people_text) else 0
    if people_text and not people:
        problems.add(
            _line(fields["people"]),
            f"{label}: people {people_text!r} must be a whole number (digits only); say who "
            "they were in people_note.",
        )
    key = text("key")
    also: list[str] = []
    also_node = fields.get("also_cite")
    if isinstance(also_node, yaml.SequenceNode):
        also = [_scalar(item) or "" for item in also_node.value]
    elif also_node is not None:
        problems.add(_line(also_node), f"{label}: also_cite must be a list: [key1, key2].")
    for cite in [key, *also]:
        if cite and bib_keys is not None and cite not in bib_keys:
            node_for = fields["key"] if cite == key else also_node
            problems.add(
                _line(node_for) if node_for is not None else _line(node),
                f"{label}: citation key {cite!r} is not in the bibliography. Fix the spelling "
                "(keys are case sensitive), or add the entry to docs/references.bib first.",
            )
    follow_up = duration("follow_up", fields["follow_up"])
    benefit_value = _scalar(fields["benefit"]) or ""
    benefit = parse_benefit(benefit_value)
    if benefit is None:
        problems.add(
            _line(fields["benefit"]),
            f"{label}: benefit {benefit_value!r} is not understood. " + BENEFIT_HELP,
        )
        benefit = ("none", None, None)
    kind, benefit_from, benefit_to = benefit
    if benefit_to is not None and benefit_to.hours > follow_up.hours + 1e-9:
        problems.add(
            _line(fields["follow_up"]),
            f"{label}: the follow-up ({follow_up.text}) is shorter than the benefit "
            f"({benefit_to.text}). A benefit can only be seen while people are followed: fix "
            "one of the two.",
        )
    if (
        benefit_from is not None
        and benefit_to is not None
        and benefit_from.hours > benefit_to.hours
    ):
        problems.add(_line(fields["benefit"]), f"{label}: the benefit ends before it starts.")
    findings: list[Result] = []
    findings_node = fields["findings"]
    if not isinstance(findings_node, yaml.SequenceNode) or not findings_node.value:
        problems.add(
            _line(findings_node),
            f"{label}: findings must be a list of `- at: <time>` / `result: <words>` items.",
        )
    else:
        for item in findings_node.value:
            parts = (
                {(_scalar(k) or ""): v for k, v in item.value}
                if isinstance(item, yaml.MappingNode)
                else {}
            )
            if "at" not in parts or "result" not in parts or not _scalar(parts["result"]):
                problems.add(_line(item), f"{label}: each finding needs `at:` and `result:`.")
                continue
            at = duration("finding at", parts["at"])
            if at.hours > follow_up.hours + 1e-9:
                problems.add(
                    _line(parts["at"]),
                    f"{label}: a finding at {at.text} is after the end of follow-up "
                    f"({follow_up.text}). Fix the time, or the follow-up.",
                )
            findings.append(Result(at, _scalar(parts["result"]) or ""))
    if len(problems.messages) > start:
        return None
    return Study(
        line=_line(node),
        name=text("name"),
        year=year,
        key=key,
        design=design,
        route=route,
        people=people,
        schedule=text("schedule"),
        timed_from=text("timed_from"),
        follow_up=follow_up,
        benefit=kind,
        benefit_from=benefit_from,
        benefit_to=benefit_to,
        benefit_text=benefit_value,
        findings=findings,
        people_note=_scalar(fields["people_note"]) or "" if "people_note" in fields else "",
        also_cite=also,
    )


# --- words shared by the picture and the table ------------------------------------------


def people_words(study: Study) -> str:
    return f"{study.people:,} {'person' if study.people == 1 else 'people'}"


def benefit_words(study: Study) -> str:
    if study.benefit == "none":
        return "No clear benefit"
    if study.benefit == "not reported":
        return "Not reported"
    assert study.benefit_to is not None
    if study.benefit_from is None:
        return f"Up to {study.benefit_to.text}"
    if study.benefit_from == study.benefit_to:
        return f"At {study.benefit_to.text}"
    return f"{study.benefit_from.text} to {study.benefit_to.text}"


def grouped(studies: list[Study]) -> Iterator[tuple[str, list[Study]]]:
    for route, heading in ROUTES.items():
        rows = [s for s in studies if s.route == route]
        if rows:
            yield heading, rows


# --- the picture -------------------------------------------------------------------------


def x_of(hours: float, layout: Layout = WIDE) -> float:
    span = math.log10(T_MAX) - math.log10(T_MIN)
    clamped = min(max(hours, T_MIN), T_MAX)
    fraction = (math.log10(clamped) - math.log10(T_MIN)) / span
    return round(layout.plot_x0 + fraction * (layout.plot_x1 - layout.plot_x0), 1)


def _n(value: float) -> str:
    """A coordinate as short text: one decimal place, no trailing ".0"."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def shape(kind: str, x0: float, y0: float, r: float, css: str) -> str:
    """The follow-up marker for one kind of study, centred on (x0, y0)."""
    x, y = _n(x0), _n(y0)

    def px(dx: float, dy: float) -> str:
        return f"{_n(x0 + dx)},{_n(y0 + dy)}"

    if kind == "circle":
        return f'<circle class="{css}" cx="{x}" cy="{y}" r="{_n(r)}"/>'
    if kind == "ring":
        return f'<circle class="{css} em-mark--hollow" cx="{x}" cy="{y}" r="{_n(r)}"/>'
    if kind == "square":
        return (
            f'<rect class="{css}" x="{_n(x0 - r)}" y="{_n(y0 - r)}" width="{_n(2 * r)}" '
            f'height="{_n(2 * r)}"/>'
        )
    if kind == "diamond":
        d = r * 1.3
        return f'<polygon class="{css}" points="{px(0, -d)} {px(d, 0)} {px(0, d)} {px(-d, 0)}"/>'
    if kind == "triangle":
        d = r * 1.25
        return f'<polygon class="{css}" points="{px(0, -d)} {px(d, d * 0.8)} {px(-d, d * 0.8)}"/>'
    # cross
    return (
        f'<path class="{css} em-mark--cross" d="M{px(-r, -r)}L{px(r, r)}M{px(-r, r)}L{px(r, -r)}"/>'
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def row_svg(study: Study, y: float, layout: Layout = WIDE) -> str:
    label, mark = DESIGNS[study.design]
    mid = y + (32 if layout.stacked else 24)

    def x(hours: float) -> float:
        return x_of(hours, layout)

    follow_x = x(study.follow_up.hours)
    starts = [r.at.hours for r in study.findings]
    if study.benefit_from is not None:
        starts.append(study.benefit_from.hours)
    open_start = study.benefit == "range" and study.benefit_from is None
    track_x0 = layout.plot_x0 if open_start or not starts else x(min(starts))
    meta = f"{_e(label)} · {_e(people_words(study))}"
    parts = [
        # The link's name is its text (name, kind, people); the table has the rest.
        f'<a class="em-row" href="#fn:{_e(study.key)}">',
        f'<rect class="em-row__hit" x="0" y="{y + 1}" width="{layout.width}" '
        f'height="{layout.row_h - 2}" rx="4"/>',
    ]
    if layout.stacked:
        if len(study.title) + len(label) + len(people_words(study)) > NARROW_CHARS:
            # Too long for one line on a phone: the marker's shape still gives the kind.
            meta = _e(people_words(study))
        parts.append(
            f'<text x="{LABEL_X}" y="{y + 16}"><tspan class="em-row__name">'
            f'{_e(study.title)}</tspan><tspan class="em-row__meta"> · {meta}</tspan></text>'
        )
    else:
        parts += [
            f'<text class="em-row__name" x="{LABEL_X}" y="{y + 19}">{_e(study.title)}</text>',
            f'<text class="em-row__meta" x="{LABEL_X}" y="{y + 35}">{meta}</text>',
        ]
    parts.append(f'<line class="em-track" x1="{track_x0}" y1="{mid}" x2="{follow_x}" y2="{mid}"/>')
    if study.benefit == "range" and study.benefit_to is not None:
        bx1 = x(study.benefit_to.hours)
        bx0 = float(layout.plot_x0) if study.benefit_from is None else x(study.benefit_from.hours)
        if bx1 - bx0 < POINT_BAR:
            # A benefit at one time point: a short bar ending there, so the follow-up marker
            # on the same spot does not hide it.
            bx0 = bx1 - POINT_BAR
        parts.append(
            f'<rect class="em-bar em-bar--{study.design}" x="{_n(bx0)}" y="{mid - 6}" '
            f'width="{_n(bx1 - bx0)}" height="12" rx="3"/>'
        )
    for result in study.findings:
        parts.append(f'<circle class="em-point" cx="{x(result.at.hours)}" cy="{mid + 11}" r="2"/>')
    parts.append(shape(mark, follow_x, mid, 6.5, f"em-mark em-mark--{study.design}"))
    if study.benefit != "range":
        words = benefit_words(study)
        if follow_x < layout.plot_x1 - 110:
            parts.append(
                f'<text class="em-row__none" x="{follow_x + 12}" y="{mid + 4}">{_e(words)}</text>'
            )
        else:
            parts.append(
                f'<text class="em-row__none" x="{follow_x - 12}" y="{mid + 4}" '
                f'text-anchor="end">{_e(words)}</text>'
            )
    parts.append("</a>")
    return "".join(parts)


def svg(studies: list[Study], layout: Layout = WIDE) -> str:
    groups = list(grouped(studies))
    height = layout.axis_h + sum(GROUP_H + layout.row_h * len(rows) for _, rows in groups) + BOTTOM
    bottom = height - BOTTOM
    out = [
        f'<svg class="evidence-map__svg evidence-map__svg--{layout.name}" '
        f'viewBox="0 0 {layout.width} {height}" role="group" '
        'aria-label="Evidence map: one row per study, grouped by how the medicine was given">',
        f'<text class="{layout.axis_class}" x="{layout.plot_x0}" '
        f'y="{layout.axis_h - (26 if layout.stacked else 12)}">Start</text>'
        f'<line class="em-grid em-grid--start" x1="{layout.plot_x0}" y1="{layout.axis_h - 6}" '
        f'x2="{layout.plot_x0}" y2="{bottom}"/>',
    ]
    for hours in MINOR_TICKS:
        x = x_of(hours, layout)
        out.append(
            f'<line class="em-grid em-grid--minor" x1="{x}" y1="{layout.axis_h}" x2="{x}" '
            f'y2="{bottom}"/>'
        )
    for index, (hours, label) in enumerate(TICKS):
        x = x_of(hours, layout)
        # On a phone the labels take turns on two lines, so neighbours never touch.
        text_y = layout.axis_h - 12 - (14 if layout.stacked and index % 2 else 0)
        out.append(
            f'<line class="em-grid" x1="{x}" y1="{layout.axis_h - 6}" x2="{x}" y2="{bottom}"/>'
            f'<text class="{layout.axis_class}" x="{x}" y="{text_y}" text-anchor="middle">'
            f"{label}</text>"
        )
    y = float(layout.axis_h)
    for heading, rows in groups:
        out.append(
            f'<text class="em-group" x="{LABEL_X}" y="{y + 21}">{_e(heading)}</text>'
            f'<line class="em-group__rule" x1="{LABEL_X}" y1="{y + GROUP_H - 2}" '
            f'x2="{layout.plot_x1}" y2="{y + GROUP_H - 2}"/>'
        )
        y += GROUP_H
        for study in rows:
            out.append(row_svg(study, y, layout))
            y += layout.row_h
    out.append("</svg>")
    return "".join(out)


def legend(studies: list[Study]) -> str:
    def key(drawing: str, words: str) -> str:
        return (
            '<li><svg class="em-key" viewBox="0 0 28 16" aria-hidden="true" focusable="false">'
            f"{drawing}</svg>{words}</li>"
        )

    items = [
        key(
            '<rect class="em-bar em-bar--key" x="1" y="3" width="26" height="10" rx="3"/>',
            "Bar: benefit seen",
        ),
        key('<line class="em-track" x1="1" y1="8" x2="27" y2="8"/>', "Line: time followed"),
        key('<circle class="em-point" cx="14" cy="8" r="2.5"/>', "Dot: a result"),
        '<li class="evidence-map__legend-note">Shape at the end of each line:</li>',
    ]
    for design in (d for d in DESIGNS if any(s.design == d for s in studies)):
        label, mark = DESIGNS[design]
        items.append(key(shape(mark, 14, 8, 5.5, f"em-mark em-mark--{design}"), _e(label)))
    return '<ul class="evidence-map__legend">' + "".join(items) + "</ul>"


def figure(studies: list[Study]) -> str:
    return (
        '<figure class="evidence-map" id="evidence-map">'
        "<figcaption>Every study on this page about how long relief lasts. Time runs on a log "
        "scale, from the start of the count (each row says what that is) to 10 years. Each "
        "row links to its source; the table below gives the same numbers.</figcaption>"
        + legend(studies)
        + '<div class="evidence-map__scroll" role="region" tabindex="0" '
        'aria-label="Evidence map of the studies">'
        # Both drawings are in the page; the stylesheet shows one (display: none hides the other
        # from screen readers and the keyboard too). Print uses the wide one.
         + svg(studies, WIDE) + svg(studies, NARROW) + "</div></figure>"
    )


# --- the table ---------------------------------------------------------------------------

# Characters that Markdown, the tables extension, attribute lists or the citations extension
# would read as syntax: written as character references, so a data value is always text.
_MARKDOWN_CHARS = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|^~"}


def md_text(value: str) -> str:
    escaped = html.escape(" ".join(value.split()), quote=False)
    return "".join(_MARKDOWN_CHARS.get(c, c) for c in escaped)


def is_maker_funded(entry: Any) -> bool:
    return str(entry.fields.get("funding", "")).strip() == "maker"


def sentence_case(text: str) -> str:
    """'Relief began' -> 'relief began' after a colon; 'ECT did' stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def table(studies: list[Study], bib: bibliography.Bibliography | None) -> list[str]:
    lines = [
        "| Study | Kind of study | People | What they had | Benefit seen | Followed for | "
        "What was found |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for heading, rows in grouped(studies):
        lines.append(f"| **{md_text(heading)}** | | | | | | |")
        for study in rows:
            kind = bibliography.KINDS.get(study.design, study.design)
            if bib is not None and study.key in bib and is_maker_funded(bib.entry(study.key)):
                kind += " · funded by the maker"
            people = people_words(study) + (f" ({study.people_note})" if study.people_note else "")
            found = "<br>".join(
                md_text(f"At {r.at.text}: {sentence_case(r.text)}") for r in study.findings
            )
            # One bracket: "[@a][@b]" would read as a Markdown link, not two citations.
            cites = "[" + "; ".join(f"@{key}" for key in study.keys) + "]"
            lines.append(
                f"| {md_text(study.title)} {cites} | {md_text(kind)} | {md_text(people)} | "
                f"{md_text(study.schedule)} | {md_text(benefit_words(study))} | "
                f"{md_text(study.follow_up.text)}, from {md_text(study.timed_from)} | {found} |"
            )
    return lines


# --- the extension ------------------------------------------------------------------------


class EvidenceMapPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: EvidenceMapExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        if not any(MARKER_RE.match(line) for line in lines):
            return lines
        bibfile = self.ext.getConfig("bibfile")
        bib = bibliography.load(bibfile) if bibfile and Path(bibfile).is_file() else None
        try:
            data = load(self.ext.getConfig("datafile"), set(bib.keys) if bib else None)
        except EvidenceMapError as error:
            log.error(str(error))
            raise
        out: list[str] = []
        for line in lines:
            if not MARKER_RE.match(line):
                out.append(line)
                continue
            out += [
                "",
                self.md.htmlStash.store(figure(data.studies)),
                "",
                "**The evidence map as a table.** Times are counted from the point each row "
                "names. A result counts as a benefit only where the study compared it with "
                "something else, or, in studies without a comparison, where people stayed "
                "better.",
                "",
                *table(data.studies, bib),
                "",
            ]
        return out


class EvidenceMapExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "datafile": [
                "includes/evidence/duration-studies.yml",
                "YAML file with every study on how long relief lasts",
            ],
            "bibfile": ["docs/references.bib", "BibTeX file the studies' keys must be in"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After pymdownx.snippets (32) and normalize_whitespace (30, which strips the markers
        # of stashed HTML); before the citations extension (29), so the table's [@key]
        # citations become the page's numbered sources.
        md.preprocessors.register(EvidenceMapPreprocessor(md, self), "ketamine_evidence_map", 29.5)


def makeExtension(**kwargs: Any) -> EvidenceMapExtension:
    return EvidenceMapExtension(**kwargs)
