"""Spelling with codespell and the project word list (tests/wordlist.txt)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

from ketamine_tools.check.core import Finding, Repo

NAME = "spelling"
SUMMARY = "codespell over docs/, includes/, README.md and CONTRIBUTING.md"

TARGETS = ("docs", "includes", "README.md", "CONTRIBUTING.md")
WORDLIST = "tests/wordlist.txt"
# The same as [tool.codespell] skip in pyproject.toml, so a --root without it behaves alike.
SKIP = "*.bib,*.lock,requirements.txt,site,bench,.venv,*.svg"
LINE_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def run(repo: Repo) -> Iterator[Finding]:
    targets = [t for t in TARGETS if (repo.root / t).exists()]
    if not targets:
        return
    command = [sys.executable, "-m", "codespell_lib", "--skip", SKIP]
    if (repo.root / WORDLIST).is_file():
        command += ["--ignore-words", WORDLIST]
    # cwd = the repository, so codespell also reads its [tool.codespell] settings.
    result = subprocess.run(
        [*command, *targets], cwd=repo.root, capture_output=True, text=True, check=False
    )
    found = False
    seen: set[tuple[str, ...]] = set()
    for line in result.stdout.splitlines():
        match = LINE_RE.match(line.strip())
        if not match:
            continue
        found = True
        if match.groups() in seen:  # codespell repeats a word found twice on a line
            continue
        seen.add(match.groups())
        word, fix = match.group("word"), match.group("fix")
        suggestion, _, reason = fix.partition("|")
        why = f" ({reason.strip()})" if reason.strip() else ""
        yield Finding(
            match.group("path"),
            int(match.group("line")),
            f"{word!r} looks misspelt; codespell suggests {suggestion.strip()!r}{why}. Fix "
            f"it, or if {word!r} is right (a medical term, a name), add it in lower case to "
            f"{WORDLIST}, one word per line.",
        )
    if result.returncode not in (0, 65) or (result.returncode == 65 and not found):
        yield Finding(
            WORDLIST,
            1,
            f"codespell could not run (exit {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[:300]} Run `make setup`, then again.",
        )
