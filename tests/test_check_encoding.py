"""encoding: every file the build reads is UTF-8 (MkDocs stops on any other with a traceback
that names another page), reported with its line before the build runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _check_support import check, make_repo

BROKEN = {
    "Latin-1 byte in a page": ("docs/research.md", "Café au lait\n".encode("latin-1"), "0xe9"),
    "UTF-16 page": ("docs/index.md", "\ufeffHello\n".encode("utf-16"), "UTF-16"),
    "NUL in a snippet": ("includes/abbreviations.md", b"*[ECT]: x\x00\n", "NUL"),
    "Latin-1 byte in the bibliography": ("docs/references.bib", b"% M\xfcller\n", "0xfc"),
    "Latin-1 byte in mkdocs.yml": ("mkdocs.yml", b"# Caf\xe9\n", "0xe9"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path)
    rel, data, word = BROKEN[case]
    path = repo / rel
    before = b"" if word == "UTF-16" else path.read_bytes()
    if before and not before.endswith(b"\n"):
        before += b"\n"
    path.write_bytes(before + data)
    line = 1 if word == "UTF-16" else before.count(b"\n") + 1
    result = check(repo, "encoding")
    assert result.code == 1
    assert result.has(f"{rel}:{line}", "not UTF-8", word, "Save the file as UTF-8")
    assert "Traceback" not in result.output


def test_the_other_checks_still_read_the_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    page = repo / "docs" / "research.md"
    page.write_bytes(page.read_bytes() + b"\nCaf\xe9. TODO: finish.\n")
    result = check(repo, "encoding", "placeholders")
    assert result.has("docs/research.md", "not UTF-8")
    assert result.has("docs/research.md", "unfinished-work marker")
    assert "stopped with" not in result.output


def test_quiet_says_nothing_when_all_pass_and_only_problems_otherwise(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    run = [sys.executable, "-m", "ketamine_tools.check", "--root", str(repo), "--quiet"]
    clean = subprocess.run([*run, "--only", "encoding"], capture_output=True, text=True)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    page = repo / "docs" / "research.md"
    page.write_bytes(page.read_bytes() + b"\xe9\n")
    broken = subprocess.run([*run, "--only", "encoding"], capture_output=True, text=True)
    assert broken.returncode == 1
    assert broken.stdout.startswith("docs/research.md:")
    assert "Traceback" not in broken.stdout + broken.stderr


def test_the_build_targets_check_the_encoding_before_mkdocs_reads_a_page() -> None:
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    for target in ("build", "serve", "check", "test"):
        recipe = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
        first = next(line for line in recipe if not line.strip().startswith("@#"))
        assert "ketamine_tools.check --only encoding" in first, (
            f"`make {target}` does not check the encoding first"
        )
