"""Every text file the build reads is UTF-8. MkDocs stops on any other encoding with a Python
traceback that names the page it was rendering, not the file at fault, so this check runs
before the build (`make build`, `make serve`, `make check`, `make test`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ketamine_tools.check.core import Finding, Repo

NAME = "encoding"
SUMMARY = "every page, snippet, bibliography and mkdocs.yml is UTF-8 text"

HOW_TO_FIX = (
    'Save the file as UTF-8 (most editors: "Save with encoding" > UTF-8) and check the text '
    "at that place."
)


def files(repo: Repo) -> list[Path]:
    found = [*repo.pages(), *repo.snippets()]
    if repo.docs.is_dir():
        found += sorted(repo.docs.rglob("*.bib"))
    if repo.mkdocs_yml.is_file():
        found.append(repo.mkdocs_yml)
    return found


def problem(data: bytes) -> tuple[int, str] | None:
    """Where the text stops being UTF-8: its line, and what is there."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 1, "it is UTF-16 text (it starts with a UTF-16 byte order mark)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return line, f"byte 0x{data[error.start]:02x} at column {column} is not UTF-8"
    if "\x00" in text:
        return text.count("\n", 0, text.index("\x00")) + 1, "it holds a NUL character"
    return None


def run(repo: Repo) -> Iterator[Finding]:
    for path in files(repo):
        found = problem(path.read_bytes())
        if found:
            line, what = found
            yield Finding(repo.rel(path), line, f"not UTF-8 text: {what}. {HOW_TO_FIX}")
