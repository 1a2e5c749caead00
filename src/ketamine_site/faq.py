"""Python-Markdown extension: schema.org FAQPage JSON-LD built from a page's questions.

A page opts in by giving its H1 the class `faq` (`# Questions and answers { .faq }`).
Every H2/H3 whose text ends in "?" becomes a Question; the text that follows it, up to the
next heading of the same or a higher level, becomes its accepted answer. Built from the
rendered page, so the structured data can never drift from what readers see.
A Markdown extension rather than a template or plugin, so both MkDocs and Zensical run it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SKIP_CLASSES = {"footnote-ref", "headerlink", "footnote"}


class _TextOnly(HTMLParser):
    """The reader-visible text of a piece of raw HTML, character references decoded once."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _plain(raw: str) -> str:
    parser = _TextOnly()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


def _text(elem: ET.Element, md: Markdown) -> str:
    """Visible text of an element, without footnote markers and permalink signs."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        classes = set((node.get("class") or "").split())
        if classes & SKIP_CLASSES or node.tag == "sup":
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not elem and node.tail:
            parts.append(node.tail)

    walk(elem)
    text = "".join(parts)

    # Entities (&amp;) and inline HTML wait in the raw-HTML stash: put back what a reader sees
    # of them, as plain text. JSON-LD is data, never markup.
    def unstash(match: re.Match[str]) -> str:
        blocks = md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        return _plain(str(blocks[index])) if index < len(blocks) else ""

    text = re.sub(r"\x02wzxhzdk:(\d+)\x03", unstash, text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
    return " ".join(text.split())


class FaqTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        children = list(root)
        if not any(c.tag == "h1" and "faq" in (c.get("class") or "").split() for c in children):
            return
        questions: list[dict[str, Any]] = []
        for index, elem in enumerate(children):
            level = HEADINGS.get(elem.tag)
            if level not in (2, 3):
                continue
            name = _text(elem, self.md)
            if not name.endswith("?"):
                continue
            answer: list[str] = []
            for follower in children[index + 1 :]:
                other = HEADINGS.get(follower.tag)
                if other is not None and other <= level:
                    break
                if other is None and "footnote" not in (follower.get("class") or ""):
                    answer.append(_text(follower, self.md))
            text = " ".join(a for a in answer if a)
            if text:
                questions.append(
                    {
                        "@type": "Question",
                        "name": name,
                        "acceptedAnswer": {"@type": "Answer", "text": text},
                    }
                )
        if not questions:
            return
        data = {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}
        # `</` cannot end the script early once escaped; json.dumps leaves it as is.
        payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        script = ET.SubElement(root, "script", {"type": "application/ld+json"})
        script.text = self.md.htmlStash.store(payload)


class FaqSchemaExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After attr_list (8) has applied `{ .faq }`, before footnotes are moved (<= 50 is fine).
        md.treeprocessors.register(FaqTreeprocessor(md), "ketamine_faq_schema", 5)


def makeExtension(**kwargs: Any) -> FaqSchemaExtension:
    return FaqSchemaExtension(**kwargs)
