"""structure: one `#` heading, no skipped level, some text, read from the built pages and
traced to the Markdown line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _check_support import add_to_built_page, append, check, make_repo
from _support import build

HTML = "site/research/index.html"


def test_a_skipped_level_is_named_at_its_heading(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = add_to_built_page(
        repo, "\n#### Dose timing\n\nText.\n", '<h4 id="dose">Dose timing</h4>'
    )
    result = check(repo, "structure")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line + 1}", "Dose timing", "a level is skipped", "`###`")


def test_a_second_top_level_heading_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = add_to_built_page(repo, "\n# More research\n", '<h1 id="more">More research</h1>')
    result = check(repo, "structure")
    assert result.has(f"docs/research.md:{line + 1}", "second top-level heading", "`##`")


def test_a_page_without_text_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    built = repo / HTML
    text = built.read_text(encoding="utf-8")
    start = text.index("<article")
    end = text.index("</article>")
    built.write_text(
        text[:start]
        + '<article class="md-content__inner md-typeset"><h1>Research</h1>'
        + text[end:],
        encoding="utf-8",
    )
    result = check(repo, "structure")
    assert result.has("docs/research.md", "almost no text")


@pytest.mark.slow
def test_the_real_build_is_read_and_traced(tmp_path: Path, project_copy: Path) -> None:
    """The same on what MkDocs and our templates write, with the page-tools boxes ignored."""
    page = project_copy / "docs" / "glossary.md"
    line = append(page, "\n#### A skipped level here\n\nSome words.\n") + 1
    site = tmp_path / "site"
    assert build(site, cwd=project_copy).returncode == 0
    result = check(project_copy, "structure", site=site)
    assert result.code == 1
    assert result.has(f"docs/glossary.md:{line}", "A skipped level here", "a level is skipped")
    assert len(result.findings) == 1, result.output
    shutil.rmtree(site)


@pytest.mark.parametrize(
    ("markdown", "html", "words"),
    [
        ("\n## 2\n\nText.\n", '<h2 id="_1">2</h2><p>Text.</p>', ("has no words",)),
        (
            "\n:warning: Call 988 now.\n",
            "<p>:warning: Call 988 now.</p>",
            ('":warning:"', "shortcodes"),
        ),
        (
            "\n## Again {#single-infusion}\n",
            '<h2 id="single-infusion">Again</h2>',
            ("the id", "single-infusion"),
        ),
        (
            '\n!!! danger "If you are thinking about ending your life"\n  Go now.\n',
            '<div class="admonition danger"><p class="admonition-title">If you are thinking '
            "about ending your life</p></div><p>Go now.</p>",
            ("is empty", "Indent every line"),
        ),
        ("\nWorse later[^1].\n", "<p>Worse later[^1].</p>", ("footnote with no definition",)),
        ("\n<!-- editor: check\n", "<p>&lt;!-- editor: check</p>", ("not closed",)),
        (
            "\n--8<-- \u201cclaims/course.md\u201d\n",
            "<p>--8&lt;-- \u201cclaims/course.md\u201d</p>",
            ("snippet line",),
        ),
        (
            "\n## Relapse after a course [@daly2019]\n",
            '<h2 id="relapse">Relapse after a course <sup id="fnref:daly2019"><a '
            'class="footnote-ref" href="#fn:daly2019">3</a></sup></h2>',
            ("cites a source", "Cite it in the text"),
        ),
        (
            "\nSee https://example.org/ketamine for more.\n",
            "<p>See https://example.org/ketamine for more.</p>",
            ("https://example.org/ketamine", "cannot click", "[@key]"),
        ),
        (
            "\nSome text, then www.example.org.\n",
            "<p>Some text, then www.example.org.</p>",
            ("www.example.org", "cannot click"),
        ),
        (
            "\nFor the helplines, [click here](get-help-now.md).\n",
            '<p>For the helplines, <a href="../get-help-now/">click here</a>.</p>',
            ('"click here"', "screen"),
        ),
        (
            "\nThe label says so ([more](safety.md)).\n",
            '<p>The label says so (<a href="../safety/">more</a>).</p>',
            ('"more"',),
        ),
    ],
    ids=[
        "heading without words",
        "emoji shortcode",
        "duplicate id",
        "empty box",
        "footnote",
        "comment",
        "snippet",
        "citation in heading",
        "bare address",
        "bare www",
        "click here",
        "more",
    ],
)
def test_markup_that_reached_readers_broken_is_named(
    tmp_path: Path, markdown: str, html: str, words: tuple[str, ...]
) -> None:
    repo = make_repo(tmp_path)
    line = add_to_built_page(repo, markdown, html)
    result = check(repo, "structure")
    assert result.code == 1
    assert result.has(f"docs/research.md:{line + 1}", *words), result.output


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        (
            "\nCall [988](tel:988) or see [the 988 Lifeline](https://988lifeline.org/) and "
            "`https://x`.\n",
            '<p>Call <a href="tel:988">988</a> or see <a href="https://988lifeline.org/">'
            "https://988lifeline.org/</a> and <code>https://x</code>.</p>",
        ),
        (
            "\n## 988 Suicide & Crisis Lifeline\n\nOpen 09:00:00 to 17:30, ratio 1:2:3.\n",
            '<h2 id="l">988 Suicide &amp; Crisis Lifeline</h2><p>Open 09:00:00 to 17:30, ratio '
            "1:2:3.</p>",
        ),
    ],
    ids=["links with words, addresses in links and code", "numbers in headings, colons"],
)
def test_markup_as_meant_passes(tmp_path: Path, markdown: str, html: str) -> None:
    repo = make_repo(tmp_path)
    add_to_built_page(repo, markdown, html)
    result = check(repo, "structure")
    assert result.code == 0, result.output


def test_text_from_a_data_file_is_named_at_its_line(tmp_path: Path) -> None:
    """The evidence map's rows come from YAML in includes/: a finding there names that file."""
    repo = make_repo(tmp_path)
    data = repo / "includes" / "evidence.yml"
    data.write_text("- name: A trial\n  result: See https://example.org/trial for more\n")
    add_to_built_page(
        repo, "", "<table><tr><td>See https://example.org/trial for more</td></tr></table>"
    )
    result = check(repo, "structure")
    assert result.code == 1
    assert result.has("includes/evidence.yml:2", "https://example.org/trial"), result.output
