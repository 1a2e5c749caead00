"""docs/references.bib entries are well formed and used; no citation reaches a page as text.

Unknown keys are the strict build's rule (ketamine_site.citations), not this check's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup
from pybtex.database import Entry
from pybtex.exceptions import PybtexError

from ketamine_site import bibliography
from ketamine_site.citation_syntax import KEY, KEY_RE, iter_citation_keys
from ketamine_tools.check.core import Finding, Repo, page_source

NAME = "citations"
SUMMARY = (
    "bib entries have a valid DOI/PMID/https url, note, group and kind; all used; none shown raw"
)

BIBFILE = "docs/references.bib"
SAFE_URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s\"'<>\\`]*)?$")
YEAR_RE = re.compile(r"^\d{4}$")
# Fields of biblatex (what Zotero and others export) and what this site's BibTeX style reads.
BIBLATEX = {"journaltitle": "journal", "date": "year", "urldate": "a line in `note`"}
IDENTIFIERS = "a `doi = {10.NNNN/...}`, a `pmid = {12345678}` or a `url = {https://...}`"


def check_entry(key: str, entry: Entry, this_year: int = 9999) -> Iterator[str]:
    """Problems of one entry, each with its fix."""
    fields = {name.lower(): str(value).strip() for name, value in entry.fields.items()}
    doi, pmid, url = fields.get("doi", ""), fields.get("pmid", ""), fields.get("url", "")
    valid = False
    if not fields.get("title"):
        yield (
            "the entry has no `title`. Add `title = {...}` with the source's title as "
            "published (every reference shows it)."
        )
    for biblatex, bibtex in BIBLATEX.items():
        if biblatex in fields:
            yield (
                f"`{biblatex}` is a biblatex field that this site's references do not show "
                f"(an export from a reference manager?). Write it as `{bibtex}`."
            )
    year = fields.get("year", "")
    if year and not (YEAR_RE.match(year) and int(year) <= this_year):
        yield (
            f"the year {year!r} must be the year of publication, four digits and not in the "
            f"future, e.g. `year = {{2019}}`."
        )
    if doi and doi[-1] in ".,;:":
        yield (
            f"the doi {doi!r} ends with {doi[-1]!r}, so its link goes nowhere. Remove the "
            "punctuation after the DOI."
        )
    elif doi:
        if bibliography.DOI_RE.match(doi):
            valid = True
        else:
            yield (
                f"the doi {doi!r} is not a DOI. Write only the DOI itself, starting with "
                "10. and a slash after the registrant, e.g. `doi = {10.1056/NEJMoa1234567}` "
                "(no https://doi.org/ in front)."
            )
    if pmid:
        if bibliography.PMID_RE.match(pmid):
            valid = True
        else:
            yield f"the pmid {pmid!r} must be digits only, e.g. `pmid = {{31166571}}`."
    pmcid = fields.get("pmcid", "")
    if pmcid and not bibliography.PMCID_RE.match(pmcid):
        yield f"the pmcid {pmcid!r} must be PMC and digits only, e.g. `pmcid = {{PMC6551577}}`."
    if url:
        if not url.startswith("https://"):
            yield f"the url {url!r} must start with https://. Use the https address."
        elif not SAFE_URL_RE.match(url):
            yield (
                f"the url {url!r} has characters an address cannot hold (spaces, quotes, < > "
                "or a backslash) or no host. Copy the address from the browser's address bar; "
                "write a space as %20."
            )
        else:
            valid = True
    if not KEY_RE.match(key):
        yield (
            f"the key {key!r} may use only letters, digits and _ : . - (starting with a letter "
            "or digit). Rename it, and the [@...] citations that use it."
        )
    if not valid and not (doi or pmid or url):
        yield (
            f"the entry has no DOI, PMID or url. Add {IDENTIFIERS} so readers can find the source."
        )
    if not fields.get("note"):
        yield (
            "the entry has no `note`. Add `note = {Seen at <address or evidence file> on "
            "<date>}` saying where the source was seen (shared/evidence/ or a primary source)."
        )
    yield from check_kind(fields)
    if not fields.get("group"):
        yield (
            "the entry has no `group`. Add `group = {...}` with one of the headings of the "
            "references page (mkdocs.yml, ketamine_site.citations: group_order)."
        )


def check_kind(fields: dict[str, str]) -> Iterator[str]:
    """`kind`, `n` and `funding`: what readers see next to the reference."""
    kinds = ", ".join(bibliography.KINDS)
    kind = fields.get("kind", "")
    if not kind:
        yield (
            "the entry has no `kind`. Add `kind = {...}` with the kind of source it is, one "
            f"of: {kinds} (readers see it in plain words next to the reference)."
        )
    elif kind not in bibliography.KINDS:
        yield f"the kind {kind!r} is not one of the fixed list. Use one of: {kinds}."
    n = fields.get("n", "")
    if n and not bibliography.N_RE.match(n):
        yield (
            f"the n {n!r} must be a whole number of people, digits only, e.g. `n = {{227}}` "
            "(no commas, words or ranges; put details in the note)."
        )
    funding = fields.get("funding", "")
    if funding and funding not in bibliography.FUNDING_VALUES:
        yield (
            f"the funding {funding!r} is not known. Write `funding = {{maker}}` when the "
            "medicine's maker funded or wrote it; otherwise leave the field out."
        )


def group_order(repo: Repo) -> list[str]:
    for ext in repo.config.get("markdown_extensions") or []:
        if isinstance(ext, dict) and "ketamine_site.citations" in ext:
            options = ext["ketamine_site.citations"] or {}
            return [str(g) for g in options.get("group_order") or []]
    return []


def cited_keys(repo: Repo) -> dict[str, list[tuple[Path, int]]]:
    """Key -> every place that cites it in docs/ and includes/ (`[@*]` is not a citation)."""
    places: dict[str, list[tuple[Path, int]]] = {}
    for path in [*repo.pages(), *repo.snippets()]:
        for lineno, key in iter_citation_keys(repo.text(path)):
            places.setdefault(key, []).append((path, lineno))
    return places


def run(repo: Repo) -> Iterator[Finding]:
    path = repo.root / BIBFILE
    if not path.is_file():
        yield Finding(BIBFILE, 1, f"{BIBFILE} is missing. Every source the site cites lives there.")
        return
    text = repo.text(path)
    try:
        bib = bibliography.load(path)
    except PybtexError as error:
        line = getattr(error, "lineno", None)
        duplicate = re.match(r"repeated bibliography entry: (\S+)", str(error))
        if duplicate:
            line = bibliography.entry_line(text, duplicate.group(1), nth=1)
            message = (
                f"the key {duplicate.group(1)!r} is used by two entries. Merge them, or give "
                "one a new key (and update the pages that cite it)."
            )
        else:
            message = (
                f"BibTeX syntax error: {error}. Check the braces and that each field ends "
                "with a comma (`title = {...},`)."
            )
        yield Finding(BIBFILE, line or 1, message)
        return

    groups = group_order(repo)
    for key in bib.keys:
        entry = bib.entry(key)
        line = bibliography.entry_line(text, key)
        for problem in check_entry(key, entry, repo.today.year):
            yield Finding(BIBFILE, line, f"{key}: {problem}")
        group = str(entry.fields.get("group", "")).strip()
        if groups and group and group not in groups:
            yield Finding(
                BIBFILE,
                line,
                f"{key}: the group {group!r} is not one of the references page's headings "
                f"({'; '.join(groups)}). Use one of them, or add the new heading to "
                "group_order in mkdocs.yml.",
            )

    places = cited_keys(repo)
    cited = {key.lower() for key in places}  # pybtex matches keys case-insensitively
    for key in bib.keys:
        if key.lower() not in cited:
            yield Finding(
                BIBFILE,
                bibliography.entry_line(text, key),
                f"{key}: this entry is not cited on any page. Cite it with [@{key}] where the "
                "page states what it supports, or delete the entry.",
            )
    # An unknown key is the strict build's to report (ketamine_site.citations, with file and
    # line); `make check` builds first, so it is not repeated here.
    yield from unrendered(repo)


# `[@a, @b]` or `(@a)`: a citation that reached the page as text.
CITATION_AS_TEXT_RE = re.compile(r"[\[(]@")


def unrendered(repo: Repo) -> Iterator[Finding]:
    """A citation that reached the built page as text: `[@a, @b]`, a missing `@`, a stray
    space, round brackets `(@a)`. Readers would see the raw key, and the source would be
    missing. `\\[@key]` (the escape, for showing the syntax itself) is meant to stay text."""
    if not repo.site.is_dir():
        return
    for html in sorted(repo.site.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8", errors="replace"), "lxml")
        main = soup.find(class_="md-content") or soup.body
        if main is None:
            continue
        for node in main.find_all(string=CITATION_AS_TEXT_RE):
            if node.find_parent(["code", "pre", "script"]) is not None:
                continue
            opening = CITATION_AS_TEXT_RE.search(str(node))
            assert opening is not None
            fragment = str(node)[opening.start() :][:40]
            source = page_source(repo, html)
            where, line = (repo.rel(source), 1) if source else (repo.rel(html), 1)
            if source is not None:
                key = re.match(rf"[\[(]@({KEY})", fragment)
                needle = key.group(0) if key else fragment[:2]
                # The whole bracket as it shows, when the source has it as typed: the same key
                # is usually cited correctly further up the page.
                close = "]" if fragment.startswith("[") else ")"
                bracket = fragment[: fragment.index(close) + 1] if close in fragment else ""
                escaped = False
                for path in [source, *repo.snippets()]:
                    lines = repo.text(path).splitlines()
                    found = [n for n, t in enumerate(lines, 1) if needle in t]
                    if found:
                        exact = [n for n in found if bracket and bracket in lines[n - 1]]
                        where, line = repo.rel(path), (exact or found)[0]
                        escaped = all(
                            lines[n - 1].replace("\\" + needle, "").count(needle) == 0
                            for n in found
                        )
                        break
                if escaped:
                    continue
            yield Finding(
                where,
                line,
                f"a citation was not turned into a footnote and shows as text: {fragment!r}. "
                "Write it as `[@key1; @key2]`: `@` before every key, keys separated by `;`. "
                "To show the brackets as text, write `\\[@key]`.",
            )
