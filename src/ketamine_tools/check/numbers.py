"""On the evidence pages, every sentence with a number is cited in its paragraph, item or row."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketamine_site.citation_syntax import LOOSE_CITATION_RE
from ketamine_tools.check.core import Finding, Repo, line_of, prose_lines, quote, split_front_matter
from ketamine_tools.check.policy import page_policy

NAME = "numbers"
SUMMARY = "sentences with numbers carry a citation (pages with `cite_numbers`, the default)"

HEADING_RE = re.compile(r"^#{1,6}(\s|$)")
# Admonition titles, snippet includes, abbreviation and footnote definitions, lone HTML tags.
SKIP_RE = re.compile(r"^(?:!!!|\?\?\?|===\s|-{2}8<-{2}|\*\[[^\]]+\]:|\[\^[^\]]+\]:|<[^>]*>$)")
TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
ITEM_RE = re.compile(r"^(?:[-*+]|\d+[.)]|:)\s+")  # list items and definitions
# Not prose: links with their text, images, footnote refs, attribute lists, HTML tags.
NOT_PROSE_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)|\[\^[^\]]*\]|\{[:#.][^}]*\}|<[^>]+>|https?://\S+")
# A figure: digits not glued to a name before them ("SUSTAIN-1", "PHQ-9", "CYP3A4").
# ... or a share in words ("nine out of ten people", "one in five", "half of them").
_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|a|every)"
_OF = r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|a\s+hundred|hundred|\d+)"
NUMBER_RE = re.compile(
    rf"(?<![\w-])\d|\b{_WORD}\s+(?:in|out\s+of)\s+{_OF}\b|\bhalf\s+of\s+(?:them|those|people|"
    r"patients|the\s+people|the\s+patients|all)\b",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+")

Block = list[tuple[int, str]]  # (line number, text)


def blocks(text: str) -> Iterator[Block]:
    """Paragraphs, list items and table rows of a page body (table headers excluded)."""
    _, body_start = split_front_matter(text)
    prose = dict(prose_lines(text))
    lines = text.splitlines()
    current: Block = []
    for lineno in range(body_start, len(lines) + 1):
        line = re.sub(r"^(?:>\s?)+", "", prose.get(lineno, "").strip()).strip()
        if lineno not in prose or not line or HEADING_RE.match(line) or SKIP_RE.match(line):
            if current:
                yield current
            current = []
            continue
        if line.startswith("|"):
            if current:
                yield current
            current = []
            following = lines[lineno].strip() if lineno < len(lines) else ""
            if not TABLE_SEP_RE.match(line) and not TABLE_SEP_RE.match(following):
                yield [(lineno, line)]
            continue
        item = ITEM_RE.match(line)
        if item:
            if current:
                yield current
            current = [(lineno, " " * item.end() + line[item.end() :])]
            continue
        current.append((lineno, line))
    if current:
        yield current


def uncited_sentences(block: Block) -> Iterator[tuple[int, str]]:
    """(line, sentence) for each sentence with a number, if the block has no citation."""
    joined = "\n".join(text for _, text in block)
    if LOOSE_CITATION_RE.search(joined):
        return
    masked = NOT_PROSE_RE.sub(lambda m: " " * len(m.group(0)), joined)
    spans, start = [], 0
    for boundary in SENTENCE_END_RE.finditer(masked):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(masked)))
    for start, end in spans:
        # A question (such as one to ask a clinician) states no fact to cite.
        if masked[start:end].rstrip().endswith("?"):
            continue
        if NUMBER_RE.search(masked[start:end]):
            offset = start + len(masked[start:end]) - len(masked[start:end].lstrip())
            yield block[0][0] + line_of(joined, offset) - 1, joined[offset:end]


def run(repo: Repo) -> Iterator[Finding]:
    for path in repo.nav_pages():
        if not page_policy(repo, path).cite_numbers:
            continue
        for block in blocks(repo.text(path)):
            for lineno, sentence in uncited_sentences(block):
                yield Finding(
                    repo.rel(path),
                    lineno,
                    f"this sentence gives a number without a source: {quote(sentence, 60)}. "
                    "Cite the source in the same paragraph, list item or table row, right "
                    'after the claim ("... about a week [@key].", key from '
                    "docs/references.bib); if no source gives this number, remove it.",
                )
