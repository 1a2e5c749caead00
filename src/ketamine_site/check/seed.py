"""No run of 8 or more consecutive words of the seed article in docs/ or includes/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ketamine_site.check.core import Finding, Repo, line_of

NAME = "seed"
SUMMARY = "no run of 8+ words copied from the seed article (../shared/seed/*.txt)"

RUN = 8
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
# Markup that is not prose: link targets, citations, attribute lists, HTML tags.
MARKUP_RE = re.compile(r"\]\([^)]*\)|\[@[^\]]*\]|\[\^[^\]]*\]|\{[:#.][^}]*\}|<[^>]+>")


def words(text: str) -> list[tuple[str, int]]:
    """(normalised word, offset in text): case, punctuation, apostrophes and spacing ignored."""
    text = MARKUP_RE.sub(lambda m: " " * len(m.group(0)), text)
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    # "It's" and "its" are the same word here.
    return [(m.group(0).replace("'", ""), m.start()) for m in WORD_RE.finditer(text)]


def seed_ngrams(seed: str) -> set[tuple[str, ...]]:
    """Every run of RUN words inside one line (paragraph or heading) of the seed."""
    grams: set[tuple[str, ...]] = set()
    for line in seed.splitlines():
        tokens = [w for w, _ in words(line)]
        grams.update(tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1))
    return grams


def copied_runs(text: str, grams: set[tuple[str, ...]]) -> Iterator[tuple[int, str]]:
    """(offset, copied words) for each maximal run of the text found in the seed."""
    tokens = words(text)
    hits = [tuple(w for w, _ in tokens[i : i + RUN]) in grams for i in range(len(tokens) - RUN + 1)]
    i = 0
    while i < len(hits):
        if not hits[i]:
            i += 1
            continue
        start = i
        while i + 1 < len(hits) and hits[i + 1]:
            i += 1
        end = i + RUN  # exclusive token index
        yield tokens[start][1], " ".join(w for w, _ in tokens[start:end])
        i += 1


def find_seed(repo: Repo) -> Path | None:
    seeds = sorted((repo.root.parent / "shared" / "seed").glob("*.txt"))
    return seeds[0] if seeds else None


def run(repo: Repo) -> Iterator[Finding]:
    seed = find_seed(repo)
    if seed is None:
        yield Finding(
            "../shared/seed",
            1,
            "the seed article (../shared/seed/*.txt beside the repository) is not there, so "
            "copied text was not checked. Check out the shared/ folder next to the repository "
            "to run this check.",
            notice=True,
        )
        return
    grams = seed_ngrams(seed.read_text(encoding="utf-8"))
    for path in [*repo.pages(), *repo.snippets()]:
        text = repo.text(path)
        for offset, run_text in copied_runs(text, grams):
            yield Finding(
                repo.rel(path),
                line_of(text, offset),
                f"{len(run_text.split())} words in a row are copied from the seed article: "
                f'"{run_text}". Rewrite this in your own words (the rule: no run of {RUN} or '
                "more words from the seed).",
            )
