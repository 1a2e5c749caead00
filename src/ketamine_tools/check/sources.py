"""On the evidence pages, no number rests only on news, press releases or company websites.

A press release or a clinic's page can repeat a trial's figure, or make one up; readers cannot
tell which. So a paragraph, list item or table row that gives a number must cite at least one
source of another kind (a study, a regulator, a guideline, a health service) next to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pybtex.exceptions import PybtexError

from ketamine_site import bibliography
from ketamine_site.citation_syntax import LOOSE_CITATION_RE, split_keys
from ketamine_tools.check.core import Finding, Repo, quote
from ketamine_tools.check.numbers import NOT_PROSE_RE, NUMBER_RE, blocks
from ketamine_tools.check.policy import page_policy

NAME = "sources"
SUMMARY = "numbers on the evidence pages rest on more than news, press or company sources"

BIBFILE = "docs/references.bib"


def run(repo: Repo) -> Iterator[Finding]:
    path = repo.root / BIBFILE
    if not path.is_file():
        return  # the citations check reports a missing bib file
    try:
        bib = bibliography.load(path)
    except PybtexError:
        return  # the citations check reports the syntax error with its line
    # The pages whose numbers need a source (page policy `cite_numbers`, the default).
    for page in repo.nav_pages():
        if not page_policy(repo, page).cite_numbers:
            continue
        for block in blocks(repo.text(page)):
            joined = "\n".join(text for _, text in block)
            keys = [
                key
                for match in LOOSE_CITATION_RE.finditer(joined)
                for key in split_keys(match.group(0)[1:-1])
            ]
            known = [key for key in keys if key in bib]
            if not known:
                continue  # uncited numbers and unknown keys: the numbers and citations checks
            # A company's page is the primary source for the company's own terms (a savings
            # programme's price and rules): its entry says so in `primary_for`, and then it
            # is not a weak source for those numbers.
            kinds = {
                str(bib.entry(key).fields.get("kind", "")).strip()
                for key in known
                if not str(bib.entry(key).fields.get("primary_for", "")).strip()
            }
            if not kinds or not kinds <= bibliography.WEAK_KINDS:
                continue
            masked = LOOSE_CITATION_RE.sub(lambda m: " " * len(m.group(0)), joined)
            masked = NOT_PROSE_RE.sub(lambda m: " " * len(m.group(0)), masked)
            number = NUMBER_RE.search(masked)
            if not number:
                continue
            line = block[0][0] + masked.count("\n", 0, number.start())
            sources = "; ".join(
                f"{key} ({bibliography.KINDS[str(bib.entry(key).fields['kind']).strip()].lower()})"
                for key in sorted(set(known))
            )
            yield Finding(
                repo.rel(page),
                line,
                f"this number rests only on news, press or company sources: {sources}. "
                f"{quote(joined, 60)}: cite the study, regulator, guideline or health "
                "service that gives the number (see shared/evidence/), in the same paragraph, "
                "item or row; if none does, remove the number or say plainly what kind of "
                "source it comes from and keep a stronger one beside it.",
            )
