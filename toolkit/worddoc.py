"""A Word document set up the site's way: A4, British English, Arial, plain heading colours.

Both of the toolkit's Word files (a template, and a reader's plan) start here,
and use only Word's built-in styles (Title, Subtitle, Heading 1 to 3, List
Bullet, List Number, Table Grid), so they keep their structure for screen
readers and drop into an organisation's own template.
"""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING_COLOUR = RGBColor(0x1D, 0x4F, 0x5F)
HEADER_FILL = "E8EDEE"
STYLED = ["Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"]


def new_document(title, subject, author="Embedded Research"):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)

    run_defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_defaults = run_defaults.find(qn("w:rPr"))
    _use_arial(run_defaults)
    language = run_defaults.find(qn("w:lang"))
    for attribute in ("w:val", "w:eastAsia"):
        language.set(qn(attribute), "en-GB")
    for name in STYLED:
        style = doc.styles[name]
        _use_arial(style.element.get_or_add_rPr())
        style.font.color.rgb = HEADING_COLOUR
        style.font.italic = False

    properties = doc.core_properties
    properties.title, properties.subject = title, subject
    properties.author = author
    properties.language = "en-GB"
    return doc


def to_bytes(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _use_arial(run_properties):
    """Arial in place of the template's theme fonts, which would otherwise win."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Arial")


def shade(cell):
    """A light grey background: marks a heading cell without relying on colour alone."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def repeat_as_header(row):
    """Word repeats this row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    properties.append(OxmlElement("w:cantSplit"))
