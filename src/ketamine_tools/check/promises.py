"""No promises of cure or of safety. The site says what studies found and how sure they are;
"ketamine cures depression", "guaranteed relief" or "no side effects" is a promise no study
makes. Warnings about such promises ("be wary of clinics that promise a cure", "ketamine is
not a cure") are what the site should say, and pass."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketamine_tools.check.core import Finding, Repo, quote
from ketamine_tools.check.numbers import NOT_PROSE_RE, SENTENCE_END_RE, blocks

NAME = "promises"
SUMMARY = 'no promise of cure or safety ("cures depression", "guaranteed", "no side effects")'

PROMISE = re.compile(
    r"\b(?:cures?|cured|curing)\b(?!\s*\?)|\bguarantee[ds]?\b|\bguaranteed\b|\bmiracle\b|"
    r"\bworks\s+for\s+(?:everyone|everybody|all)\b|\b100\s*%\s+(?:effective|safe|success)|"
    r"\bpermanent\s+(?:relief|recovery|cure|results?)\b|\bno\s+side[\s-]effects\b|"
    r"\b(?:completely|totally|perfectly|entirely)\s+safe\b|\brisk[\s-]free\b",
    re.IGNORECASE,
)
# Words before a promise that make it a warning, a denial or a question about one.
DENIED = re.compile(
    r"\b(?:not|no|never|nor|isn't|aren't|doesn't|don't|cannot|can't|without|promises?|"
    r"promising|promised|claims?|claiming|claimed|offers?|offering|advertis\w*|sell\w*|"
    r"wary|beware|warn\w*|false|whether|if)\b[^.!?]*$",
    re.IGNORECASE,
)
HOW_TO_FIX = (
    "No study promises this. Say what the studies found, for how many people and how sure "
    'the evidence is, with its citation (for example "about half felt better for a week or '
    'more"). Warnings are fine: "Ketamine is not a cure", "be wary of clinics that promise a '
    'cure".'
)


def run(repo: Repo) -> Iterator[Finding]:
    for path in [*repo.pages(), *repo.snippets()]:
        for block in blocks(repo.text(path)):
            pieces = [NOT_PROSE_RE.sub(" ", line) for _, line in block]
            text = " ".join(pieces)
            starts = [0]
            for piece in pieces[:-1]:
                starts.append(starts[-1] + len(piece) + 1)
            position = 0
            for sentence in SENTENCE_END_RE.split(text):
                at = text.find(sentence, position)
                position = at + len(sentence)
                if sentence.rstrip().endswith("?"):
                    continue  # a question about a promise ("Can ketamine cure depression?")
                for match in PROMISE.finditer(sentence):
                    if DENIED.search(sentence[: match.start()]):
                        continue
                    where = at + match.start()
                    index = max(i for i, start in enumerate(starts) if start <= where)
                    yield Finding(
                        repo.rel(path),
                        block[index][0],
                        f"a promise: {quote(sentence.strip(), 70)}. " + HOW_TO_FIX,
                    )
