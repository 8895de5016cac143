"""A template as a Word document, written from the same sanitised HTML as its page."""

from urllib.parse import urljoin

from embedded.worddoc import CONTENT_TYPE, new_document, to_bytes
from toolkit import wordhtml

__all__ = ["CONTENT_TYPE", "document"]


def document(template, base_url):
    """The template as the bytes of a .docx file: title, summary, body, and where it came from."""
    doc = new_document(template.title, subject="Template from the Embedded Research project")
    doc.add_heading(template.title, level=0)
    doc.add_paragraph(template.summary, style="Subtitle")
    wordhtml.write(doc, template.body_html, base_url=base_url)
    reviewed = f"{template.last_reviewed.day} {template.last_reviewed:%B %Y}"
    source = urljoin(base_url, template.get_absolute_url())
    doc.add_heading("About this template", level=1)
    doc.add_paragraph(
        f"This template comes from the Embedded Research project ({source}), last reviewed "
        f"on {reviewed}. Replace each highlighted field in square brackets with your own "
        "details, and change anything else to suit your organisation."
    )
    return to_bytes(doc)
