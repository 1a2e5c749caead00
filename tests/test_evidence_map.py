"""The evidence map (ketamine_site.evidence_map): drawn from its data file, tested on a small one.

Bad data stops the build with `file:line` for each problem; the picture carries no script and
no style attribute; the table under it carries every number the picture shows; the real data
file lists every duration study the research page cites.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from _support import ROOT
from ketamine_site import bibliography, citation_syntax, evidence_map
from ketamine_site.evidence_map import EvidenceMapError

FIXTURE = Path(__file__).parent / "fixtures" / "evidence"
REAL_DATA = ROOT / "includes" / "evidence" / "duration-studies.yml"
REAL_BIB = ROOT / "docs" / "references.bib"


def render(text: str, datafile: Path, bibfile: Path) -> str:
    md = markdown.Markdown(
        extensions=[
            "footnotes",
            "tables",
            "attr_list",
            "ketamine_site.evidence_map",
            "ketamine_site.citations",
        ],
        extension_configs={
            "ketamine_site.evidence_map": {"datafile": str(datafile), "bibfile": str(bibfile)},
            "ketamine_site.citations": {"bibfile": str(bibfile), "docs_dir": str(bibfile.parent)},
        },
    )
    return md.convert(text)


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A copy of the small data file (and its bib), to break on purpose."""
    shutil.copy(FIXTURE / "references.bib", tmp_path / "references.bib")
    return Path(shutil.copy(FIXTURE / "studies.yml", tmp_path / "studies.yml"))


def soup_of(data: Path) -> BeautifulSoup:
    return BeautifulSoup(
        render("[evidence-map]\n", data, data.parent / "references.bib"), "html.parser"
    )


def test_map_has_one_linked_row_per_study_grouped_by_route(data: Path) -> None:
    soup = soup_of(data)
    rows = soup.select("svg.evidence-map__svg--wide a.em-row")
    assert [row["href"] for row in rows] == ["#fn:trial2020", "#fn:review2016", "#fn:spray2019"]
    # The phone drawing has the same rows and links, in the same order.
    narrow = soup.select("svg.evidence-map__svg--narrow a.em-row")
    assert [row["href"] for row in narrow] == [row["href"] for row in rows]
    # Each row's link goes to a source the page really lists.
    for row in rows:
        assert soup.find(id=str(row["href"])[1:]) is not None
    groups = [t.get_text() for t in soup.select("svg.evidence-map__svg--wide text.em-group")]
    assert groups == ["Ketamine into a vein (IV)", "Esketamine nasal spray (Spravato)"]
    # Kind of study: a marker shape and words, not colour alone.
    assert soup.select_one("a.em-row circle.em-mark--rct") is not None
    assert soup.select_one("a.em-row polygon.em-mark--systematic-review") is not None
    assert "Pooled review · 1,234 people" in soup.get_text()
    assert "No clear benefit" in rows[1].get_text()


def test_map_is_static_and_styled_only_by_classes(data: Path) -> None:
    html = render("[evidence-map]\n", data, data.parent / "references.bib")
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert isinstance(element, Tag)
        assert "style" not in element.attrs, element.name
        assert not any(name.startswith("on") for name in element.attrs), element.name
    assert "<script" not in html and "<style" not in html
    box = soup.select_one(".evidence-map__scroll")
    assert box is not None and box.get("tabindex") == "0" and box.get("aria-label")


def table_rows(soup: BeautifulSoup) -> dict[str, str]:
    rows: dict[str, str] = {}
    for tr in soup.select("table tbody tr"):
        cells = tr.find_all("td")
        text = " ".join(c.get_text(" ") for c in cells)
        for sup in cells[0].find_all("sup"):
            sup.decompose()  # the footnote numbers
        rows[cells[0].get_text(" ").strip()] = text
    return rows


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,.]*\d|\d", text))


@pytest.mark.parametrize("source", ["fixture", "real"])
def test_table_carries_every_number_the_picture_shows(data: Path, source: str) -> None:
    datafile, bibfile = (data, data.parent / "references.bib")
    if source == "real":
        datafile, bibfile = REAL_DATA, REAL_BIB
    soup = BeautifulSoup(render("[evidence-map]\n", datafile, bibfile), "html.parser")
    table = table_rows(soup)
    rows = soup.select("svg.evidence-map__svg a.em-row")
    assert len(rows) == 2 * len(evidence_map.load(datafile).studies)  # wide and phone
    for row in rows:
        title = row.select_one(".em-row__name")
        assert title is not None
        name = title.get_text()
        assert name in table, name
        shown = row.get_text(" ")
        missing = numbers(shown) - numbers(name + " " + table[name])
        assert not missing, f"{name}: the picture shows {sorted(missing)}, the table does not"


def test_follow_up_sums_and_open_benefits(data: Path) -> None:
    loaded = evidence_map.load(data)
    gamma = loaded.studies[2]
    assert gamma.follow_up.hours == pytest.approx((16 + 17.7) * 168)
    assert gamma.benefit_from is None and evidence_map.benefit_words(gamma) == (
        "Up to 16 weeks + 17.7 weeks"
    )
    table = table_rows(soup_of(data))
    assert "Randomised trial · funded by the maker" in table["Gamma 2019"]


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD = [
    # (old line, new line, words in the message, the line the message names)
    ("    timed_from: the infusion", "", "has no `timed_from`", "  - name: Alpha"),
    ("    design: rct", "    design: trial", "unknown design 'trial'", "    design: trial"),
    (
        "    key: trial2020",
        "    key: trail2020",
        "'trail2020' is not in the bibliography",
        "    key: trail2020",
    ),
    (
        "    follow_up: 14 days",
        "    follow_up: 5 days",
        "follow-up (5 days) is shorter than the benefit (7 days)",
        "    follow_up: 5 days",
    ),
    ("    route: iv", "    route: vein", "unknown route 'vein'", "    route: vein"),
    (
        "    follow_up: 14 days",
        "    follow_up: a fortnight",
        "'a fortnight' is not a time",
        "    follow_up: a fortnight",
    ),
    (
        "    benefit: 2 hours to 7 days",
        "    benefit: a while",
        "'a while' is not understood",
        "    benefit: a while",
    ),
    ("    people: 40", "    people: about 40", "must be a whole number", "    people: about 40"),
    (
        "      - at: 14 days",
        "      - at: 20 days",
        "after the end of follow-up",
        "      - at: 20 days",
    ),
    (
        "    schedule: One infusion or salt water",
        "    shedule: One infusion or salt water",
        "unknown field 'shedule'",
        "    shedule: One infusion or salt water",
    ),
]


@pytest.mark.parametrize(("old", "new", "words", "where"), BAD, ids=[b[2] for b in BAD])
def test_bad_data_names_file_and_line(
    data: Path, old: str, new: str, words: str, where: str
) -> None:
    edit(data, old + "\n", new + "\n" if new else "")
    line = line_of(data, where)
    bib = bibliography.load(data.parent / "references.bib")
    with pytest.raises(EvidenceMapError) as caught:
        evidence_map.load(data, set(bib.keys))
    message = str(caught.value)
    assert f"{data.as_posix()}:{line}: " in message, message
    assert words in message, message
    # The build stops with the same message.
    with pytest.raises(EvidenceMapError, match=re.escape(f"{data.as_posix()}:{line}: ")):
        render("[evidence-map]\n", data, data.parent / "references.bib")


def test_every_problem_is_reported_at_once(data: Path) -> None:
    edit(data, "    design: rct\n", "    design: trial\n")
    edit(data, "    route: nasal\n", "    route: nose\n")
    with pytest.raises(EvidenceMapError) as caught:
        evidence_map.load(data)
    assert "unknown design 'trial'" in str(caught.value)
    assert "unknown route 'nose'" in str(caught.value)


def test_broken_yaml_names_its_line(data: Path) -> None:
    edit(data, "    people: 297\n", "    people: [297\n")
    with pytest.raises(EvidenceMapError, match=r"studies\.yml:\d+: this is not valid YAML"):
        evidence_map.load(data)


def test_hostile_data_is_text(data: Path) -> None:
    edit(data, "  - name: Alpha", '  - name: "<script>alert(1)</script> [@review2016] | x"')
    edit(data, "        result: No clear difference", '        result: "*bold* <img src=x> [x](y)"')
    html = render("[evidence-map]\n", data, data.parent / "references.bib")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<em>bold</em>" not in html and 'href="y"' not in html
    soup = BeautifulSoup(html, "html.parser")
    assert "<script>alert(1)</script> [@review2016] | x 2020" in soup.get_text()
    # The pipe did not split the table row: every row still has seven cells.
    assert {len(tr.find_all("td")) for tr in soup.select("table tbody tr")} == {7}


def test_page_without_the_marker_is_untouched(data: Path) -> None:
    assert render("No map here.\n", data, data.parent / "references.bib") == "<p>No map here.</p>"


# --- the real data file against the research page ----------------------------------------

# The research page's sections about how long relief lasts: from "After one infusion" up to
# the comparison with ECT (later sections compare treatments and are not about duration).
FIRST, AFTER_LAST = "## After one infusion", "## Ketamine compared with electroconvulsive"


def research_duration_keys() -> set[str]:
    text = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
    start = text.index(FIRST)
    end = text.index(AFTER_LAST, start)
    section = text[start:end]
    bib = bibliography.load(REAL_BIB)
    return {
        key
        for _, key in citation_syntax.iter_citation_keys(section)
        if key in bib
        and str(bib.entry(key).fields.get("kind", "")).strip() in bibliography.STUDY_KINDS
    }


def test_real_data_loads_against_the_real_bibliography() -> None:
    bib = bibliography.load(REAL_BIB)
    data = evidence_map.load(REAL_DATA, set(bib.keys))
    assert len(data.studies) >= 20


def test_map_lists_every_duration_study_on_the_research_page() -> None:
    data = evidence_map.load(REAL_DATA)
    drawn = {key for study in data.studies for key in study.keys}
    cited = research_duration_keys()
    missing = cited - drawn - set(data.not_drawn)
    assert not missing, (
        f"studies the research page cites about duration but the map neither draws nor lists in "
        f"not_drawn (includes/evidence/duration-studies.yml): {sorted(missing)}"
    )
    extra = (drawn | set(data.not_drawn)) - cited
    assert not extra, f"the map has studies the research page does not cite: {sorted(extra)}"
