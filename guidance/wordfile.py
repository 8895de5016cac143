"""A job description as data, and as a Word document.

`JobDescription` is what a role profile says, ready to show or to write out:
the public page, the builder's preview and both Word downloads read one, so
they cannot drift apart. `document()` writes it as a .docx with Word's
built-in styles (Title, Heading 1 and 2, List Bullet, Table Grid), so it
keeps its structure for screen readers and drops into an employer's own
template.
"""

import io
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.utils.text import slugify
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from embedded.plaintext import strip_unprintable as printable
from guidance.models import Competency

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_ORDER = list(Competency.Kind.values)
KIND_PLURALS = {"attitude": "Attitudes", "skill": "Skills", "knowledge": "Knowledge"}
OTHER_AREA = "Other responsibilities"
DETAIL_LABELS = ["Organisation", "Job title", "Band or grade", "Hours", "Host team", "Employed by"]
REQUIREMENTS_EXPLAINED = (
    "Essential criteria are what the postholder needs from their first day. "
    "Desirable criteria can be developed in post, with support."
)
HEADING_COLOUR = RGBColor(0x1D, 0x4F, 0x5F)
HEADER_FILL = "E8EDEE"


def readable_part(item):
    """The guide part that explains an item, if the public can open it."""
    part = item.guide_part
    if part is not None and part.is_live and part.guide.is_live:
        return part
    return None


@dataclass
class Area:
    """A group of responsibilities, and the guide part that explains it."""

    name: str
    items: list = field(default_factory=list)
    guide_part: object = None


@dataclass
class Criterion:
    """One line of the person specification."""

    name: str
    description: str
    kind: str
    requirement: str
    guide_part: object = None

    @classmethod
    def from_competency(cls, competency, requirement=None):
        return cls(
            name=competency.name,
            description=competency.description,
            kind=competency.kind,
            requirement=requirement or competency.requirement,
            guide_part=readable_part(competency),
        )

    @property
    def kind_label(self):
        return Competency.Kind(self.kind).label

    @property
    def requirement_label(self):
        return Competency.Requirement(self.requirement).label

    @property
    def is_essential(self):
        return self.requirement == Competency.Requirement.ESSENTIAL


def by_kind(items, kind=lambda item: item.kind):
    """Items grouped as attitudes, skills and knowledge, in that order, keeping their own order."""
    return [
        (KIND_PLURALS[each], group)
        for each in KIND_ORDER
        if (group := [item for item in items if kind(item) == each])
    ]


def areas_of(responsibilities):
    """Responsibility items grouped by their area, in the order the areas first appear."""
    areas = {}
    for item in responsibilities:
        area = areas.setdefault(item.area, Area(item.area, guide_part=readable_part(item)))
        area.items.append(item.text)
    return list(areas.values())


@dataclass
class JobDescription:
    """A job description: the profile's, or one an employer has tailored with the builder.

    `details` maps each of `DETAIL_LABELS` to a value; an empty value is left
    for the employer to fill in.
    """

    profile: object
    title: str
    details: dict
    areas: list
    relationships: list
    criteria: list
    tailored: bool = False

    def __post_init__(self):
        """A Word file cannot hold control characters: text that got in some other way
        than the admin (which refuses them) loses them here."""
        self.title = printable(self.title)
        self.details = {label: printable(value) for label, value in self.details.items()}
        self.areas = [
            replace(area, name=printable(area.name), items=[printable(i) for i in area.items])
            for area in self.areas
        ]
        self.relationships = [(printable(who), printable(how)) for who, how in self.relationships]
        self.criteria = [
            replace(each, name=printable(each.name), description=printable(each.description))
            for each in self.criteria
        ]

    @classmethod
    def from_profile(cls, profile):
        """The profile as published (its related items prefetched, with their guide parts)."""
        return cls(
            profile=profile,
            title=profile.title,
            details=dict.fromkeys(DETAIL_LABELS, ""),
            areas=areas_of(profile.responsibilities.all()),
            relationships=[(r.who, r.how) for r in profile.working_relationships.all()],
            criteria=[Criterion.from_competency(c) for c in profile.competencies.all()],
        )

    def person_specification(self):
        return by_kind(self.criteria)

    def guide_parts(self):
        """Every readable guide part the profile points to, once each, in order of appearance."""
        parts = [area.guide_part for area in self.areas] + [c.guide_part for c in self.criteria]
        return list({part.pk: part for part in parts if part is not None}.values())

    @property
    def filename(self):
        name = slugify(self.title)[:80].strip("-") or self.profile.slug
        return f"{name}-job-description.docx"


def document(job, base_url):
    """The job description as the bytes of a .docx file.

    `base_url` turns the site's own links (written as paths) into addresses a
    reader of the printed or emailed document can follow.
    """
    doc = Document()
    _set_up(doc, job)
    doc.add_heading(job.title, level=0)
    doc.add_paragraph("Job description and person specification", style="Subtitle")

    doc.add_heading("Job details", level=1)
    if not job.tailored:
        doc.add_paragraph("Fill in the details of your post.")
    _two_columns(doc, list(job.details.items()), widths=(Mm(45), Mm(125)), bold_first=True)

    doc.add_heading("Purpose of the post", level=1)
    doc.add_paragraph(printable(job.profile.purpose))

    doc.add_heading("Context", level=1)
    BodyWriter(doc, base_url).write(printable(job.profile.body_html))

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
    _person_specification_table(doc, job)

    doc.add_heading("About this job description", level=1)
    doc.add_paragraph(_note(job, base_url))

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _note(job, base_url):
    source = urljoin(base_url, job.profile.get_absolute_url())
    reviewed = f"{job.profile.last_reviewed.day} {job.profile.last_reviewed:%B %Y}"
    origin = "is adapted from" if job.tailored else "comes from"
    return (
        f"This job description {origin} the Embedded Research project's role profile for an "
        f"{printable(job.profile.title).lower()} ({source}), last reviewed on {reviewed}. "
        "Adapt it to your post and your organisation's own template. Set the band or grade "
        "through your organisation's job evaluation process (for NHS posts, Agenda for Change)."
    )


def _set_up(doc, job):
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
    properties.title = f"Job description: {job.title}"
    properties.subject = "Job description and person specification"
    properties.author = job.details.get("Organisation") or "Embedded Research"
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


def _person_specification_table(doc, job):
    table = doc.add_table(rows=1, cols=3, style="Table Grid")
    headings = ["Criterion", "Attitude, skill or knowledge", "Essential or desirable"]
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
        _shade(cell)
    _repeat_as_header(table.rows[0])
    for _kind, criteria in job.person_specification():
        for criterion in criteria:
            row = table.add_row()
            name, kind, requirement = row.cells
            name.paragraphs[0].add_run(criterion.name).bold = True
            if criterion.description:
                name.add_paragraph(criterion.description)
            kind.text = criterion.kind_label
            requirement.text = criterion.requirement_label
            for cell in row.cells:
                cell.paragraphs[-1].paragraph_format.space_after = Pt(4)
            _keep_row_together(row)
    _fix_widths(table, (Mm(100), Mm(35), Mm(35)))


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
    """Writes a body's sanitised HTML into Word: headings, paragraphs, lists, tables, links.

    The HTML comes from `embedded.markdown`, so only its allow-listed tags
    arrive. Links keep their text and gain their address in brackets (not
    glossary terms); "link to this section" anchors, the marks on links to
    other websites and images are left out.
    """

    HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
    LISTS = {"ul": "List Bullet", "ol": "List Number"}

    def __init__(self, doc, base_url):
        super().__init__(convert_charrefs=True)
        self.doc, self.base_url = doc, base_url
        self.paragraph = None
        self.lists = []
        self.bold = self.italic = 0
        self.skipping = None  # the tag whose end stops the skipping
        self.links = []
        self.table = None

    def write(self, html):
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            return
        classes = (attrs.get("class") or "").split()
        if tag == "a" and "heading-anchor" in classes:
            self.skipping = "a"
        elif tag == "span" and {"nhsuk-u-visually-hidden", "external-link__icon"} & set(classes):
            # The words and icon that mark a link to another website: its address says it.
            self.skipping = "span"
        elif tag in self.HEADINGS:
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
        elif tag == "a":
            # A glossary term keeps its words only: its address would clutter the sentence.
            self.links.append("" if "glossary-link" in classes else attrs.get("href") or "")
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in {"td", "th"} and self.table:
            self.table[-1].append("")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping:
                self.skipping = None
            return
        if tag in self.HEADINGS or tag in {"p", "li", "blockquote", "pre", "dt", "dd"}:
            self.paragraph = None
        elif tag in self.LISTS and self.lists:
            self.lists.pop()
        elif tag in {"strong", "b"}:
            self.bold = max(self.bold - 1, 0)
        elif tag in {"em", "i"}:
            self.italic = max(self.italic - 1, 0)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                self._text(f" ({urljoin(self.base_url, href)})")
        elif tag == "table" and self.table is not None:
            rows, self.table = [row for row in self.table if row], None
            self._table(rows)

    def handle_data(self, data):
        if not self.skipping:
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
