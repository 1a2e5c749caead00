"""helplines: a tel: link dials what it shows, other pages give the Get help now page's
numbers, and that page stays open and searchable (read from the built pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import add_to_built_page, check, edit, make_repo

CRISIS_MD = """---
title: Get help now
description: Free crisis lines you can call or text now, day or night, in five countries.
reviewed: 2026-11-01
next_review: 2027-05-01
---

# Get help now

- Call or text [988](tel:988), day or night.
- Call Samaritans on [116 123](tel:116123).
"""
CRISIS_HTML = (
    '<html><body><article class="md-content__inner md-typeset"><h1>Get help now</h1>'
    '<ul><li>Call or text <a href="tel:988">988</a>, day or night.</li>'
    '<li>Call Samaritans on <a href="tel:116123">116 123</a>.</li></ul>{extra}'
    "</article></body></html>"
)


def crisis_repo(tmp_path: Path, markdown: str = "", html: str = "") -> Path:
    repo = make_repo(tmp_path)
    (repo / "docs" / "get-help-now.md").write_text(CRISIS_MD + markdown, encoding="utf-8")
    built = repo / "site" / "get-help-now" / "index.html"
    built.parent.mkdir()
    built.write_text(CRISIS_HTML.replace("{extra}", html), encoding="utf-8")
    return repo


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        (
            "\nIf you feel unsafe, call or text 988 (US) or call 116 123 (UK) [@a].\n",
            "<p>If you feel unsafe, call or text 988 (US) or call 116 123 (UK)"
            '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">19</a></sup>, since 2022.</p>',
        ),
        # Numbers that are not written like phone numbers, and cells side by side.
        (
            "\nSee the table.\n",
            "<p>Between 2019 and 2021, 1,211 people; scores of 5, 10, 15 and 20; 0.5 mg/kg; "
            "PHQ-9 10 or more; 2019-2020; in 2021 118 people; NCT03185819; 25.8% vs 57.6%; "
            "on 2026-12-01.</p>"
            "<table><tr><td>2019</td><td>116</td><td>123</td></tr></table>",
        ),
    ],
)
def test_the_numbers_as_they_are_pass(tmp_path: Path, markdown: str, html: str) -> None:
    repo = crisis_repo(tmp_path)
    add_to_built_page(repo, markdown, html)
    result = check(repo, "helplines")
    assert result.code == 0, result.output


def test_a_link_that_dials_another_number(tmp_path: Path) -> None:
    repo = crisis_repo(tmp_path)
    line = add_to_built_page(
        repo,
        "\nCall Samaritans on [116 123](tel:116132).\n",
        '<p>Call Samaritans on <a href="tel:116132">116 123</a>.</p>',
    )
    result = check(repo, "helplines")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line + 1}", 'shows "116 123" but dials "tel:116132"')


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Call Samaritans on 116 132.", "116132"),
        ("Text 741 742.", "741742"),
        # No calling word: written the way a phone number is.
        ("Samaritans (UK): 116 132, free, day or night.", "116132"),
        ("Lifeline Australia 13 11 41.", "131141"),
        ("The old US line, 1-800-273-8256, now connects to 988.", "18002738256"),
    ],
)
def test_a_number_that_is_not_on_the_crisis_page(tmp_path: Path, text: str, number: str) -> None:
    repo = crisis_repo(tmp_path)
    line = add_to_built_page(repo, f"\n{text}\n", f"<p>{text}</p>")
    result = check(repo, "helplines")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line + 1}", f"the number {number}", "Get help now")


def test_the_crisis_page_kept_out_of_search(tmp_path: Path) -> None:
    repo = crisis_repo(tmp_path)
    edit(repo / "docs" / "get-help-now.md", "---\n\n#", "search:\n  exclude: true\n---\n\n#")
    result = check(repo, "helplines")
    assert result.has("docs/get-help-now.md:1", "out of the site search")


def test_a_closed_box_on_the_crisis_page(tmp_path: Path) -> None:
    repo = crisis_repo(
        tmp_path,
        '\n??? danger "Call an emergency number now if"\n    you have taken an overdose.\n',
        '<details class="danger"><summary>Call an emergency number now if</summary>'
        "<p>you have taken an overdose.</p></details>",
    )
    result = check(repo, "helplines")
    assert result.code == 1
    line = CRISIS_MD.count("\n") + 2
    assert result.has(f"docs/get-help-now.md:{line}", "closed until clicked", "`!!!`")


def test_a_number_next_to_the_helplines_own_page_passes(tmp_path: Path) -> None:
    """Not a crisis line, so not on Get help now: the paragraph cites the helpline's own page."""
    repo = crisis_repo(tmp_path)
    bib = repo / "docs" / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@misc{samhsa-helpline,\n  title = {SAMHSA's National Helpline},\n"
        "  url = {https://www.samhsa.gov/find-help/national-helpline},\n  kind = {helpline},\n"
        "  group = {Trials},\n  note = {Seen at the helpline's page.}\n}\n",
        encoding="utf-8",
    )
    text = "SAMHSA's National Helpline is open day and night on 1-800-662-4357"
    paragraph = (
        f'<p>{text}<sup id="fnref:samhsa-helpline"><a class="footnote-ref" '
        'href="#fn:samhsa-helpline">3</a></sup>.</p>'
    )
    add_to_built_page(repo, f"\n{text} [@samhsa-helpline].\n", paragraph)
    assert check(repo, "helplines").code == 0, check(repo, "helplines").output
    # The same number cited to a source of another kind still needs Get help now.
    edit(bib, "kind = {helpline}", "kind = {news}")
    result = check(repo, "helplines")
    assert result.code == 1
    assert result.has("docs/research.md", "the number 18006624357", "kind = {helpline}")
