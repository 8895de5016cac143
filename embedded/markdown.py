"""Markdown in, safe HTML and a contents list out.

Every body on the site, and the admin's live preview, goes through `render`.
Two locks keep it safe, so that either alone would do:

1. Python-Markdown runs without its raw-HTML support: `<script>` typed into a
   body comes out as the text "<script>", never as a tag.
2. nh3 then cleans the result against an allow-list of tags, attributes,
   classes and URL schemes (http, https, mailto and relative links only).

Headings get stable ids from their text, and a "link to this section" anchor,
so a reader can send a colleague straight to a section. After sanitising,
`embedded.links` links glossary terms and marks links to other websites.
"""

import html
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from PIL import Image

from embedded.links import annotate

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "span": {"aria-hidden"},
    "div": {"role", "tabindex", "aria-label"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
ALLOWED_CLASSES = {
    "a": {"heading-anchor"},
    "div": {"table-scroll"},
    "span": {"nhsuk-u-visually-hidden"},
    "table": {"nhsuk-table"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Rendered:
    html: str
    contents: list = field(default_factory=list)


def is_external(url):
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} or (not parts.scheme and bool(parts.netloc))


class SiteConventions(Treeprocessor):
    """Gives links, images, tables and headings the site's markup."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    parent[index] = self.scrollable(child)
        for element in root.iter():
            if element.tag == "a" and is_external(element.get("href", "")):
                element.set("rel", "noopener noreferrer")
            elif element.tag == "img":
                element.set("loading", "lazy")
                element.set("decoding", "async")
                self.size_image(element)
            elif element.tag == "table":
                element.set("class", "nhsuk-table")
            elif element.tag == "th":
                element.set("scope", "col")
            elif element.tag in {"h2", "h3"} and element.get("id"):
                self.add_anchor(element)

    @staticmethod
    def size_image(image):
        """Gives an uploaded image its width and height, so the page does not jump as it loads."""
        src = image.get("src", "")
        if not src.startswith(settings.MEDIA_URL):
            return
        try:
            with default_storage.open(src.removeprefix(settings.MEDIA_URL)) as file:
                width, height = Image.open(file).size
        except (OSError, ValueError, SuspiciousFileOperation):
            return
        image.set("width", str(width))
        image.set("height", str(height))

    @staticmethod
    def scrollable(table):
        """A wide table scrolls inside a box a keyboard can reach, not the whole page."""
        headers = [" ".join("".join(th.itertext()).split()) for th in table.iter("th")]
        label = f"Table: {', '.join(headers)}" if headers else "Table"
        wrapper = etree.Element(
            "div", {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": label}
        )
        wrapper.append(table)
        wrapper.tail, table.tail = table.tail, None
        return wrapper

    @staticmethod
    def add_anchor(heading):
        text = "".join(heading.itertext()).strip()
        anchor = etree.SubElement(heading, "a", {"class": "heading-anchor"})
        anchor.set("href", f"#{heading.get('id')}")
        hidden = etree.SubElement(anchor, "span", {"class": "nhsuk-u-visually-hidden"})
        hidden.text = f"Link to the section: {text}"
        mark = etree.SubElement(anchor, "span", {"aria-hidden": "true"})
        mark.text = "#"
        anchor.tail = None


class SiteMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API name
        # No raw HTML: it is escaped and shown as text instead.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After the contents list (priority 5) has given headings their ids.
        md.treeprocessors.register(SiteConventions(md), "site_conventions", 1)


def _parser():
    return markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "toc",
            "pymdownx.betterem",
            "pymdownx.saneheaders",
            SiteMarkdown(),
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"toc_depth": "2-3"},
        },
    )


def _flatten(tokens):
    for token in tokens:
        # Python-Markdown gives the name HTML-escaped; templates escape it themselves.
        title = html.unescape(token["name"])
        yield {"id": token["id"], "title": title, "level": token["level"]}
        yield from _flatten(token["children"])


def sanitise(markup):
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render(text):
    """Renders Markdown into sanitised HTML and the list of its ## and ### headings."""
    md = _parser()
    converted = md.convert(text or "")
    # Glossary links and external-link marks are added to the sanitised HTML (see embedded.links).
    html = annotate(sanitise(converted))
    return Rendered(html=html, contents=list(_flatten(md.toc_tokens)))


def markdownify(text):
    """The admin's live preview: exactly what the public page will show."""
    return render(text).html
