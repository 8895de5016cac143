"""Word documents: a job description (`document()`) and a self-assessment's results.

Each is written with Word's built-in styles (Title, Heading 1 and 2, List
Bullet, Table Grid), so it keeps its structure for screen readers and drops
into an employer's own template. What goes into a job description is decided
in `guidance.jobdescription`; this module only writes it.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from docx.shared import Mm

from embedded.plaintext import strip_unprintable as printable
from embedded.worddoc import (
    CONTENT_TYPE,
    fix_widths,
    new_document,
    repeat_as_header,
    space_and_keep_together,
    table_with_header,
    to_bytes,
    two_columns,
)
from guidance.jobdescription import REQUIREMENTS_EXPLAINED

__all__ = ["CONTENT_TYPE", "BodyWriter", "document", "self_assessment_document"]


def document(job):
    """The job description as the bytes of a .docx file: the job description alone, with
    nothing of the website's (no links, no notes to its readers)."""
    doc = new_document(
        title=f"Job description: {job.title}",
        subject="Job description and person specification",
        author=job.details.get("Organisation") or "",
    )
    doc.add_heading(job.title, level=0)
    doc.add_paragraph("Job description and person specification", style="Subtitle")

    doc.add_heading("Job details", level=1)
    two_columns(doc, list(job.details.items()), widths=(Mm(45), Mm(125)), bold_labels=True)

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
    return to_bytes(doc)


def self_assessment_document(assessment, title, base_url):
    """A researcher's self-assessment results as the bytes of a .docx file, to keep: their
    areas to develop with the guidance for each (as full addresses), and their strengths.
    `base_url` turns the site's paths into addresses a reader of the file can follow."""
    profile = assessment.profile
    doc = new_document(title=f"{title}: {profile.title}", author="")
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
        table = table_with_header(doc, ["Criterion", "Your answer", "Guidance that helps"])
        for rating in ratings:
            criterion, row = rating.criterion, table.add_row()
            name, answer, guidance = row.cells
            name.paragraphs[0].add_run(criterion.name).bold = True
            name.add_paragraph(criterion.requirement_label)
            answer.text = rating.answer_label
            link = criterion.guide_link
            guidance.text = f"{link.title}: {urljoin(base_url, link.url)}" if link else "None yet"
            space_and_keep_together(row)
        fix_widths(table, (Mm(60), Mm(35), Mm(75)))
    if not assessment.development_areas():
        doc.add_paragraph('You did not choose "Not yet" or "Developing" for anything you rated.')
    doc.add_heading("Your strengths", level=1)
    for section, ratings in assessment.strengths():
        doc.add_heading(section, level=2)
        table = table_with_header(doc, ["Criterion", "Your answer"])
        for rating in ratings:
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = rating.criterion.name, rating.answer_label
            space_and_keep_together(row)
        fix_widths(table, (Mm(110), Mm(60)))
    if not assessment.strengths():
        doc.add_paragraph(
            'You did not choose "Confident" or "Could teach others" for anything you rated.'
        )
    unrated = assessment.unrated()
    if unrated:
        doc.add_heading("Not rated", level=1)
        for criterion in unrated:
            doc.add_paragraph(criterion.name, style="List Bullet")
    return to_bytes(doc)


def _person_specification_table(doc, criteria):
    table = table_with_header(doc, ["Criterion", "Essential or desirable", "How it is assessed"])
    for criterion in criteria:
        row = table.add_row()
        name, requirement, assessed = row.cells
        name.paragraphs[0].add_run(criterion.name).bold = True
        if criterion.description:
            name.add_paragraph(criterion.description)
        requirement.text = criterion.requirement_label
        assessed.text = criterion.assessed_by_text
        space_and_keep_together(row)
    fix_widths(table, (Mm(100), Mm(35), Mm(35)))


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
        repeat_as_header(table.rows[0])
