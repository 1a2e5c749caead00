"""The project's foundation: pins, the strict build, both engines, template output."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from packaging.requirements import Requirement
from packaging.version import Version

from _support import BIN, ENV, ROOT, run
from ketamine_site import bibliography

CONTENT_PAGES = [
    "",
    "how-ketamine-works/",
    "what-affects-duration/",
    "research/",
    "faq/",
    "safety/",
    "treatment/",
    "get-help-now/",
    "glossary/",
    "references/",
    "changes/",
    "about/",
]


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def front_matter(md: Path) -> dict[str, object]:
    text = md.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


# --- pins and lock ----------------------------------------------------------------------


LOCKS = ("requirements.txt", "requirements-docs.txt")


def locked(name: str = "requirements.txt") -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_package_has_a_hash(name: str) -> None:
    text = (ROOT / name).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    pinned = [b for b in blocks if re.match(r"^[A-Za-z0-9_.\-]+==", b)]
    assert pinned, f"{name} pins nothing"
    missing = [b.split()[0] for b in pinned if "--hash=sha256:" not in b]
    assert not missing, f"{name}: locked without a hash: {missing}; run `make lock`"
    assert "file://" not in text, f"{name} locks a local path; run `make lock`"


def test_the_docs_lock_is_the_docs_group_at_the_same_versions() -> None:
    """The deploy installs requirements-docs.txt alone: it must hold what the build and the
    CSP step need, at the versions CI tested, and none of the test or lint tools."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    docs, everything = locked("requirements-docs.txt"), locked()
    needed = [*project["dependencies"], *project["optional-dependencies"]["docs"]]
    missing = [r for r in needed if Requirement(r).name.lower() not in docs]
    assert not missing, f"requirements-docs.txt lacks {missing}; run `make lock`"
    differ = {k: (v, everything.get(k)) for k, v in docs.items() if everything.get(k) != v}
    assert not differ, f"the two locks pin different versions: {differ}; run `make lock`"
    assert not {"pytest", "ruff", "mypy", "playwright"} & set(docs)


def test_the_build_imports_no_tooling() -> None:
    """What `mkdocs build` imports (ketamine_site) never imports ketamine_tools."""
    import ast

    offenders = []
    for path in sorted((ROOT / "src" / "ketamine_site").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("ketamine_tools")]
    assert not offenders


def test_pins_keep_the_supported_stack() -> None:
    pins = locked()
    assert Version(pins["mkdocs"]) < Version("2"), "MkDocs 2.0 drops plugins and themes"
    assert Version(pins["mkdocs"]) >= Version("1.6.1")
    assert Version("9.8.2") <= Version(pins["mkdocs-material"]) < Version("10")
    assert Version("13.1.2") <= Version(pins["pymdown-extensions"]) < Version("14")
    assert Version(pins["click"]) >= Version("8.4"), "live reload is broken with older Click"


def test_declared_ranges_cannot_resolve_to_mkdocs_2() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = {Requirement(r).name: Requirement(r) for r in project["dependencies"]}
    assert not reqs["mkdocs"].specifier.contains("2.0.0", prereleases=True)
    assert not reqs["mkdocs-material"].specifier.contains("10.0.0")
    assert not reqs["click"].specifier.contains("8.3.1")


# --- the build --------------------------------------------------------------------------


def test_strict_build_prints_no_warning(tmp_path: Path) -> None:
    result = run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "s")])
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout


def test_every_page_builds_at_its_url(built_site: Path) -> None:
    for url in CONTENT_PAGES:
        assert (built_site / url / "index.html").is_file(), f"/{url} was not built"
    assert (built_site / "robots.txt").is_file()
    assert (built_site / "sitemap.xml").is_file()


@pytest.mark.slow
def test_zensical_builds_every_page_of_the_mkdocs_build(
    built_site: Path, project_copy: Path
) -> None:
    """Material's successor builds the unchanged mkdocs.yml and every page."""
    shutil.copy(ROOT / "pyproject.toml", project_copy / "pyproject.toml")
    result = run([str(BIN / "zensical"), "build"], cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    zsite = project_copy / "site"
    mkdocs_pages = {p.relative_to(built_site) for p in built_site.rglob("index.html")}
    zensical_pages = {p.relative_to(zsite) for p in zsite.rglob("index.html")}
    assert mkdocs_pages <= zensical_pages, f"missing in Zensical: {mkdocs_pages - zensical_pages}"
    # Our Markdown extensions ran there too: citations became footnotes.
    research = (zsite / "research" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in research and "[@" not in research
    # The page foot too: history, report links, citation, reviewer (tests/test_changes.py).
    for marker in ('class="page-history"', "page-feedback__report", "cite-page__text"):
        assert marker in research, f"Zensical's research page lacks {marker}"
    assert "not yet been reviewed by a clinician" in research
    changes = (zsite / "changes" / "index.html").read_text(encoding="utf-8")
    assert "[changes]" not in changes and 'class="change-tag"' in changes


# --- what every page carries ------------------------------------------------------------


def test_every_page_links_to_urgent_help(built_site: Path) -> None:
    for page in built_site.rglob("index.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        link = html.select_one(".md-banner .urgent-help a")
        assert link is not None and link.get_text(strip=True) == "Get help now", page
        target = (page.parent / str(link["href"]) / "index.html").resolve()
        assert target == (built_site / "get-help-now" / "index.html").resolve(), page


def test_review_dates_come_from_front_matter(built_site: Path) -> None:
    for url in CONTENT_PAGES:
        md = ROOT / "docs" / (f"{url.rstrip('/') or 'index'}.md")
        meta = front_matter(md)
        page = soup(built_site, url)
        review = page.select_one(".page-review")
        assert review is not None, f"/{url} does not show its review dates"
        # Then, where front matter has them, when the evidence was searched and who checked it.
        times = [t["datetime"] for t in review.select("time")]
        assert times[:2] == [str(meta["reviewed"]), str(meta["next_review"])], url
        assert (
            "Page last reviewed:" in review.get_text() and "Next review due:" in review.get_text()
        )


def test_json_ld_medical_web_page(built_site: Path) -> None:
    for url in CONTENT_PAGES:
        page = soup(built_site, url)
        blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
        medical = [b for b in blocks if b.get("@type") == "MedicalWebPage"]
        assert len(medical) == 1, f"/{url}: expected one MedicalWebPage"
        data = medical[0]
        meta = front_matter(ROOT / "docs" / f"{url.rstrip('/') or 'index'}.md")
        assert data["lastReviewed"] == str(meta["reviewed"])
        assert data["description"] == meta["description"]
        assert data["url"].endswith(f"/{url}") and data["inLanguage"] == "en"
        assert data["isPartOf"]["@type"] == "WebSite"


def test_faq_page_json_ld_lists_every_question(built_site: Path) -> None:
    page = soup(built_site, "faq/")
    blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    faq = [b for b in blocks if b.get("@type") == "FAQPage"]
    assert len(faq) == 1
    questions = [q["name"] for q in faq[0]["mainEntity"]]
    headings = [
        h.get_text(" ", strip=True).removesuffix("¶").strip()
        for h in page.select("article h2, article h3")
    ]
    assert questions == [h for h in headings if h.endswith("?")]
    assert len(questions) >= 16, "the seed's ten questions plus those readers also ask"
    assert all(q["acceptedAnswer"]["text"] for q in faq[0]["mainEntity"])


def test_social_meta_and_canonical(built_site: Path) -> None:
    page = soup(built_site, "research/")
    canonical = page.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"].endswith("/research/")
    for prop in ("og:title", "og:description", "og:url"):
        assert page.select_one(f'meta[property="{prop}"]')["content"]
    for name in ("twitter:card", "twitter:title", "twitter:description"):
        assert page.select_one(f'meta[name="{name}"]')["content"]


def test_no_asset_is_loaded_from_another_host(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for elem in html.find_all(tag):
                value = str(elem.get(attr) or "")
                if tag == "link" and "stylesheet" not in (elem.get("rel") or []):
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{page}: {tag} loads {value}"


def test_the_text_comes_before_any_script_is_fetched(built_site: Path) -> None:
    """Every script file is asked for after the article, and none from the head: the browser
    draws the whole page while it waits for the first one (overrides/main.html, issue 15)."""
    for page in sorted(built_site.glob("**/index.html")):
        url = page.parent.relative_to(built_site).as_posix().removeprefix(".")
        html = soup(built_site, url)
        preloads = [
            link
            for link in html.find_all("link")
            if {"preload", "modulepreload"} & set(link.get("rel") or [])
            and link.get("as") in (None, "script")
        ]
        assert not preloads, f"{url or '/'}: scripts preloaded from the head: {preloads}"
        article = html.find("article")
        assert article is not None
        for script in html.find_all("script", src=True):
            assert article in script.find_all_previous("article"), (
                f"{url or '/'}: {script['src']} is fetched before the article"
            )


# --- citations --------------------------------------------------------------------------


def test_citations_become_footnotes_with_the_reference(built_site: Path) -> None:
    page = soup(built_site, "research/")
    refs = page.select("sup[id^='fnref'] a.footnote-ref")
    assert refs, "the research page cites nothing"
    notes = page.select(".footnote li")
    assert notes and all(n.select("a[href^='https://']") for n in notes)
    assert "[@" not in page.get_text()


def test_no_citation_is_left_unrendered(built_site: Path) -> None:
    for page in built_site.rglob("index.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for code in html.select("code, pre"):
            code.decompose()
        assert "[@" not in html.get_text(), f"{page}: a citation was not turned into a footnote"


def test_references_page_lists_every_entry_grouped(built_site: Path) -> None:
    bib = bibliography.load(ROOT / "docs" / "references.bib")
    page = soup(built_site, "references/")
    listed = {str(s["id"]).removeprefix("ref-") for s in page.select("span[id^='ref-']")}
    assert listed == set(bib.keys)
    assert len(page.select("article h2")) >= 3


def test_unknown_citation_key_stops_the_build(project_copy: Path) -> None:
    research = project_copy / "docs" / "research.md"
    lines = research.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append("A claim with a mistyped source [@daly2091].")
    research.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project_copy)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"docs/research.md:{len(lines)}" in output
    assert "unknown citation key 'daly2091'" in output
    assert "Traceback" not in output
    assert output.count("unknown citation key 'daly2091'") == 1  # said once, not twice


def test_unknown_key_in_a_snippet_names_the_snippet(project_copy: Path) -> None:
    snippet = project_copy / "includes" / "timeline.md"
    text = (
        snippet.read_text(encoding="utf-8").rstrip("\n") + "\n\nA mistyped source [@coyle2051].\n"
    )
    snippet.write_text(text, encoding="utf-8")
    result = run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"includes/timeline.md:{text.count(chr(10))}" in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("mistake", "where", "words"),
    [
        ("bib syntax", "docs/references.bib:", "BibTeX syntax error"),
        ("duplicate key", "docs/references.bib:", "is used by two entries"),
        ("missing snippet", "docs/index.md:", "the snippet 'no-such-snippet.md' does not exist"),
        # Outside includes/: pymdownx.snippets refuses it with a traceback of its own.
        ("snippet outside", "docs/index.md:", "the snippet '../mkdocs.yml' does not exist"),
        ("absolute snippet", "docs/index.md:", "the snippet '/etc/hostname' does not exist"),
    ],
)
def test_contributor_mistakes_stop_the_build_with_one_clean_message(
    project_copy: Path, mistake: str, where: str, words: str
) -> None:
    bib = project_copy / "docs" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    if mistake == "bib syntax":
        bib.write_text(text + "\n@article{broken2026,\n  title = {Unclosed\n  year = {2026},\n}\n")
    elif mistake == "duplicate key":
        first = text[text.index("@") : text.index("\n}\n") + 3]
        bib.write_text(text + "\n" + first, encoding="utf-8")
        # The second entry's own line (the build said the line before it once).
        where = f"docs/references.bib:{(text + chr(10)).count(chr(10)) + 1}:"
    else:
        name = words.split("'")[1]
        page = project_copy / "docs" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + f'\n--8<-- "{name}"\n')
    result = run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert where in output and words in output, output
    assert "Traceback" not in output
    assert output.count(words) == 1


# --- preview ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_an_edited_page_with_live_reload(project_copy: Path) -> None:
    port = free_port()
    cmd = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    proc = subprocess.Popen(
        cmd, cwd=project_copy, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/ketamine-relief-site/faq/"
        deadline = time.monotonic() + 60
        html = ""
        while time.monotonic() < deadline:
            try:
                html = fetch(url)
                break
            except OSError:
                time.sleep(0.3)
        assert "livereload" in html, "mkdocs serve did not inject the live-reload script"
        faq = project_copy / "docs" / "faq.md"
        faq.write_text(faq.read_text(encoding="utf-8") + "\nMarker-7c1e.\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Marker-7c1e" not in html:
            time.sleep(0.3)
            html = fetch(url)
        assert "Marker-7c1e" in html, "the edit never reached the served page"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- `make test` finds or installs its own Chromium ---------------------------------------


def test_chromium_path_wins_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ketamine_tools import localsite

    binary = tmp_path / "chrome"
    binary.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(binary))
    assert localsite.find_chromium() == binary


def test_no_chromium_and_no_way_to_install_one_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from ketamine_tools import localsite

    monkeypatch.setattr(localsite, "find_chromium", lambda: None)
    monkeypatch.setattr(localsite, "_can_use_apt", lambda: None)
    monkeypatch.setattr(
        localsite.subprocess,
        "run",
        lambda cmd, **_: subprocess.CompletedProcess(cmd, 1, "", "no network"),
    )
    assert localsite.ensure_chromium() == 1
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0  # one line
    assert "sudo apt-get install chromium" in out and "playwright install chromium" in out


def test_the_sources_list_says_how_long_its_text_is(built_site: Path) -> None:
    """site.css sizes the space the undrawn list keeps from `data-text-length`: it must be the
    text a reader sees (stashed references in, the extension's markers out)."""
    checked = 0
    for page in sorted(built_site.rglob("index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for sources in soup.select("div.footnote"):
            text = " ".join(sources.get_text().split())
            assert sources.get("data-text-length") == str(len(text)), page
            checked += 1
    assert checked >= 10


def test_cite_this_page_reads_as_a_citation(built_site: Path) -> None:
    """NLM style: "Title. In: Site [Internet]. ..."; the home page is the site itself, and a
    title ending in "?" takes no full stop."""
    site_name = soup(built_site, "").select_one(".cite-page__text")
    assert site_name is not None
    assert site_name.get_text().startswith(
        "How long does ketamine last for depression? [Internet]."
    )
    for page in sorted(built_site.glob("**/index.html")):
        url = page.parent.relative_to(built_site).as_posix().removeprefix(".")
        cite = soup(built_site, url).select_one(".cite-page__text")
        if cite is None:
            continue
        text = cite.get_text()
        assert not re.search(r"[?!.]\.", text.split(" Available from:")[0]), f"/{url}: {text}"
        assert text.count("[Internet]") == 1, f"/{url}: {text}"
