"""How sure we are: every headline statement carries a GRADE level, from one place.

The claim files in includes/claims/ hold each statement with its level and sources; pages
include them. These tests prove the label is drawn from the file, that a change there
changes every page, that a page may not restate a statement in its own words, and that the
check names each problem with its file and line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

from _check_support import append, check, make_repo
from _support import ROOT
from ketamine_site.certainty import LEVELS, MARKER_RE, CertaintyError, wording_matches
from ketamine_tools.check.core import split_front_matter

INCLUDE_RE = re.compile(r'^\s*--8<--\s+"claims/(?P<name>[\w-]+)\.md"\s*$', re.M)


def md_for(root: Path) -> markdown.Markdown:
    """The site's Markdown pipeline, as far as claims and citations need it."""
    return markdown.Markdown(
        extensions=[
            "abbr",
            "admonition",
            "attr_list",
            "def_list",
            "footnotes",
            "md_in_html",
            "tables",
            "pymdownx.details",
            "pymdownx.superfences",
            "pymdownx.snippets",
            "ketamine_site.certainty",
            "ketamine_site.citations",
        ],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": [str(root / "includes")],
                "check_paths": True,
            },
            "ketamine_site.certainty": {"claims_dir": str(root / "includes" / "claims")},
            "ketamine_site.citations": {
                "bibfile": str(root / "docs" / "references.bib"),
                "docs_dir": str(root / "docs"),
            },
        },
    )


def render_page(root: Path, page: Path) -> str:
    _, body = split_front_matter(page.read_text(encoding="utf-8"))
    text = "\n".join(page.read_text(encoding="utf-8").splitlines()[body - 1 :])
    md = md_for(root)
    return md.convert(text)


def level_of(claim: Path) -> str | None:
    first = claim.read_text(encoding="utf-8").splitlines()[0]
    match = MARKER_RE.match(first)
    return " ".join(match.group("level").lower().split()) if match else None


def including_pages(root: Path) -> dict[Path, list[str]]:
    """Page (docs/ and includes/, not claims) -> the claims it includes, in order."""
    found: dict[Path, list[str]] = {}
    for page in [*sorted((root / "docs").glob("*.md")), *sorted((root / "includes").glob("*.md"))]:
        names = INCLUDE_RE.findall(page.read_text(encoding="utf-8"))
        if names:
            found[page] = names
    return found


# --- the label ---------------------------------------------------------------------------


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A tiny site: two claims, a page and a snippet that include them."""
    (tmp_path / "includes" / "claims").mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "references.bib").write_text(
        "@misc{a2020,\n  title = {A},\n  url = {https://example.org/a},\n  note = {n},\n"
        "  group = {G}, kind = {rct},\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "includes" / "claims" / "one.md").write_text(
        "<!-- certainty: low -->\nRelief may last about a week [@a2020].\n", encoding="utf-8"
    )
    (tmp_path / "includes" / "claims" / "two.md").write_text(
        "<!-- certainty: moderate -->\nTop-ups probably help [@a2020].\n", encoding="utf-8"
    )
    (tmp_path / "docs" / "page.md").write_text(
        '# Page\n\n--8<-- "claims/one.md"\n\n1.  **Later**\n\n    --8<-- "claims/two.md"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_marker_becomes_a_label_at_the_start_of_the_statement(site: Path) -> None:
    html = render_page(site, site / "docs" / "page.md")
    assert '<p><span class="certainty certainty--low" tabindex="0"' in html
    assert "Low certainty</b>" in html and LEVELS["low"].meaning in html
    # Inside a list item too, and the comment itself is gone.
    assert re.search(r"<li>.*certainty--moderate.*Top-ups probably help", html, re.S)
    assert "<!--" not in html
    # The citation in the claim still becomes a numbered source.
    assert 'href="#fn:a2020"' in html


def test_label_is_for_everyone(site: Path) -> None:
    html = render_page(site, site / "docs" / "page.md")
    label = re.search(r'<span class="certainty certainty--low".*?</small></span>', html)
    assert label is not None
    # Dots are decoration for sighted readers; the words are text (screen readers, print).
    assert '<i class="certainty__marks" aria-hidden="true">' in label.group(0)
    assert f'<small class="certainty__why">: {LEVELS["low"].meaning}</small>' in label.group(0)
    assert "style=" not in html


def test_one_change_in_the_claim_file_changes_every_page(site: Path) -> None:
    claim = site / "includes" / "claims" / "one.md"
    claim.write_text(claim.read_text().replace("certainty: low", "certainty: very low"))
    (site / "docs" / "other.md").write_text('Also:\n\n--8<-- "claims/one.md"\n')
    for page in ("page.md", "other.md"):
        html = render_page(site, site / "docs" / page)
        assert "certainty--very-low" in html and "certainty--low" not in html, page


def test_unknown_level_stops_the_build_with_file_and_line(site: Path) -> None:
    claim = site / "includes" / "claims" / "one.md"
    claim.write_text(claim.read_text().replace("certainty: low", "certainty: fairly sure"))
    with pytest.raises(CertaintyError, match=r"claims/one\.md:1: unknown certainty level"):
        render_page(site, site / "docs" / "page.md")


@pytest.mark.parametrize(
    ("level", "text", "ok"),
    [
        ("high", "Esketamine lowers the chance of relapse.", True),
        ("high", "Esketamine probably lowers the chance of relapse.", False),
        ("moderate", "Carrying on probably lowers the chance.", True),
        ("moderate", "Carrying on lowers the chance.", False),
        ("low", "Mood may start to lift within hours.", True),
        ("low", "Mood lifts within hours.", False),
        ("very low", "We are very uncertain whether it lasts.", True),
        ("very low", "It may last.", False),
    ],
)
def test_wording_matches_the_level(level: str, text: str, ok: bool) -> None:
    assert wording_matches(level, text) is ok


# --- the check ---------------------------------------------------------------------------


def add_claim(repo: Path, name: str, text: str) -> Path:
    folder = repo / "includes" / "claims"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Relief may last about a week [@alpha2020].\n", "has no certainty level"),
        ("<!-- certainty: sure -->\nRelief may last [@alpha2020].\n", "unknown certainty level"),
        ("<!-- certainty: moderate -->\nRelief may last [@alpha2020].\n", "GRADE's wording"),
    ],
)
def test_check_names_the_claim_and_its_line(tmp_path: Path, text: str, words: str) -> None:
    repo = make_repo(tmp_path)
    add_claim(repo, "one-infusion.md", text)
    result = check(repo, "certainty")
    assert result.code == 1
    assert result.has("includes/claims/one-infusion.md:1", words), result.output


def test_page_that_restates_a_claim_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    add_claim(
        repo,
        "one-infusion.md",
        "<!-- certainty: low -->\nThe benefit of one infusion may still be clear after seven "
        "days [@alpha2020].\n",
    )
    assert check(repo, "certainty").code == 0
    line = append(
        repo / "docs" / "research.md",
        "\nThe benefit of one *infusion* may still be clear\nafter seven days [@beta2019].\n",
    )
    result = check(repo, "certainty")
    assert result.has(f"docs/research.md:{line + 1}", "repeats the headline statement"), (
        result.output
    )
    assert '--8<-- "claims/one-infusion.md"' in result.output


# --- the real site -----------------------------------------------------------------------


def test_every_headline_statement_has_a_level_and_no_page_restates_one() -> None:
    result = check(ROOT, "certainty")
    assert result.code == 0, result.output


def test_label_appears_wherever_a_claim_is_included(built_site: Path) -> None:
    claims = sorted((ROOT / "includes" / "claims").glob("*.md"))
    levels = {claim.stem: level_of(claim) for claim in claims}
    assert all(levels.values()), f"claims without a level: {levels}"
    pages = including_pages(ROOT)
    timeline = ROOT / "includes" / "timeline.md"
    for page, names in pages.items():
        if page.parent.name == "includes":
            continue  # snippets are checked through the pages that include them
        text = page.read_text(encoding="utf-8")
        names = names + (INCLUDE_RE.findall(timeline.read_text()) if "timeline.md" in text else [])
        built = built_site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        html = built.read_text(encoding="utf-8")
        for name in set(names):
            slug = str(levels[name]).replace(" ", "-")
            label = f'class="certainty certainty--{slug}"'
            assert html.count(label) >= names.count(name), (page.name, name)


def test_real_claims_render_with_their_level_on_every_page(tmp_path: Path) -> None:
    """Change one claim's level in a copy: every page that includes it shows the new one."""
    for name in ("docs", "includes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    claim = tmp_path / "includes" / "claims" / "one-infusion.md"
    text = claim.read_text(encoding="utf-8")
    lines = text.splitlines()
    marker = "<!-- certainty: high -->"
    claim.write_text(
        "\n".join([marker, *(lines[1:] if MARKER_RE.match(lines[0]) else lines)]) + "\n",
        encoding="utf-8",
    )
    pages = [p for p, names in including_pages(tmp_path).items() if "one-infusion" in names]
    assert pages, "no page includes claims/one-infusion.md"
    for page in pages:
        assert "certainty--high" in render_page(tmp_path, page), page.name
