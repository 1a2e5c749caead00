"""No run of 8 or more consecutive words of the seed article in docs/ or includes/.

The seed is not ours to publish, and CI may run on a host without ../shared/. So the check
reads committed fingerprints: a salted hash of every 8-word run of the seed, one per line in
tests/seed-fingerprints.txt, made from the seed by
`python -m ketamine_tools.check.seed --update ../shared/seed/FILE.txt`. The words cannot be
read back from them, and every checkout can still find a copied run.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ketamine_site.citation_syntax import LOOSE_CITATION
from ketamine_tools.check.core import Finding, Repo, line_of

NAME = "seed"
SUMMARY = "no run of 8+ words copied from the seed article (../shared/seed/*.txt)"

RUN = 8
FINGERPRINTS = "tests/seed-fingerprints.txt"
# A fixed salt: the same run always gives the same fingerprint, and a list of common 8-word
# phrases hashed elsewhere does not match ours.
SALT = b"ketamine-site seed v1\n"
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
# Markup that is not prose: link targets, citations, attribute lists, HTML tags.
# An HTML tag starts with a letter, "/" or "!" and ends on its line: the "<" of a snippet
# include (`--8<--`) or of "<10" is text, and once blanked everything up to the next ">",
# often many lines on (up to 70% of a page went unchecked).
MARKUP_RE = re.compile(
    rf"\]\([^)]*\)|{LOOSE_CITATION}|\[\^[^\]]*\]|\{{[:#.][^}}]*\}}|<[A-Za-z/!][^<>\n]*>"
)


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


def fingerprint(gram: tuple[str, ...]) -> str:
    return hashlib.sha256(SALT + " ".join(gram).encode("utf-8")).hexdigest()[:20]


def seed_fingerprints(seed: str) -> set[str]:
    return {fingerprint(gram) for gram in seed_ngrams(seed)}


def load_fingerprints(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def write_fingerprints(seed: Path, out: Path) -> int:
    prints = sorted(seed_fingerprints(seed.read_text(encoding="utf-8")))
    out.write_text(
        "# Fingerprints of every 8-word run of the seed article (not its text). Made by\n"
        "# python -m ketamine_tools.check.seed --update ../shared/seed/<file>.txt\n"
        + "\n".join(prints)
        + "\n",
        encoding="utf-8",
    )
    return len(prints)


def copied_runs(text: str, prints: set[str]) -> Iterator[tuple[int, str]]:
    """(offset, copied words) for each maximal run of the text found in the seed."""
    tokens = words(text)
    hits = [
        fingerprint(tuple(w for w, _ in tokens[i : i + RUN])) in prints
        for i in range(len(tokens) - RUN + 1)
    ]
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
    committed = repo.root / FINGERPRINTS
    if committed.is_file():
        prints = load_fingerprints(committed)
        if seed is not None and seed_fingerprints(seed.read_text(encoding="utf-8")) != prints:
            yield Finding(
                FINGERPRINTS,
                1,
                f"these fingerprints do not match {seed.name}. Make them again: `.venv/bin/python "
                f"-m ketamine_tools.check.seed --update {repo.rel(seed)}`, and commit the file.",
            )
    elif seed is not None:
        prints = seed_fingerprints(seed.read_text(encoding="utf-8"))
        yield Finding(
            FINGERPRINTS,
            1,
            "the seed's fingerprints are not committed, so this check cannot run where the seed "
            "is missing (CI on another host). Make them: `.venv/bin/python -m "
            f"ketamine_tools.check.seed --update {repo.rel(seed)}`, and commit the file.",
        )
    else:
        yield Finding(
            FINGERPRINTS,
            1,
            f"neither {FINGERPRINTS} nor the seed article (../shared/seed/*.txt) is there, so "
            "copied text was not checked. Restore the fingerprints file from git.",
            notice=True,
        )
        return
    for path in [*repo.pages(), *repo.snippets()]:
        text = repo.text(path)
        for offset, run_text in copied_runs(text, prints):
            yield Finding(
                repo.rel(path),
                line_of(text, offset),
                f"{len(run_text.split())} words in a row are copied from the seed article: "
                f'"{run_text}". Rewrite this in your own words (the rule: no run of {RUN} or '
                "more words from the seed).",
            )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "--update":
        print("usage: python -m ketamine_tools.check.seed --update ../shared/seed/FILE.txt")
        return 2
    seed = Path(args[1])
    if not seed.is_file():
        print(f"{seed}: no such file. Give the path of the seed article.")
        return 1
    count = write_fingerprints(seed, Path(FINGERPRINTS))
    print(f"seed: wrote {count} fingerprints to {FINGERPRINTS}; commit it.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
