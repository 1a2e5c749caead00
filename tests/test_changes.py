"""The "What changed" list, each page's history and its report links (ketamine_site.changes).

Unit tests on small inputs, the real includes/changes.yml, the built site, and the build
stopped by a broken changes file with `includes/changes.yml:LINE:` and no traceback.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from _support import BIN, ROOT, run
from ketamine_site import changes
from ketamine_site.changes import ChangesError, parse_changes

SITE_URL = "https://ketamine-relief.github.io/ketamine-relief-site/"
REPO_URL = "https://github.com/ketamine-relief/ketamine-relief-site"
GOOD = """\
- date: 2026-11-27
  page: safety.md
  change: Older entry.
- date: 2026-12-01
  page: safety.md
  change: The bladder section now says how often problems happen.
  correction: true
"""


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "safety.md").write_text(
        "---\ntitle: Side effects and safety\n---\n\n# Side effects\n\nText.\n", encoding="utf-8"
    )
    (folder / "changes.md").write_text(
        "---\ntitle: What changed\n---\n\n# What changed\n\n[changes]\n", encoding="utf-8"
    )
    (tmp_path / "changes.yml").write_text(GOOD, encoding="utf-8")
    return folder


def render(docs: Path, page: str) -> str:
    ext = changes.ChangesExtension(
        data=str(docs.parent / "changes.yml"),
        docs_dir=str(docs),
        site_url=SITE_URL,
        repo_url=REPO_URL,
    )
    text = (docs / page).read_text(encoding="utf-8").split("---\n", 2)[2]
    return markdown.markdown(text, extensions=[ext])


# --- the data file ------------------------------------------------------------------------


def test_changes_are_sorted_newest_first_and_corrections_kept(docs: Path) -> None:
    found = parse_changes(GOOD, "changes.yml", docs)
    assert [c.day.isoformat() for c in found] == ["2026-12-01", "2026-11-27"]
    assert found[0].correction and not found[1].correction


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (GOOD.replace("2026-12-01", "2026-13-01"), 4, ["`date:` must be a date", "2026-13-01"]),
        (GOOD.replace("2026-12-01", "1 December"), 4, ["`date:` must be a date"]),
        (GOOD.replace("page: safety.md\n  change: Older", "page: nope.md\n  change: Older"), 2,
         ["there is no docs/nope.md"]),
        (GOOD.replace("correction: true", "correction: maybe"), 7, ["true or false"]),
        (GOOD.replace("change: Older entry.", "change: <b>x</b>"), 3, ["plain text"]),
        (GOOD.replace("change: Older entry.", "chnage: Older entry."), 3,
         ["`chnage:` is not a key", "`change:` needs one plain line"]),
        ("- date: [unclosed\n", 2, ["not valid YAML"]),
        ("date: 2026-12-01\n", 1, ["must be a list of changes"]),
        (GOOD.replace("2026-11-27", "2999-01-01"), 1, ["in the future"]),
        (GOOD.replace("page: safety.md\n  change: Older", "page: ../README.md\n  change: Older"),
         2, ["inside docs/"]),
        (GOOD.replace("change: Older entry.", "change: Older entry [@daly2019]."), 3,
         ["no citations"]),
        (GOOD.replace("change: Older entry.", "change: Older entry.\n  page: safety.md"), 2,
         ["`page:` is given twice"]),
    ],
    ids=[
        "month-13", "words", "no-such-page", "correction", "markup", "typo-key", "yaml", "no-list",
        "future", "outside-docs", "citation", "twice",
    ],
)  # fmt: skip
def test_a_broken_changes_file_names_file_line_and_fix(
    docs: Path, text: str, where: int, words: list[str]
) -> None:
    with pytest.raises(ChangesError) as error:
        parse_changes(text, "includes/changes.yml", docs)
    message = str(error.value)
    assert message.startswith(f"includes/changes.yml:{where}: "), message
    assert all(word in message for word in words), message


def test_the_real_changes_file_is_valid_and_names_real_pages() -> None:
    found = changes.load_changes(ROOT / "includes" / "changes.yml", ROOT / "docs")
    assert found, "includes/changes.yml lists no change"
    assert all((ROOT / "docs" / c.page).is_file() for c in found)


# --- the Markdown ---------------------------------------------------------------------------


def test_placeholder_becomes_the_list_with_corrections_marked(docs: Path) -> None:
    html = BeautifulSoup(render(docs, "changes.md"), "lxml")
    items = html.select("ul li")
    texts = [li.get_text(" ", strip=True) for li in items]
    assert "Correction" in texts[0] and "1 December 2026" in texts[0], texts
    assert items[0].select_one("strong.change-tag") is not None
    assert items[1].select_one(".change-tag") is None
    assert items[0].select_one("a")["href"] == "safety.md"  # MkDocs turns it into the URL
    assert "[changes]" not in html.get_text()


def test_each_page_ends_with_its_history_and_report_links(docs: Path) -> None:
    html = BeautifulSoup(render(docs, "safety.md"), "lxml")
    tools = html.select_one("div.page-tools[data-search-exclude]")
    assert tools is not None
    history = tools.select_one(".page-history").get_text(" ", strip=True)
    assert "The bladder section now says" in history and "Correction" in history
    assert tools.select_one(".page-history a")["href"] == "../changes/"
    report = urlsplit(tools.select_one("a.page-feedback__report")["href"])
    assert f"{report.scheme}://{report.netloc}{report.path}" == f"{REPO_URL}/issues/new"
    fields = parse_qs(report.query)
    assert fields["template"] == ["content-error.yml"]
    assert fields["page"] == [f"Side effects and safety ({SITE_URL}safety/)"]
    assert fields["commit"][0]  # a commit, or "unknown" outside a repository
    assert not any(key.startswith("utm") for key in fields)
    for answer in ("yes", "no"):
        link = parse_qs(urlsplit(tools.select_one(f"a.page-feedback__{answer}")["href"]).query)
        assert link["template"] == ["page-feedback.yml"]
        assert link["helpful"] == [answer.capitalize()]


def test_without_git_the_page_still_builds_without_a_date(
    docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    changes.last_changed.cache_clear()
    changes.build_commit.cache_clear()
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    try:
        html = BeautifulSoup(render(docs, "safety.md"), "lxml")
        unrecorded = BeautifulSoup(render(docs, "changes.md"), "lxml")
    finally:
        changes.last_changed.cache_clear()
        changes.build_commit.cache_clear()
    # The newest recorded change stands in for git's date; with neither, no date at all.
    assert "Last changed: 1 December 2026" in html.get_text(" ", strip=True)
    assert "Last changed" not in unrecorded.get_text()
    report = parse_qs(urlsplit(html.select_one("a.page-feedback__report")["href"]).query)
    assert report["commit"] == ["unknown"]


def test_issue_forms_have_the_prefilled_fields() -> None:
    for name, ids in (
        ("content-error.yml", {"page", "commit"}),
        ("page-feedback.yml", {"page", "commit", "helpful"}),
    ):
        form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text())
        found = {field.get("id") for field in form["body"]}
        assert ids <= found, f"{name} lacks {ids - found}"


# --- the built site -------------------------------------------------------------------------


def content_pages(site: Path) -> list[Path]:
    return [
        p for p in sorted(site.rglob("index.html")) if "search" not in p.parts and p.parent != site
    ] + [site / "index.html"]


def test_every_page_of_the_build_has_history_report_cite_and_reviewer(built_site: Path) -> None:
    commit = run(["git", "rev-parse", "HEAD"]).stdout.strip()
    problems = []
    for page in content_pages(built_site):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        where = page.relative_to(built_site).as_posix()
        report = html.select_one(".page-tools a.page-feedback__report")
        if report is None or html.select_one(".page-history") is None:
            problems.append(f"{where}: no page history or report link")
            continue
        fields = parse_qs(urlsplit(report["href"]).query)
        url = SITE_URL + page.parent.relative_to(built_site).as_posix() + "/"
        if not fields["page"][0].endswith(f"({url.replace('/./', '/')})"):
            problems.append(f"{where}: report link names {fields['page']}, not {url}")
        # A commit of this repository (HEAD moves on while others commit during the tests).
        given = fields["commit"][0]
        known = run(["git", "rev-parse", "--verify", "--quiet", f"{given}^{{commit}}"])
        if commit and (len(given) != 40 or known.returncode != 0):
            problems.append(f"{where}: report link gives commit {given}, not one of this repo")
        cite = html.select_one(".cite-page__text")
        if cite is None or "Last reviewed" not in cite.get_text():
            problems.append(f"{where}: no 'Cite this page'")
        clinician = html.select_one(".page-review__clinician")
        if clinician is None or "not yet been reviewed by a clinician" not in clinician.text:
            problems.append(f"{where}: does not say plainly that no clinician reviewed it")
        # About, References and What changed state no research findings (`cite_numbers:
        # false`): they have no evidence search to date.
        if html.select_one(".page-review__evidence") is None and where.split("/")[0] not in (
            "about",
            "references",
            "changes",
        ):
            problems.append(f"{where}: no evidence-search date (or 'not yet recorded')")
        if '"reviewedBy"' in page.read_text(encoding="utf-8"):
            problems.append(f"{where}: JSON-LD names a reviewer no page has")
    assert not problems, "\n".join(problems)


def test_the_changes_page_lists_every_entry(built_site: Path) -> None:
    html = BeautifulSoup((built_site / "changes" / "index.html").read_text("utf-8"), "lxml")
    entries = changes.load_changes(ROOT / "includes" / "changes.yml", ROOT / "docs")
    items = html.select("article li:has(time)")
    assert len(items) == len(entries)
    dates = [li.select_one("time")["datetime"] for li in items]
    assert dates == sorted(dates, reverse=True)
    corrections = [li for li in items if li.select_one(".change-tag")]
    assert len(corrections) == sum(c.correction for c in entries)


def test_a_reviewer_in_front_matter_shows_and_reaches_json_ld(project_copy: Path) -> None:
    import json

    faq = project_copy / "docs" / "faq.md"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace(
            "\nreviewed:",
            "\nreviewed_by:\n  name: Dr Test Person\n  role: Psychiatrist\n  date: 2026-11-30"
            "\nevidence_searched: 2026-11-29\nreviewed:",
            1,
        ).replace(
            "\nevidence_searched: 2026-12-01",
            "",
            1,
        ),
        encoding="utf-8",
    )
    result = run(
        [str(BIN / "mkdocs"), "build", "--site-dir", str(project_copy / "s")], cwd=project_copy
    )
    assert result.returncode == 0, result.stderr
    page = (project_copy / "s" / "faq" / "index.html").read_text(encoding="utf-8")
    html = BeautifulSoup(page, "lxml")
    clinician = html.select_one(".page-review__clinician").get_text(" ", strip=True)
    assert "Dr Test Person, Psychiatrist, on 30 November 2026" in clinician
    assert "Evidence last searched: 29 November 2026" in html.select_one(".page-review").text
    blocks = [json.loads(s.string) for s in html.select('script[type="application/ld+json"]')]
    medical = next(b for b in blocks if b.get("@type") == "MedicalWebPage")
    assert medical["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Test Person",
        "jobTitle": "Psychiatrist",
    }
    other = (project_copy / "s" / "safety" / "index.html").read_text(encoding="utf-8")
    assert '"reviewedBy"' not in other


def test_a_bad_date_in_the_changes_file_stops_the_build_clearly(project_copy: Path) -> None:
    data = project_copy / "includes" / "changes.yml"
    text = data.read_text(encoding="utf-8")
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("- date:"))
    data.write_text(text.replace("- date: ", "- date: 2026-02-30 #", 1), encoding="utf-8")
    result = run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"includes/changes.yml:{first}: `date:` must be a date" in output, output
    assert "Traceback" not in output
