"""Load the site's BibTeX file and format its entries with pybtex.

One formatting style is used everywhere (footnote tooltips, page source lists and the
references page), so a reference reads the same wherever a reader meets it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlparse

import markdown
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.database import BibliographyData, Entry, Person, parse_file
from pybtex.richtext import Text
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    sentence,
    tag,
)

# Strict on purpose: these values become link addresses and labels on every page that cites
# the entry, and a bib file comes in pull requests. (Crossref's own advice for modern DOIs.)
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9+]+$")
PMID_RE = re.compile(r"^\d{1,9}$")
PMCID_RE = re.compile(r"^PMC\d+$")
# Where an entry starts in the file: `@type{key,` at the start of a line.
ENTRY_START = r"^[ \t]*@\w+\s*[{(]\s*"


def entry_line(text: str, key: str, nth: int = 0) -> int:
    """Line where `@type{key,` starts in the bib file's text (the nth occurrence), 1 when not
    found: for messages that name the entry's line."""
    found = list(re.finditer(rf"{ENTRY_START}{re.escape(key)}\s*,", text, re.M | re.I))
    return text.count("\n", 0, found[nth].start()) + 1 if len(found) > nth else 1


def entry_keys(text: str) -> set[str]:
    """Every key the bib file's text defines (a scan, for checks that need no parse)."""
    return set(re.findall(rf"{ENTRY_START}([^,\s]+)\s*,", text, re.M))


# Names printed before "et al.", as in Vancouver-style medical references.
MAX_AUTHORS = 3

# Every entry's `kind`, and the plain words a reader sees for it. One fixed list, so a reader
# can compare sources at a glance and the checks can tell a trial from a press release.
KINDS: dict[str, str] = {
    "systematic-review": "Review pooling many studies",
    "rct": "Randomised trial",
    "secondary-analysis": "Later analysis of trial data",
    "open-label": "Open-label or uncontrolled study",
    "real-world": "Clinic records (real-world data)",
    "case-report": "Case report",
    "animal-lab": "Animal or lab study",
    "guideline": "Clinical guideline",
    "regulator-label": "Regulator or drug label",
    "helpline": "Helpline or health-service page",
    "news": "News or press release",
    "clinic-website": "Clinic or company website",
    "narrative-review": "Expert review",
}
# Kinds that report research done on people: only there does "how many people" mean much.
STUDY_KINDS = frozenset(
    {"systematic-review", "rct", "secondary-analysis", "open-label", "real-world", "case-report"}
)
# A number resting only on these has no research behind it that a reader could check.
WEAK_KINDS = frozenset({"news", "clinic-website"})
FUNDING_VALUES = ("maker",)
N_RE = re.compile(r"^\d{1,7}$")


# Backend instances made once: `render_as(name)` looks the plugin up through entry points
# on every call, which made a full build take seconds per page.
_TEXT = PlaintextBackend()
_MARKDOWN = MarkdownBackend()


@lru_cache(maxsize=4096)
def _latex_to_text(value: str) -> str:
    """Strip BibTeX braces and LaTeX escapes so a field reads as plain text."""
    return str(Text.from_latex(value).render(_TEXT))


def vancouver_name(person: Person) -> str:
    """'Daly, E. J.' -> 'Daly EJ'; 'Zarate, Jr, C. A.' -> 'Zarate CA Jr'."""
    last = " ".join(_latex_to_text(n) for n in person.prelast_names + person.last_names)
    initials = "".join(
        _latex_to_text(n).lstrip("{")[:1] for n in person.first_names + person.middle_names
    )
    lineage = " ".join(_latex_to_text(n).rstrip(".") for n in person.lineage_names)
    return " ".join(part for part in (last, initials, lineage) if part)


def is_others(person: Person) -> bool:
    return str(person) == "others"


@node
def vancouver_names(children: list[object], context: dict[str, Entry], role: str) -> Text:
    """pybtex template node: up to three authors, then 'et al.'."""
    persons = context["entry"].persons.get(role, [])
    named = [p for p in persons if not is_others(p)]
    if not named:
        raise FieldIsMissing(role, context["entry"])  # lets `optional[...]` skip it
    shown = [vancouver_name(p) for p in named[:MAX_AUTHORS]]
    if len(named) > MAX_AUTHORS or len(named) < len(persons):
        shown.append("et al.")
    return Text(", ".join(shown))


class SiteStyle(BaseStyle):
    """One template for every entry type: authors. Title. Source volume(issue):pages; year."""

    default_sorting_style = "author_year_title"

    def format_entry(self, label: str, entry: Entry, bib_data: BibliographyData | None = None):  # type: ignore[no-untyped-def]  # noqa: ANN201
        template = toplevel[
            sentence[
                first_of[optional[vancouver_names("author")], optional[field("organization")]]
            ],
            sentence[field("title")],
            sentence[
                join(sep=" ")[
                    first_of[
                        optional[tag("em")[field("journal")]],
                        optional[field("howpublished")],
                    ],
                    optional[
                        join[
                            field("volume"),
                            optional["(", field("number"), ")"],
                            optional[":", field("pages")],
                        ]
                    ],
                ],
                optional[field("year")],
            ],
        ]
        text = template.format_data({"entry": entry, "style": self, "bib_data": bib_data})
        from pybtex.style import FormattedEntry

        return FormattedEntry(entry.key, text, label)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def entry_links(entry: Entry) -> list[Link]:
    """DOI, PubMed, PMC and web addresses of an entry, as links a reader can follow."""
    links: list[Link] = []
    doi = entry.fields.get("doi", "").strip()
    if doi:
        links.append(Link(f"doi:{doi}", f"https://doi.org/{doi}"))
    pmid = entry.fields.get("pmid", "").strip()
    if pmid:
        links.append(Link(f"PubMed {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    pmcid = entry.fields.get("pmcid", "").strip()
    if pmcid:
        links.append(Link(pmcid, f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"))
    url = entry.fields.get("url", "").strip()
    if url and not any(link.url.rstrip("/") == url.rstrip("/") for link in links):
        host = urlparse(url).netloc.removeprefix("www.")
        links.append(Link(host or url, url))
    return links


def evidence_label(entry: Entry) -> str:
    """'Randomised trial · 227 people · funded by the maker': what kind of source, in words.

    Built only from the fixed wording above and a validated count, so nothing from the bib
    reaches the page here except digits; an unknown kind or count is left out (the citations
    check reports it).
    """
    kind = str(entry.fields.get("kind", "")).strip()
    parts: list[str] = []
    if kind in KINDS:
        parts.append(KINDS[kind])
    n = str(entry.fields.get("n", "")).strip()
    if N_RE.match(n) and kind in STUDY_KINDS:
        count = int(n)
        parts.append(f"{count:,} {'person' if count == 1 else 'people'}")
    if str(entry.fields.get("funding", "")).strip() == "maker":
        # A label, a press release or a company page is the maker's own words, not funding.
        research = kind in STUDY_KINDS or kind in {"narrative-review", "animal-lab"}
        parts.append("funded by the maker" if research else "from the maker")
    return " · ".join(parts)


def _escape_label(label: str) -> str:
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(label, quote=False))


def _escape_markdown_url(url: str) -> str:
    # Parentheses and spaces would end a Markdown link early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per file version
class Bibliography:
    path: Path
    data: BibliographyData

    @property
    def keys(self) -> list[str]:
        return list(self.data.entries.keys())

    def __contains__(self, key: object) -> bool:
        return key in self.data.entries

    def entry(self, key: str) -> Entry:
        return self.data.entries[key]

    def markdown(self, key: str) -> str:
        """The formatted reference as one line of Markdown, links included."""
        return _formatted(self, key)

    def html(self, key: str) -> str:
        """The formatted reference as inline HTML, links included: the Markdown above, rendered
        once per entry and per version of the file. `mkdocs serve` rebuilds every page on each
        save, and rendering 400+ references' Markdown again each time was about a sixth of a
        rebuild (`make bench`, edit -> visible)."""
        return _rendered(self, key)

    def _format(self, key: str) -> str:
        entry = self.data.entries[key]
        shown = Entry(entry.type, fields=dict(entry.fields), persons=entry.persons)
        formatted = _style().format_entry(key, shown)
        text = " ".join(formatted.text.render(_MARKDOWN).split())
        # Labels are escaped for HTML and for Markdown's brackets: a DOI or host name from the
        # bib must never become markup.
        links = " · ".join(
            f"[{_escape_label(link.label)}]({_escape_markdown_url(link.url)})"
            for link in entry_links(entry)
        )
        label = evidence_label(entry)
        if label:
            # Its own span, so the words can be styled, and a full stop so the tooltip reads
            # it as a sentence of its own.
            text = f'{text} <span class="ref-kind">{_escape_label(label)}.</span>'
        return f"{text} {links}".strip()

    def groups(self) -> dict[str, list[str]]:
        """Keys by their `group` field, each group sorted by first author then year."""
        grouped: dict[str, list[str]] = {}
        for key, entry in self.data.entries.items():
            grouped.setdefault(entry.fields.get("group", "Other sources"), []).append(key)
        for keys in grouped.values():
            keys.sort(key=lambda k: self._sort_key(k))
        return grouped

    def _sort_key(self, key: str) -> tuple[str, str, str]:
        entry = self.data.entries[key]
        persons = [p for p in entry.persons.get("author", []) if not is_others(p)]
        first = vancouver_name(persons[0]) if persons else entry.fields.get("organization", "")
        title = _latex_to_text(entry.fields.get("title", ""))
        return (_latex_to_text(first).lower() or title.lower(), entry.fields.get("year", ""), title)


@cache
def _style() -> SiteStyle:
    # BaseStyle() looks up its name, label and sorting plugins through entry points: slow.
    return SiteStyle()


@lru_cache(maxsize=2048)
def _formatted(bib: Bibliography, key: str) -> str:
    return bib._format(key)


@lru_cache(maxsize=2048)
def _rendered(bib: Bibliography, key: str) -> str:
    md = _inline_markdown()
    md.reset()
    html: str = md.convert(bib.markdown(key))
    # pybtex escapes Markdown's block syntax, so a reference is always one paragraph.
    return html.removeprefix("<p>").removesuffix("</p>")


@cache
def _inline_markdown() -> markdown.Markdown:
    # Core Markdown only: a formatted reference is text, emphasis and links.
    return markdown.Markdown()


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> Bibliography:
    return Bibliography(Path(path), parse_file(path, bib_format="bibtex"))


def load(path: str | Path) -> Bibliography:
    """Parse the BibTeX file, re-reading it whenever it changes (live preview)."""
    p = Path(path)
    return _load(str(p), p.stat().st_mtime_ns)
