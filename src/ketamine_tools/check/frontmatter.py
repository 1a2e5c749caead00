"""Front matter of every page in the nav: title, description, review dates, search boost."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ketamine_site.changes import as_date
from ketamine_tools.check.core import Finding, Repo, prose_lines, quote, split_front_matter

NAME = "frontmatter"
SUMMARY = (
    "file name, title (plain, at most 60 chars, as the heading), description (50-160 "
    "chars), reviewed/next_review dates, search.boost, reviewed_by, evidence_searched"
)

# key -> how to fill it in
REQUIRED = {
    "title": "`title: ...` with the page's heading",
    "description": "`description: ...` with one sentence of 50 to 160 characters",
    "reviewed": "`reviewed: YYYY-MM-DD`, the day the page was checked against its sources",
    "next_review": "`next_review: YYYY-MM-DD`, at most 12 months after `reviewed`",
}
# Every key a page may set, and what it is for. Front matter comes from pull requests and
# reaches the theme's templates (the <title>, social cards, JSON-LD), so anything else is
# refused: a key the theme reads (`template`, `icon`, `status`...) would change the page in
# ways no reviewer sees in the Markdown.
KNOWN = {
    "title": "the page's name in the browser tab and search results (plain text)",
    "description": "one sentence shown by search engines (plain text)",
    "reviewed": "the day the whole page was last checked against its sources",
    "next_review": "the day the next full review is due",
    "hide": "parts of the page layout to hide: a list of toc, navigation, path, footer",
    "search": "search tuning: `boost:` (a number) or `exclude: true`",
    "reading_grade": "this page's reading-grade limit (a number), or false to skip; the "
    "default is in mkdocs.yml `extra: page_policy:`",
    "cite_numbers": "true or false: do sentences with numbers need a citation here (the "
    "default is in mkdocs.yml `extra: page_policy:`)",
    "reviewed_by": "the clinician who signed the page off: `name:`, `role:` and `date:`",
    "evidence_searched": "the day the evidence for the page was last searched for",
}
REVIEWER_KEYS = ("name", "role", "date")
REVIEWER_EXAMPLE = (
    "`reviewed_by: {name: Dr Jane Doe, role: Consultant psychiatrist, date: 2026-11-27}` "
    "(or the same three keys on indented lines below `reviewed_by:`)"
)
HIDEABLE = {"toc", "navigation", "path", "footer"}
SEARCH_KEYS = {"boost", "exclude"}
# Characters that would be markup in a template that forgets to escape them.
MARKUP_CHARS = set("<>")
DESCRIPTION_LENGTH = (50, 160)
# The hardest reading level a page may ask for (a US school grade; the default is 8).
GRADE_LIMIT = 12
# Search engines and browser tabs cut a longer title (Google shows about 60 characters).
TITLE_LIMIT = 60
# Markdown that would reach the <title>, search results and social cards as typed.
MARKDOWN_RE = re.compile(r"\*\*|__|`|\]\(|\[[@^]|^#|^\s*[-*] ")
# A page file's name is its web address: lower-case words joined by hyphens.
FILE_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
HEADING_RE = re.compile(r"^#\s+(?P<text>.+?)\s*(?:\{[^}]*\})?\s*#*\s*$")
EXAMPLE = (
    "---\ntitle: Page title\ndescription: One plain sentence of 50 to 160 characters.\n"
    "reviewed: 2026-11-27\nnext_review: 2027-05-27\n---"
)


def one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def key_line(yaml_text: str, key: str) -> int:
    """Line in the file of `key:` (the front matter starts on line 2)."""
    for index, line in enumerate(yaml_text.splitlines()):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return index + 2
    return 1


def check_page(repo: Repo, path: Path) -> Iterator[Finding]:
    rel = repo.rel(path)
    if not FILE_NAME_RE.match(path.name):
        better = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "page"
        yield Finding(
            rel,
            1,
            f"the file name {path.name!r} becomes the page's web address, so it must be "
            f"lower-case words joined by hyphens. Rename it to {better}.md (`git mv`), and "
            "change its entry in `nav` in mkdocs.yml and any links to it.",
        )
    yaml_text, body_start = split_front_matter(repo.text(path))
    if yaml_text is None:
        yield Finding(
            rel,
            1,
            "the page has no front matter. Start the file with a block like this (the "
            f"`---` lines included):\n{EXAMPLE}",
        )
        return
    try:
        meta = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 2 if mark is not None else 1
        yield Finding(
            rel,
            line,
            f"the front matter is not valid YAML ({error.problem}). Check the indentation, "
            'and put quotes around a value that contains a colon (description: "...").',
        )
        return
    if not isinstance(meta, dict):
        yield Finding(rel, 2, f"the front matter must be `key: value` lines, like:\n{EXAMPLE}")
        return

    def at(key: str) -> int:
        return key_line(yaml_text, key)

    for key, how in REQUIRED.items():
        if meta.get(key) in (None, ""):
            yield Finding(rel, 1, f"the front matter has no `{key}:`. Add {how}.")

    for key in meta:
        if key not in KNOWN:
            allowed = "; ".join(f"`{k}` ({v})" for k, v in KNOWN.items())
            yield Finding(
                rel,
                at(str(key)),
                f"`{key}:` is not a front-matter key this site uses. Remove it, or fix its "
                f"spelling. The keys are: {allowed}.",
            )
    for key in ("title", "description"):
        value = meta.get(key)
        if isinstance(value, str) and MARKUP_CHARS & set(value):
            yield Finding(
                rel,
                at(key),
                f'`{key}:` must be plain text, without < or >. Write it in words ("less '
                'than"), or leave the symbol out.',
            )
    grade = meta.get("reading_grade")
    if grade is not None and (
        grade is True or not (grade is False or isinstance(grade, int | float))
    ):
        yield Finding(
            rel,
            at("reading_grade"),
            f"`reading_grade:` must be a number such as 8 or 10, or false (found {grade!r}).",
        )
    elif isinstance(grade, int | float) and not isinstance(grade, bool) and grade > GRADE_LIMIT:
        yield Finding(
            rel,
            at("reading_grade"),
            f"`reading_grade: {grade}` is above {GRADE_LIMIT}: the site is written for "
            "patients and families, and a page this hard to read would not be checked at all. "
            "Make the sentences shorter and the words plainer instead.",
        )
    cite = meta.get("cite_numbers")
    if cite is not None and not isinstance(cite, bool):
        yield Finding(rel, at("cite_numbers"), "`cite_numbers:` must be true or false.")
    hide = meta.get("hide")
    if hide is not None and (
        not isinstance(hide, list) or not all(isinstance(h, str) and h in HIDEABLE for h in hide)
    ):
        yield Finding(
            rel,
            at("hide"),
            f"`hide:` must be a list of {', '.join(sorted(HIDEABLE))}, like `hide: [toc]` "
            f"(found {hide!r}).",
        )

    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        yield Finding(rel, at("title"), "`title:` must be text. Put it in quotes.")
    for key in ("title", "description"):
        value = meta.get(key)
        if isinstance(value, str) and MARKDOWN_RE.search(value.strip()):
            yield Finding(
                rel,
                at(key),
                f"`{key}:` must be plain text: Markdown there reaches search results and the "
                f"browser tab as typed ({quote(value.strip(), 50)}). Remove the `**`, `_`, "
                "backticks, links and citations.",
            )
    if isinstance(title, str) and len(title.strip()) > TITLE_LIMIT:
        yield Finding(
            rel,
            at("title"),
            f"`title:` is {len(title.strip())} characters; at most {TITLE_LIMIT} fit in search "
            "results and a browser tab. Shorten it (and the `#` heading with it).",
        )
    body = [line for number, line in prose_lines(repo.text(path)) if number >= body_start]
    heading = next((m.group("text") for line in body if (m := HEADING_RE.match(line))), None)
    if isinstance(title, str) and heading is not None and heading != title.strip():
        yield Finding(
            rel,
            at("title"),
            f"`title:` ({quote(title.strip(), 40)}) differs from the page's `#` heading "
            f"({quote(heading, 40)}): readers would find one name in search results and "
            "another on the page. Make them the same.",
        )

    description = meta.get("description")
    if isinstance(description, str) and description.strip():
        low, high = DESCRIPTION_LENGTH
        length = len(" ".join(description.split()))
        if not low <= length <= high:
            advice = "Shorten it" if length > high else "Lengthen it"
            yield Finding(
                rel,
                at("description"),
                f"`description:` is {length} characters long; it must be {low} to {high} "
                f"(search engines show it under the title). {advice} to one plain sentence.",
            )
    elif description is not None and not isinstance(description, str):
        yield Finding(rel, at("description"), "`description:` must be text. Put it in quotes.")

    dates: dict[str, date] = {}
    for key in ("reviewed", "next_review"):
        value = meta.get(key)
        if value in (None, ""):
            continue
        parsed = as_date(value)
        if parsed is None:
            yield Finding(
                rel,
                at(key),
                f"`{key}:` must be an ISO date like 2026-11-27 (year-month-day), not {value!r}.",
            )
        else:
            dates[key] = parsed

    reviewed, next_review = dates.get("reviewed"), dates.get("next_review")
    if reviewed and next_review:
        if next_review <= reviewed:
            yield Finding(
                rel,
                at("next_review"),
                f"`next_review:` ({next_review}) must be after `reviewed:` ({reviewed}). "
                "Set it to the date of the next review, at most 12 months after the last.",
            )
        elif next_review > one_year_later(reviewed):
            yield Finding(
                rel,
                at("next_review"),
                f"`next_review:` ({next_review}) is more than 12 months after `reviewed:` "
                f"({reviewed}). Set it to {one_year_later(reviewed)} or earlier.",
            )
    if reviewed and reviewed > repo.today:
        yield Finding(
            rel,
            at("reviewed"),
            f"`reviewed:` ({reviewed}) is in the future. Set it to the day the page was "
            "last checked against its sources.",
        )
    if next_review and next_review < repo.today:
        days = (repo.today - next_review).days
        # A calendar day must not turn every pull request red: an overdue page fails only in a
        # change that touches it, and is a notice otherwise (the weekly review-dates workflow
        # lists it in an issue).
        changed = repo.changed_files()
        touched = changed is not None and rel in changed
        yield Finding(
            rel,
            at("next_review"),
            f"the review of this page is overdue: it was due on {next_review} "
            f"({days} days ago). Review the page against its sources (is each fact still "
            "what the cited source says? is there newer evidence?), then set `reviewed:` "
            f"to today ({repo.today}) and `next_review:` to a date at most 12 months later."
            + ("" if touched else " (A notice while this change does not touch the page.)"),
            notice=not touched,
        )

    yield from check_reviewer(rel, meta, at, repo.today)
    if meta.get("evidence_searched") is not None:
        searched = as_date(meta.get("evidence_searched"))
        if searched is None:
            yield Finding(
                rel,
                at("evidence_searched"),
                "`evidence_searched:` must be an ISO date like 2026-11-27 (year-month-day), "
                f"not {meta.get('evidence_searched')!r}.",
            )
        elif searched > repo.today:
            yield Finding(
                rel,
                at("evidence_searched"),
                f"`evidence_searched:` ({searched}) is in the future. Set it to the day the "
                "literature search for this page was last run.",
            )

    search = meta.get("search")
    if search is not None:
        boost = search.get("boost") if isinstance(search, dict) else None
        if not isinstance(search, dict):
            yield Finding(
                rel, at("search"), "`search:` must be a mapping, like `search: {boost: 1.2}`."
            )
        elif set(search) - SEARCH_KEYS:
            extra = ", ".join(sorted(str(k) for k in set(search) - SEARCH_KEYS))
            yield Finding(
                rel,
                at("search"),
                f"`search:` takes only `boost:` and `exclude:` (found {extra}). Remove the rest.",
            )
        elif "exclude" in search and not isinstance(search.get("exclude"), bool):
            yield Finding(rel, at("search"), "`search.exclude` must be true or false.")
        elif "boost" in search and (isinstance(boost, bool) or not isinstance(boost, int | float)):
            yield Finding(
                rel,
                at("search"),
                f"`search.boost` must be a number such as 1.2 (found {boost!r}). "
                "Keep it gentle: 0.5 to 2.",
            )


def check_reviewer(
    rel: str, meta: dict[Any, Any], at: Callable[[str], int], today: date
) -> Iterator[Finding]:
    """`reviewed_by:` names a real clinician: a mapping of name, role and date, nothing else."""
    if "reviewed_by" not in meta:
        return
    reviewer = meta["reviewed_by"]
    line = at("reviewed_by")
    if not isinstance(reviewer, dict):
        yield Finding(
            rel,
            line,
            "`reviewed_by:` must be a mapping with the clinician's name, role and the date "
            f"they signed the page off, like {REVIEWER_EXAMPLE}. Leave it out until a "
            "clinician has reviewed the page.",
        )
        return
    extra = sorted(str(k) for k in reviewer if k not in REVIEWER_KEYS)
    missing = [k for k in REVIEWER_KEYS if reviewer.get(k) in (None, "")]
    if extra:
        yield Finding(
            rel,
            line,
            f"`reviewed_by:` takes only name, role and date (found {', '.join(extra)}).",
        )
    if missing:
        yield Finding(
            rel,
            line,
            f"`reviewed_by:` has no {', '.join(missing)}. Give all three, like {REVIEWER_EXAMPLE}.",
        )
    for key in ("name", "role"):
        value = reviewer.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or MARKUP_CHARS & set(value):
            yield Finding(
                rel,
                line,
                f"`reviewed_by.{key}` must be plain text without < or > (found {value!r}).",
            )
    value = reviewer.get("date")
    if value not in (None, ""):
        day = as_date(value)
        if day is None:
            yield Finding(
                rel,
                line,
                "`reviewed_by.date` must be an ISO date like 2026-11-27 (year-month-day), "
                f"not {value!r}.",
            )
        elif day > today:
            yield Finding(
                rel,
                line,
                f"`reviewed_by.date` ({day}) is in the future. Set it to the day the clinician "
                "signed the page off.",
            )


def run(repo: Repo) -> Iterator[Finding]:
    for path in repo.nav_pages():
        yield from check_page(repo, path)


def due_report(
    repo: Repo, soon_days: int = 30
) -> tuple[list[tuple[str, date]], list[tuple[str, date]]]:
    """(overdue, due within `soon_days`): pages and their `next_review` dates, soonest first."""
    overdue: list[tuple[str, date]] = []
    soon: list[tuple[str, date]] = []
    for path in repo.nav_pages():
        yaml_text, _ = split_front_matter(repo.text(path))
        try:
            meta = yaml.safe_load(yaml_text or "") or {}
        except yaml.YAMLError:
            continue
        due = as_date(meta.get("next_review")) if isinstance(meta, dict) else None
        if due is None:
            continue
        if due < repo.today:
            overdue.append((repo.rel(path), due))
        elif (due - repo.today).days <= soon_days:
            soon.append((repo.rel(path), due))
    return sorted(overdue, key=lambda x: x[1]), sorted(soon, key=lambda x: x[1])


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ketamine_tools.check.frontmatter --due-report FILE [--today DATE]`.

    Writes the Markdown body of the weekly "Pages due for review" issue; exits 1 when any page
    is overdue or due within 30 days, 0 otherwise.
    """
    parser = argparse.ArgumentParser(prog="python -m ketamine_tools.check.frontmatter")
    parser.add_argument("--due-report", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    repo = Repo(root=args.root.resolve(), site=args.root / "site", today=args.today)
    overdue, soon = due_report(repo)
    lines = [
        f"Review dates on {repo.today}: {len(overdue)} overdue, {len(soon)} due within 30 days.",
        "",
    ]
    if overdue:
        lines += ["**Overdue**", ""] + [f"- `{p}`: was due {d}" for p, d in overdue] + [""]
    if soon:
        lines += ["**Due soon**", ""] + [f"- `{p}`: due {d}" for p, d in soon] + [""]
    lines += [
        "Review each page against its sources (CONTRIBUTING, section 6), then update "
        "`reviewed:` and `next_review:` in its front matter. This issue is updated by "
        "`.github/workflows/review-dates.yml`.",
    ]
    args.due_report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(lines[0])
    return 1 if overdue or soon else 0


if __name__ == "__main__":
    raise SystemExit(main())
