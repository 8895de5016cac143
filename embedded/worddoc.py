"""A Word document set up the site's way: A4, British English, Arial, plain heading colours.

Every Word file the site writes starts here: the toolkit's templates and a
reader's plan, and guidance's job description and self-assessment results.
They use only Word's built-in styles (Title, Subtitle, Heading 1 to 3, List
Bullet, List Number, Table Grid), so they keep their structure for screen
readers and drop into an organisation's own template. The table helpers below
give every file the same shaded, repeated header rows and fixed widths.
"""

import io

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING_COLOUR = RGBColor(0x1D, 0x4F, 0x5F)
HEADER_FILL = "E8EDEE"
STYLED = ["Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"]


def new_document(title, subject="", author="Embedded Research"):
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
    """A light grey background, which marks a heading cell without relying on colour alone."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def repeat_as_header(row):
    """Word repeats this row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    keep_together(row)


def keep_together(row):
    """Word never splits this row across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def space_and_keep_together(row):
    for cell in row.cells:
        cell.paragraphs[-1].paragraph_format.space_after = Pt(4)
    keep_together(row)


def table_with_header(doc, headings):
    """A table whose first row holds `headings`: bold, shaded and repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headings), style="Table Grid")
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
        shade(cell)
    repeat_as_header(table.rows[0])
    return table


def two_columns(doc, rows, widths, bold_labels=False):
    """A table of (label, value) rows, the labels shaded, with room to write by hand."""
    table = doc.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in rows:
        row = table.add_row()
        # Room to write in by hand on a printed copy.
        row.height, row.height_rule = Mm(9), WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, value_cell = row.cells
        label_cell.paragraphs[0].add_run(label).bold = bold_labels
        value_cell.text = value
        shade(label_cell)
    fix_widths(table, widths)
    return table


def fix_widths(table, widths):
    """Widths on the grid (which LibreOffice reads) and on every cell (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
