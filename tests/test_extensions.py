"""Unit tests of the Python-Markdown extensions, on small inputs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import markdown
import pytest

from ketamine_site.citations import CitationError

BIB = r"""
@article{daly2019,
  author = {Daly, E. J. and Trivedi, M. H. and Janik, A. and Li, H. and others},
  title = {Esketamine Nasal Spray for Relapse Prevention in {Treatment-Resistant} Depression},
  journal = {JAMA Psychiatry}, year = {2019}, volume = {76}, number = {9}, pages = {893--903},
  doi = {10.1001/jamapsychiatry.2019.1189}, pmid = {31166571},
  group = {Esketamine nasal spray (Spravato)}, note = {Seen at: https://example.org/x}
}
@article{zarate2006,
  author = {Zarate, Jr, C. A. and Singh, J. B.},
  title = {A randomized trial of an {NMDA} antagonist}, journal = {Arch Gen Psychiatry},
  year = {2006}, url = {https://www.nih.gov/news}, group = {How ketamine works}
}
@misc{samhsa-988,
  organization = {SAMHSA}, title = {988 Frequently Asked Questions},
  howpublished = {samhsa.gov}, url = {https://www.samhsa.gov/find-help/988/faqs},
  group = {Crisis support}, note = {Seen at: the page itself}
}
"""


@pytest.fixture()
def bibfile(tmp_path: Path) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def render(text: str, bibfile: Path, docs_dir: Path | None = None) -> str:
    md = markdown.Markdown(
        extensions=[
            "footnotes",
            "attr_list",
            "toc",
            "ketamine_site.citations",
            "ketamine_site.faq",
        ],
        extension_configs={
            "ketamine_site.citations": {
                "bibfile": str(bibfile),
                "docs_dir": str(docs_dir or bibfile.parent),
                "group_order": ["Crisis support"],
            }
        },
    )
    return md.convert(text)


def test_citations_are_numbered_in_order_of_first_use(bibfile: Path) -> None:
    html = render("Call 988 [@samhsa-988]. Relapse [@daly2019; @samhsa-988].", bibfile)
    assert html.index('href="#fn:samhsa-988">1<') < html.index('href="#fn:daly2019">2<')
    assert html.count('class="footnote-ref"') == 3
    assert '</sup><sup class="cite-sep">,</sup><sup id="fnref:daly2019">' in html
    assert "Daly EJ, Trivedi MH, Janik A, et al." in html
    assert 'href="https://doi.org/10.1001/jamapsychiatry.2019.1189"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31166571/"' in html


def test_numbers_in_one_group_read_in_order(bibfile: Path) -> None:
    html = render("First [@daly2019]. Then [@samhsa-988; @daly2019].", bibfile)
    second = html.split("Then")[1]
    assert second.index('href="#fn:daly2019">1<') < second.index('href="#fn:samhsa-988">2<')


def test_sources_list_has_a_heading_and_is_kept_out_of_search(bibfile: Path) -> None:
    html = render("A claim [@daly2019].", bibfile)
    assert re.search(r'<div class="footnote" data-search-exclude="" data-text-length="\d+">', html)
    assert '<h2 data-search-exclude="" id="sources">Sources' in html


def test_names_are_vancouver_style_and_notes_stay_private(bibfile: Path) -> None:
    html = render("Early trial [@zarate2006].", bibfile)
    assert "Zarate CA Jr, Singh JB." in html
    assert "Seen at" not in render("x [@daly2019]", bibfile)


def test_a_citation_may_be_followed_by_any_punctuation(bibfile: Path) -> None:
    html = render("Two sources agree [@daly2019]: relapse is common [@samhsa-988].", bibfile)
    assert "[@" not in html and html.count('class="footnote-ref"') == 2


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("Write `[@daly2019]` to cite.", "<code>[@daly2019]</code>"),
        ("```\n[@nosuchkey]\n```", "[@nosuchkey]"),
        ("Code:\n\n    [@nosuchkey] indented\n", "<code>[@nosuchkey] indented"),
        ("Text <!-- [@nosuchkey] --> more.", "<!-- [@nosuchkey] -->"),
        ("<!-- draft: [@nosuchkey]\n-->\n\nText.", "<!-- draft: [@nosuchkey]"),
        ("Show the syntax: \\[@daly2019].", "[@daly2019]."),
    ],
    ids=["code span", "fenced code", "indented code", "inline comment", "block comment", "escape"],
)
def test_code_comments_and_escapes_are_left_alone(bibfile: Path, text: str, literal: str) -> None:
    html = render(text, bibfile)
    assert literal in html
    assert "footnote" not in html


def test_a_citation_may_wrap_onto_the_next_line(bibfile: Path) -> None:
    html = render("Relapse is common [@daly2019;\n@samhsa-988].", bibfile)
    assert "[@" not in html and html.count('class="footnote-ref"') == 2


def test_numbers_follow_reading_order_into_lists_and_blocks(bibfile: Path) -> None:
    """Python-Markdown reaches nested blocks after the paragraphs around them; the numbers
    must still read 1, 2, 3 down the page."""
    text = "Intro [@zarate2006].\n\n- In a list [@daly2019].\n\nAfter [@samhsa-988].\n"
    html = render(text, bibfile)
    numbers = re.findall(r'class="footnote-ref" href="#fn:([\w-]+)">(\d+)<', html)
    assert numbers == [("zarate2006", "1"), ("daly2019", "2"), ("samhsa-988", "3")]
    items = re.findall(r'<li id="fn:([\w-]+)"', html)
    assert items == ["zarate2006", "daly2019", "samhsa-988"]
    assert 'id="fnref:zarate2006"' in html


def test_links_and_emails_are_not_citations(bibfile: Path) -> None:
    html = render("Email [@samaritans](mailto:jo@samaritans.org) or jo@samaritans.org.", bibfile)
    assert "footnote" not in html


def test_unknown_key_names_file_line_and_key(bibfile: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n\nFine [@daly2019].\nBad [@daly2091].\n")
    with pytest.raises(CitationError) as error:
        render((docs / "page.md").read_text(), bibfile, docs)
    message = str(error.value)
    assert f"{docs.as_posix()}/page.md:4" in message
    assert "unknown citation key 'daly2091'" in message
    assert "Add an entry" in message


def test_full_bibliography_is_grouped_in_the_configured_order(bibfile: Path) -> None:
    html = render("# References\n\n[@*]\n", bibfile)
    headings = [line for line in html.splitlines() if line.startswith("<h2")]
    assert "Crisis support" in headings[0]
    assert html.count('<span id="ref-') == 3
    assert "footnote" not in html


def test_references_are_rendered_html_with_nothing_left_over(bibfile: Path) -> None:
    """References are rendered once and stashed as HTML (fast rebuilds in `mkdocs serve`):
    emphasis and links survive, and no stash marker leaks into the page."""
    for html in (render("A claim [@daly2019].", bibfile), render("[@*]\n", bibfile)):
        assert "<em>JAMA Psychiatry</em>" in html
        assert '<a href="https://doi.org/10.1001/jamapsychiatry.2019.1189">' in html
        assert "wzxhzdk" not in html and "\x02" not in html
        assert "*JAMA" not in html and "](" not in html


def test_an_edited_bib_file_shows_on_the_next_build(bibfile: Path) -> None:
    assert "Relapse Prevention" in render("A claim [@daly2019].", bibfile)
    bibfile.write_text(BIB.replace("Relapse Prevention", "Staying Well"), encoding="utf-8")
    stat = bibfile.stat()  # a new modification time, even on coarse-clock file systems
    os.utime(bibfile, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    html = render("A claim [@daly2019].", bibfile)
    assert "Staying Well" in html and "Relapse Prevention" not in html


def test_faq_schema_only_on_opted_in_pages(bibfile: Path) -> None:
    text = (
        "# Questions { .faq }\n\n## Does it last?\n\nOften a week [@daly2019].\n\n## Notes\n\nx\n"
    )
    html = render(text, bibfile)
    payload = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(payload)
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Does it last?",
            "acceptedAnswer": {"@type": "Answer", "text": "Often a week."},
        }
    ]
    assert "ld+json" not in render(text.replace(" { .faq }", ""), bibfile)


def test_abbreviation_is_marked_up_once_per_page() -> None:
    md = markdown.Markdown(extensions=["abbr", "ketamine_site.abbr_once"])
    html = md.convert(
        "TRD is common. Treating TRD is hard.\n\n- Also TRD here, and IV too.\n\n"
        "*[TRD]: Treatment-resistant depression\n*[IV]: Intravenous"
    )
    assert html.count("<abbr") == 2
    assert '<abbr title="Treatment-resistant depression">TRD</abbr> is common.' in html
    assert "Treating TRD is hard." in html and "Also TRD here, and" in html
    assert '<abbr title="Intravenous">IV</abbr> too.' in html


def test_permalinks_and_jump_back_links_are_named_without_a_title() -> None:
    html = markdown.Markdown(
        extensions=["toc", "footnotes", "ketamine_site.abbr_once"],
        extension_configs={"toc": {"permalink": True, "permalink_title": "Link to this section"}},
    ).convert("## Heading\n\nA claim[^a].\n\n[^a]: A source.")
    assert 'aria-label="Link to this section"' in html
    assert 'aria-label="Jump back to footnote 1 in the text"' in html
    assert "title=" not in html


def test_keys_match_whatever_their_case_one_footnote_per_source(bibfile: Path) -> None:
    html = render("First [@Daly2019]. Again [@DALY2019; @daly2019].", bibfile)
    assert html.count('class="footnote-ref"') == 2  # two citations of one source
    assert len(re.findall(r'<li id="fn:daly2019"', html)) == 1


def test_an_entry_without_a_title_stops_the_build_with_its_line(tmp_path: Path) -> None:
    """pybtex's own FieldIsMissing would be a traceback; the build says which entry and line."""
    bibfile = tmp_path / "references.bib"
    bibfile.write_text(
        BIB.replace(
            "  title = {Esketamine Nasal Spray for Relapse Prevention in "
            "{Treatment-Resistant} Depression},\n",
            "",
        ),
        encoding="utf-8",
    )
    with pytest.raises(CitationError) as error:
        render("A claim [@daly2019].", bibfile)
    assert f"{bibfile}:2: the entry 'daly2019' has no `title`" in str(error.value)
