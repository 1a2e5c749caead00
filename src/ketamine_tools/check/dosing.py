"""No dosing instructions addressed to the reader. The site informs; it does not tell anyone
how much to take. Doses reported from studies and labels ("people were given 56 mg") are
fine; a sentence that tells the reader to take, use or start at an amount is not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketamine_tools.check.core import Finding, Repo, quote
from ketamine_tools.check.numbers import NOT_PROSE_RE, SENTENCE_END_RE, blocks

NAME = "dosing"
SUMMARY = 'no dosing instructions addressed to the reader ("take 50 mg", "you can use 2 sprays")'

HOW_TO_FIX = (
    'Say what studies or the label report instead ("in the trials, people were given ...", '
    "with its citation), and that the dose is for the prescriber to decide. The site gives no "
    "dosing advice for self-use (CONTRIBUTING, rules for medical content)."
)
VERB = (
    r"(?:take|use|inject|snort|sniff|spray|swallow|drink|dose|microdose|"
    r"start(?:\s+(?:with|at|on))?|try|increase\s+to|go\s+up\s+to|have)"
)
# An amount in figures or in words ("2 sprays", "one more spray", "half a milligram", "an
# extra dose"), with an optional "more".
NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|"
    r"half(?:\s+an?)?|a|an|another|an\s+extra|a\s+(?:second|third|double|bigger|higher))"
)
AMOUNT = (
    rf"{NUMBER}\s*(?:(?:-|\u2013|to|or)\s*{NUMBER}\s*)?(?:more\s+|extra\s+)?"
    r"(?:mg|milligrams?|mcg|micrograms?|µg|ml|millilit(?:re|er)s?|g|grams?|sprays?|drops?|"
    r"puffs?|tablets?|pills?|lozenges?|troches?|bumps?|lines?|doses?)\b"
    r"(?:\s*/\s*kg|\s+(?:per|for\s+each|a|every)\s+(?:kg|kilo(?:gram)?s?)\b)?"
)
# The reader is told: at the start of a sentence ("Take 50 mg") or of its main clause ("If it
# fades, take 25 mg"), or "you should/can ..." ("you can use 2 sprays"), or "just/then ..."
# ("then take 25 mg").
TOLD = re.compile(
    r"(?:^|,\s+|\byou\s+(?:should|can|could|may|might|need\s+to|have\s+to|must|ought\s+to)\s+"
    r"(?:\w+\s+)?|\b(?:just|simply|then|first)\s+)"
    rf"{VERB}\b[^.!?]{{0,60}}?(?<![\w.,]){AMOUNT}",
    re.IGNORECASE,
)
# A list marker, a bold lead-in ("**Tip:**"), quotes and brackets before the sentence proper.
LEAD = re.compile(r"^\s*(?:[-*+:]\s+|\d+[.)]\s+)?(?:\*\*[^*]+\*\*\s*|__[^_]+__\s*)?[\s>\"'(\[*_]*")


def run(repo: Repo) -> Iterator[Finding]:
    for path in [*repo.pages(), *repo.snippets()]:
        for block in blocks(repo.text(path)):
            text = " ".join(NOT_PROSE_RE.sub(" ", line) for _, line in block)
            starts = [0]
            for _, line in block[:-1]:
                starts.append(starts[-1] + len(NOT_PROSE_RE.sub(" ", line)) + 1)
            position = 0
            for sentence in SENTENCE_END_RE.split(text):
                at = text.find(sentence, position)
                position = at + len(sentence)
                lead = LEAD.match(sentence)
                skip = lead.end() if lead else 0
                match = TOLD.search(sentence[skip:])
                if not match:
                    continue
                where = at + skip + match.start()
                index = max(i for i, start in enumerate(starts) if start <= where)
                yield Finding(
                    repo.rel(path),
                    block[index][0],
                    f"a dosing instruction to the reader: {quote(match.group(0).strip(), 60)}. "
                    + HOW_TO_FIX,
                )
