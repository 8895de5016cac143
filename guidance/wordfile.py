"""Word documents: a job description (`document()`) and a self-assessment's results.

Each is written with Word's built-in styles (Title, Heading 1 and 2, List
Bullet, Table Grid), so it keeps its structure for screen readers and drops
into an employer's own template. What goes into a job description is decided
in `guidance.jobdescription`; this module only writes it.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from embedded.plaintext import strip_unprintable as printable
from guidance.jobdescription import REQUIREMENTS_EXPLAINED

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING_COLOUR = RGBColor(0x1D, 0x4F, 0x5F)
HEADER_FILL = "E8EDEE"


def document(job):
    """The job description as the bytes of a .docx file: the job description alone, with
    nothing of the website's (no links, no notes to its readers)."""
    doc = Document()
    _set_up(doc, title=f"Job description: {job.title}", author=job.details.get("Organisation"))
    doc.core_properties.subject = "Job description and person specification"
    doc.add_heading(job.title, level=0)
    doc.add_paragraph("Job description and person specification", style="Subtitle")

    doc.add_heading("Job details", level=1)
    _two_columns(doc, list(job.details.items()), widths=(Mm(45), Mm(125)), bold_first=True)

    doc.add_heading("Purpose of the post", level=1)
    doc.add_paragraph(printable(job.profile.purpose))

    doc.add_heading("Context", level=1)
    BodyWriter(doc).write(printable(job.context_html))

    doc.add_heading("Main responsibilities", level=1)
    for area in job.areas:
        doc.add_heading(area.name, level=2)
        for item in area.items:
            doc.add_paragraph(item, style="List Bullet")

    doc.add_heading("Working relationships", level=1)
    for who, how in job.relationships:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{who}: ").bold = True
        paragraph.add_run(how)

    doc.add_heading("Person specification", level=1)
    doc.add_paragraph(REQUIREMENTS_EXPLAINED)
    for section, criteria in job.person_specification():
        doc.add_heading(section, level=2)
        _person_specification_table(doc, criteria)
    return _bytes(doc)


def self_assessment_document(assessment, title, base_url):
    """A researcher's self-assessment results as the bytes of a .docx file, to keep: their
    areas to develop with the guidance for each (as full addresses), and their strengths.
    `base_url` turns the site's paths into addresses a reader of the file can follow."""
    profile = assessment.profile
    doc = Document()
    _set_up(doc, title=f"{title}: {profile.title}", author="")
    doc.add_heading(f"{title}: your results", level=0)
    counts = assessment.counts()
    doc.add_paragraph(
        f"You rated yourself against {counts['rated']} of the {counts['total']} attitudes, "
        f"skills and areas of knowledge in the person specification for an "
        f"{printable(profile.title).lower()}."
    )
    doc.add_heading("Areas to develop", level=1)
    for section, ratings in assessment.development_areas():
        doc.add_heading(section, level=2)
        table = _table_with_header(doc, ["Criterion", "Your answer", "Guidance that helps"])
        for rating in ratings:
            criterion, row = rating.criterion, table.add_row()
            name, answer, guidance = row.cells
            name.paragraphs[0].add_run(criterion.name).bold = True
            name.add_paragraph(criterion.requirement_label)
            answer.text = rating.answer_label
            link = criterion.guide_link
            guidance.text = f"{link.title}: {urljoin(base_url, link.url)}" if link else "None yet"
            _space_and_keep_together(row)
        _fix_widths(table, (Mm(60), Mm(35), Mm(75)))
    if not assessment.development_areas():
        doc.add_paragraph('You did not choose "Not yet" or "Developing" for anything you rated.')
    doc.add_heading("Your strengths", level=1)
    for section, ratings in assessment.strengths():
        doc.add_heading(section, level=2)
        table = _table_with_header(doc, ["Criterion", "Your answer"])
        for rating in ratings:
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = rating.criterion.name, rating.answer_label
            _space_and_keep_together(row)
        _fix_widths(table, (Mm(110), Mm(60)))
    if not assessment.strengths():
        doc.add_paragraph(
            'You did not choose "Confident" or "Could teach others" for anything you rated.'
        )
    unrated = assessment.unrated()
    if unrated:
        doc.add_heading("Not rated", level=1)
        for criterion in unrated:
            doc.add_paragraph(criterion.name, style="List Bullet")
    return _bytes(doc)


def _bytes(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_up(doc, title, author):
    """A4 pages, British English, Arial throughout, and plain heading colours."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)

    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_defaults = defaults.find(qn("w:rPr"))
    _use_arial(run_defaults)
    language = run_defaults.find(qn("w:lang"))
    for attribute in ("w:val", "w:eastAsia"):
        language.set(qn(attribute), "en-GB")
    for name in ["Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"]:
        style = doc.styles[name]
        _use_arial(style.element.get_or_add_rPr())
        style.font.color.rgb = HEADING_COLOUR
        style.font.italic = False

    properties = doc.core_properties
    properties.title = title
    properties.author = author or ""
    properties.language = "en-GB"


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


def _two_columns(doc, rows, widths, bold_first=False):
    table = doc.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in rows:
        row = table.add_row()
        # Room to write in by hand on a printed copy.
        row.height, row.height_rule = Mm(9), WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, value_cell = row.cells
        label_cell.paragraphs[0].add_run(label).bold = bold_first
        value_cell.text = value
        _shade(label_cell)
    _fix_widths(table, widths)
    return table


def _person_specification_table(doc, criteria):
    table = _table_with_header(doc, ["Criterion", "Essential or desirable", "How it is assessed"])
    for criterion in criteria:
        row = table.add_row()
        name, requirement, assessed = row.cells
        name.paragraphs[0].add_run(criterion.name).bold = True
        if criterion.description:
            name.add_paragraph(criterion.description)
        requirement.text = criterion.requirement_label
        assessed.text = criterion.assessed_by_text
        _space_and_keep_together(row)
    _fix_widths(table, (Mm(100), Mm(35), Mm(35)))


def _table_with_header(doc, headings):
    table = doc.add_table(rows=1, cols=len(headings), style="Table Grid")
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
        _shade(cell)
    _repeat_as_header(table.rows[0])
    return table


def _space_and_keep_together(row):
    for cell in row.cells:
        cell.paragraphs[-1].paragraph_format.space_after = Pt(4)
    _keep_row_together(row)


def _fix_widths(table, widths):
    """Widths on the grid (which LibreOffice reads) and on every cell (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _shade(cell):
    """A light grey background, which marks a heading cell without relying on colour alone."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row):
    """Word repeats this row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _keep_row_together(row)


def _keep_row_together(row):
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


class BodyWriter(HTMLParser):
    """Writes a body's sanitised HTML into Word: headings, paragraphs, lists and tables.

    The HTML comes from `embedded.markdown` by way of
    `jobdescription.without_links`, so only its allow-listed tags arrive, and
    no links; images are left out.
    """

    HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
    LISTS = {"ul": "List Bullet", "ol": "List Number"}

    def __init__(self, doc):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.paragraph = None
        self.lists = []
        self.bold = self.italic = 0
        self.table = None

    def write(self, html):
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.HEADINGS:
            self.paragraph = self.doc.add_heading(level=self.HEADINGS[tag])
        elif tag in self.LISTS:
            self.lists.append(self.LISTS[tag])
        elif tag == "li":
            self.paragraph = self.doc.add_paragraph(style=self.lists[-1] if self.lists else None)
        elif tag in {"p", "blockquote", "pre", "dt", "dd"} and self.table is None:
            if not (self.paragraph is not None and self.lists and not self.paragraph.text):
                style = self.lists[-1] if self.lists else ("Quote" if tag == "blockquote" else None)
                self.paragraph = self.doc.add_paragraph(style=style)
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in {"td", "th"} and self.table:
            self.table[-1].append("")

    def handle_endtag(self, tag):
        if tag in self.HEADINGS or tag in {"p", "li", "blockquote", "pre", "dt", "dd"}:
            self.paragraph = None
        elif tag in self.LISTS and self.lists:
            self.lists.pop()
        elif tag in {"strong", "b"}:
            self.bold = max(self.bold - 1, 0)
        elif tag in {"em", "i"}:
            self.italic = max(self.italic - 1, 0)
        elif tag == "table" and self.table is not None:
            rows, self.table = [row for row in self.table if row], None
            self._table(rows)

    def handle_data(self, data):
        self._text(re.sub(r"\s+", " ", data))

    def _text(self, text):
        if self.table is not None:
            if self.table and self.table[-1]:
                self.table[-1][-1] += text
            return
        if self.paragraph is None:
            if not text.strip():
                return
            self.paragraph = self.doc.add_paragraph()
        if not self.paragraph.text:
            text = text.lstrip()
        if text:
            run = self.paragraph.add_run(text)
            run.bold = bool(self.bold) or None
            run.italic = bool(self.italic) or None

    def _table(self, rows):
        if not rows:
            return
        columns = max(len(row) for row in rows)
        table = self.doc.add_table(rows=0, cols=columns, style="Table Grid")
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):  # rows may be ragged
                cell.text = value.strip()
        _repeat_as_header(table.rows[0])
