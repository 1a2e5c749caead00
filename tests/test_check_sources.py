"""Each source says what kind it is (citations), and no number rests only on weak ones (sources)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from pybtex.database import Entry

from _check_support import append, check, edit, make_repo
from ketamine_site import bibliography

ALPHA_KIND = "kind = {rct}, n = {50},"
NEWS = (
    "\n@misc{press2026,\n  title = {A press release},\n  url = {https://example.org/press},\n"
    "  note = {Seen at https://example.org/press},\n  group = {Trials}, kind = {news},\n}\n"
)
CLINIC = (
    "\n@misc{clinic2026,\n  title = {A clinic page},\n  url = {https://example.org/clinic},\n"
    "  note = {Seen at https://example.org/clinic},\n"
    "  group = {Trials}, kind = {clinic-website},\n}\n"
)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def bib(repo: Path) -> Path:
    return repo / "docs" / "references.bib"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("n = {50},", "no `kind`"),
        ("kind = {trial}, n = {50},", "'trial' is not one of the fixed list"),
        ("kind = {rct}, n = {about 50},", "must be a whole number"),
        ("kind = {rct}, n = {1,148},", "must be a whole number"),
        ("kind = {rct}, funding = {Janssen},", "funding 'Janssen' is not known"),
    ],
)
def test_bad_kind_names_key_and_bib_line(repo: Path, new: str, message: str) -> None:
    edit(bib(repo), ALPHA_KIND, new)
    result = check(repo, "citations")
    assert result.code == 1
    assert result.has("docs/references.bib:1", "alpha2020:", message), result.output


def test_every_kind_is_accepted(repo: Path) -> None:
    for kind in bibliography.KINDS:
        edit(bib(repo), ALPHA_KIND, f"kind = {{{kind}}}, funding = {{maker}},")
        assert check(repo, "citations").code == 0, kind
        edit(bib(repo), f"kind = {{{kind}}}, funding = {{maker}},", ALPHA_KIND)


def add_weak_sources(repo: Path) -> None:
    append(bib(repo), NEWS + CLINIC)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("In one trial, 60% felt better [@press2026].", "press2026 (news or press release)"),
        ("- It costs $500 a session [@clinic2026].", "clinic2026 (clinic or company website)"),
        ("| 1 week | 40% [@press2026; @clinic2026] |", "clinic2026 (clinic"),
        ("The effect lasted\n2 weeks, a clinic says [@clinic2026].", "clinic2026"),
    ],
)
def test_number_resting_only_on_weak_sources(repo: Path, text: str, words: str) -> None:
    add_weak_sources(repo)
    line = append(repo / "docs" / "research.md", f"\n{text}\n") + 1
    if text.startswith("The effect"):
        line += 1  # the number is on the second line of the paragraph
    result = check(repo, "sources")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line}", "rests only on", words), result.output
    # The number is cited, so only this rule speaks.
    assert check(repo, "numbers").code == 0


def test_a_stronger_source_beside_it_is_fine(repo: Path) -> None:
    add_weak_sources(repo)
    append(
        repo / "docs" / "research.md",
        "\nIn one trial, 60% felt better [@alpha2020], as a press release said [@press2026].\n"
        "\nA clinic says it helps some people [@clinic2026].\n",
    )
    assert check(repo, "sources").code == 0


def test_other_pages_may_cite_weak_sources(repo: Path) -> None:
    add_weak_sources(repo)
    append(repo / "docs" / "index.md", "\nIt costs $500 a session [@clinic2026].\n")
    assert check(repo, "sources").code == 0


def test_reader_sees_the_kind_in_plain_words() -> None:
    entry = Entry("article", fields={"title": "T", "kind": "rct", "n": "1148", "funding": "maker"})
    assert (
        bibliography.evidence_label(entry)
        == "Randomised trial · 1,148 people · funded by the maker"
    )
    label = Entry("misc", fields={"title": "T", "kind": "regulator-label", "funding": "maker"})
    assert bibliography.evidence_label(label) == "Regulator or drug label · from the maker"
    # A count that is not a number, or an unknown kind, is left out rather than shown.
    odd = Entry("misc", fields={"title": "T", "kind": "<b>x</b>", "n": "<i>9</i>"})
    assert bibliography.evidence_label(odd) == ""


def render_cited(tmp_path: Path, entry: str) -> str:
    bibfile = tmp_path / "refs.bib"
    bibfile.write_text(entry, encoding="utf-8")
    md = markdown.Markdown(
        extensions=["footnotes", "ketamine_site.citations"],
        extension_configs={
            "ketamine_site.citations": {"bibfile": str(bibfile), "docs_dir": str(tmp_path)}
        },
    )
    return md.convert("A claim [@t2019].\n\n[@*]\n")


def test_kind_shows_in_the_sources_list_and_the_references_page(tmp_path: Path) -> None:
    html = render_cited(
        tmp_path,
        "@article{t2019,\n  title = {A trial},\n  year = {2019},\n  pmid = {31166571},\n"
        "  kind = {rct}, n = {227}, funding = {maker},\n  group = {G},\n  note = {n},\n}\n",
    )
    label = '<span class="ref-kind">Randomised trial · 227 people · funded by the maker.</span>'
    # Once in the page's sources (the tooltip reads it from there), once in the full list.
    assert html.count(label) == 2, html


def test_hostile_kind_fields_never_become_markup(tmp_path: Path) -> None:
    html = render_cited(
        tmp_path,
        "@article{t2019,\n  title = {A trial},\n  year = {2019},\n  pmid = {31166571},\n"
        "  kind = {<img src=x onerror=alert(1)>}, n = {<b>9</b>},\n"
        '  funding = {maker"><script>alert(2)</script>},\n  group = {G},\n  note = {n},\n}\n',
    )
    assert "<img" not in html and "<script" not in html and "<b>9" not in html
    assert "ref-kind" not in html  # nothing known to say: no label at all


def test_a_company_page_is_primary_for_its_own_terms(repo: Path) -> None:
    """The maker's savings programme page is the source for that programme's price."""
    bib = repo / "docs" / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@misc{scheme2026,\n  title = {A maker's savings programme},\n"
        "  url = {https://example.org/scheme},\n  note = {Seen at https://example.org/scheme},\n"
        "  group = {Trials}, kind = {clinic-website},\n"
        "  primary_for = {the programme's own price},\n}\n",
        encoding="utf-8",
    )
    append(
        repo / "docs" / "research.md", "\nThe programme charges $10 a treatment [@scheme2026].\n"
    )
    assert check(repo, "sources", "citations").code == 0
