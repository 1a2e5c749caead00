"""Python-Markdown extension: fewer tooltips to build. An abbreviation is marked up once per
page, where it first appears; permalinks and "Jump back" links are named without a title.

Why: the `abbr` extension wraps every occurrence, and Material's `content.tooltips` built a
tooltip for each one; on long pages that was most of the script time on a phone (the site now
uses one shared tooltip, overrides/main.html). A page dotted with the same underlined term is
also harder to read. The style guide asks writers to explain an abbreviation at its first use
on a page, so the tooltip goes there, and the glossary explains every one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class AbbrOnceTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        seen: set[str] = set()
        parents = {child: parent for parent in root.iter() for child in parent}
        # Document order: the first of each term keeps its markup, repeats become plain text.
        for abbr in list(root.iter("abbr")):
            term = "".join(abbr.itertext())
            if term not in seen:
                seen.add(term)
                continue
            self._unwrap(abbr, parents[abbr])

    @staticmethod
    def _unwrap(elem: ET.Element, parent: ET.Element) -> None:
        """Replace <abbr>text</abbr> by its text, keeping the text that follows it."""
        text = "".join(elem.itertext()) + (elem.tail or "")
        position = list(parent).index(elem)
        if position == 0:
            parent.text = (parent.text or "") + text
        else:
            previous = parent[position - 1]
            previous.tail = (previous.tail or "") + text
        parent.remove(elem)


class LinkLabelTreeprocessor(Treeprocessor):
    """Heading permalinks and the sources list's "Jump back" links are named by aria-label
    rather than title. Screen readers hear the same name; a title would add a hover tooltip to
    every one of them (the browser's over the text, or a component each if Material's
    `content.tooltips` is switched back on: 90 on one page)."""

    CLASSES = frozenset({"headerlink", "footnote-backref"})

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            if self.CLASSES & set((link.get("class") or "").split()) and link.get("title"):
                link.set("aria-label", link.attrib.pop("title"))


class AbbrOnceExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After the abbr extension has wrapped every occurrence (priority 7).
        md.treeprocessors.register(AbbrOnceTreeprocessor(md), "ketamine_abbr_once", 6.5)
        # After the footnotes (50) and toc (5) extensions have added their links.
        md.treeprocessors.register(LinkLabelTreeprocessor(md), "ketamine_link_labels", 4)


def makeExtension(**kwargs: Any) -> AbbrOnceExtension:
    return AbbrOnceExtension(**kwargs)
