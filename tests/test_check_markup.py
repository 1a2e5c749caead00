"""markup: images exist and have alt text; no active content; external links use https."""

from __future__ import annotations

from pathlib import Path

import pytest

from _check_support import append, check, make_repo

BROKEN = {
    "missing image": ("![A chart](assets/chart.png)", "does not exist"),
    "no alt text": ("![](assets/logo.svg)", "no alt text"),
    "html img without alt": ('<img src="assets/logo.svg">', "no alt text"),
    "script": ("<script>alert(1)</script>", "raw <script>"),
    "iframe": ('<iframe src="https://example.org/"></iframe>', "raw <iframe>"),
    "object": ('<object data="x.swf"></object>', "raw <object>"),
    "embed": ('<embed src="x.swf">', "raw <embed>"),
    "event handler": ('<span onclick="go()">Tap</span>', "inline event handler onclick="),
    "javascript url": ("[Tap](javascript:go())", "javascript: address"),
    "http link": ("[A study](http://example.org/study)", "must use https://"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_unsafe_markup_on_a_page(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    text, message = BROKEN[case]
    line = append(repo / "docs" / "index.md", f"\n{text}\n") + 1
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line}", message)


def test_unsafe_markup_in_a_snippet(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "includes" / "abbreviations.md", '<b onmouseover="x()">TRD</b>\n')
    result = check(repo, "markup")
    assert result.has(f"includes/abbreviations.md:{line}", "onmouseover=")


def test_decorative_image_and_absolute_path_are_fine(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    append(
        repo / "docs" / "index.md",
        '\n<img src="/assets/logo.svg" alt="" role="presentation">\n\n![Logo](/assets/logo.svg)\n',
    )
    assert check(repo, "markup").code == 0


def test_an_abbreviation_defined_twice_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    abbreviations = repo / "includes" / "abbreviations.md"
    first = append(abbreviations, "*[ZQX]: A made-up term\n")
    line = append(abbreviations, "*[ZQX]: Another meaning\n")
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"includes/abbreviations.md:{line}", "defined again", f":{first})")


TABLE = "| Study | People | Relapse |\n| --- | ---: | --- |\n"


@pytest.mark.parametrize(
    ("rows", "bad_row", "message"),
    [
        ("| SUSTAIN-1 | 297 | 26 in 100 | extra note |\n", 0, "the last 1 would not be shown"),
        ("| A | 10 | fine |\n| SUSTAIN-1 | 297 |\n", 1, "readers would see empty cells"),
        ("| A | 10 | a `x | y` b | c |\n", 0, "has 4 cells but the header has 3"),
    ],
    ids=["extra cell", "missing cell", "pipe outside code"],
)
def test_a_table_row_that_does_not_fit_its_header(
    tmp_path: Path, rows: str, bad_row: int, message: str
) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "index.md", f"\n{TABLE}{rows}")
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line + 3 + bad_row}", message), result.output


def test_table_rows_that_fit_pass(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    rows = "| A | 10 | `x | y` |\n| B \\| C | 2 | 3 |\nA | b | c\n\nNot a table | at all\n"
    append(repo / "docs" / "index.md", f"\n{TABLE}{rows}\n---\n\nText | after a rule.\n")
    result = check(repo, "markup")
    assert result.code == 0, result.output


def test_a_footnote_no_sentence_points_to(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(
        repo / "docs" / "index.md",
        "\nUsed here[^a].\n\n[^a]: Shown.\n[^lost]: Never shown to readers.\n",
    )
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line + 4}", "[^lost] is not used", "[@key]")
    assert "[^a]" not in result.output


def test_an_image_too_big_for_phones(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "assets" / "photo.png").write_bytes(b"\x89PNG" + b"\0" * 300 * 1024)
    line = append(repo / "docs" / "index.md", "\n![A clinic room](assets/photo.png)\n") + 1
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line}", "is 300 KB", "at most 200 KB")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('!!! dangerr "Call now"\n    Call 988.', "the box type 'dangerr' does not exist"),
        ("??? warnings\n    Text.", "'warnings' does not exist"),
        ("A pooled result[^alpha2020].\n\n[^alpha2020]: It pooled 21 studies.", "[@alpha2020]"),
        ("Read [Safety](/safety/) first.", "(/safety/) is a web address"),
        ("Read [the FAQ](../faq/#addiction).", "link to its Markdown file"),
    ],
    ids=["box type", "collapsed box type", "footnote named as a source", "absolute", "relative"],
)
def test_markup_that_builds_but_is_not_what_was_meant(
    tmp_path: Path, text: str, message: str
) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "docs" / "index.md", f"\n{text}\n") + 1
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"docs/index.md:{line}", message), result.output


def test_boxes_and_links_as_meant_pass(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    text = (
        '\n!!! danger "Call now"\n    Call 988.\n\n???+ note\n    More.\n\n'
        "See [Safety](research.md#x), [a site](https://example.org/a/) and [^own].\n\n"
        "[^own]: My own note.\n"
    )
    append(repo / "docs" / "index.md", text)
    result = check(repo, "markup")
    assert result.code == 0, result.output


def test_an_abbreviation_line_without_its_colon(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = append(repo / "includes" / "abbreviations.md", "*[SNRI] Serotonin reuptake\n")
    result = check(repo, "markup")
    assert result.code == 1
    assert result.has(f"includes/abbreviations.md:{line}", "not an abbreviation line")
