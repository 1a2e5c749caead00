"""Python-Markdown extension: a table's empty top-left cell is a data cell, not a header.

Comparison tables (`| | Ketamine | Esketamine |`) leave the corner above the row labels
empty. Markdown makes it an empty <th>, which screen readers announce as a header with no
name (axe rule empty-table-header). An empty corner is a <td>, as WAI's table tutorial
advises; every other header keeps its text. Both MkDocs and Zensical run this extension.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class EmptyCornerTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for row in root.iter("tr"):
            cells = list(row)
            if not cells or cells[0].tag != "th":
                continue
            corner = cells[0]
            if not "".join(corner.itertext()).strip() and not len(corner):
                corner.tag = "td"


class TablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After the tables block parser has built the <table>, before the raw-HTML stash.
        md.treeprocessors.register(EmptyCornerTreeprocessor(md), "ketamine_empty_corner", 7)


def makeExtension(**kwargs: Any) -> TablesExtension:
    return TablesExtension(**kwargs)
