"""Python-Markdown extension: a missing snippet is one clear message, not a traceback.

pymdownx.snippets (with `check_paths: true`, so a typo cannot pass silently) raises its own
exception for an include it cannot find, and MkDocs prints it as a Python traceback with no
page or line. This runs just before snippets and names the file and line of the include,
including includes inside included files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ketamine_site.citations import CitationError

# The one-line form: --8<-- "file.md" (an escaped ;--8<-- is not an include).
INCLUDE_RE = re.compile(r"""^\s*(?<!;)-{1,}8<-{1,}\s+(["'])(?P<name>[^"']+)\1\s*$""")


def includes(lines: list[str]) -> list[tuple[int, str]]:
    return [
        (n, m.group("name")) for n, line in enumerate(lines, 1) if (m := INCLUDE_RE.match(line))
    ]


class SnippetGuard(Preprocessor):
    def __init__(self, md: Markdown, ext: SnippetGuardExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def base_paths(self) -> list[Path]:
        return [Path(p) for p in self.ext.getConfig("base_path")]

    def find(self, name: str) -> Path | None:
        clean = name.split(":")[0]  # "file.md:3:5" selects lines
        for base in self.base_paths():
            path = base / clean
            # pymdownx.snippets (restrict_base_path) refuses anything outside its folders,
            # with a traceback: a path that leaves them is as missing as one that is not there.
            inside = path.resolve().is_relative_to(base.resolve())
            if inside and path.is_file():
                return path
        return None

    def where(self, name: str) -> str:
        """`path:line` of every page or snippet that includes `name` (we are given no file)."""
        hits = []
        for folder in [Path(self.ext.getConfig("docs_dir")), *self.base_paths()]:
            for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
                lines = path.read_text(encoding="utf-8").splitlines()
                hits += [f"{path.as_posix()}:{n}" for n, found in includes(lines) if found == name]
        return ", ".join(hits) or "a page"

    def run(self, lines: list[str]) -> list[str]:
        todo, seen, missing = [name for _, name in includes(lines)], set(), []
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            found = self.find(name)
            if found is None:
                missing.append(name)
            else:
                todo += [n for _, n in includes(found.read_text(encoding="utf-8").splitlines())]
        if missing:
            bases = ", ".join(p.as_posix() for p in self.base_paths())
            raise CitationError(
                "\n".join(
                    f"{self.where(name)}: the snippet {name!r} does not exist in {bases}. Fix "
                    "the file name, or create the file there."
                    for name in missing
                )
            )
        return lines


class SnippetGuardExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "base_path": [["includes"], "Where snippets live (as pymdownx.snippets base_path)"],
            "docs_dir": ["docs", "Where the pages live"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Just before pymdownx.snippets (32), which would raise on the missing file.
        md.preprocessors.register(SnippetGuard(md, self), "ketamine_snippet_guard", 33)


def makeExtension(**kwargs: Any) -> SnippetGuardExtension:
    return SnippetGuardExtension(**kwargs)
