"""A reader's plan as a Word document, titled with their organisation's name and the date.

It holds every answer under its theme, then what the answers suggest, and
carries the reader's progress file inside it (see `embedded_progress`), so
the Word file alone is enough to carry on planning later.
"""

import base64
import zlib
from urllib.parse import urljoin

from django.utils.text import slugify
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Mm
from lxml import etree

from embedded.worddoc import CONTENT_TYPE, new_document, to_bytes, two_columns

__all__ = ["CONTENT_TYPE", "document", "filename"]

CUSTOM_PROPERTIES = "/docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_SET = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROGRESS_PROPERTY = "EmbeddedResearchPlannerProgress"
# Word shows and keeps custom properties of up to 255 characters each.
CHUNK = 255


def filename(plan):
    name = slugify(plan.organisation)[:60].strip("-") or "your-organisation"
    return f"embedded-research-plan-{name}-{plan.made_on.isoformat()}.docx"


def _date(day):
    return f"{day.day} {day:%B %Y}"


def document(plan, progress_file, base_url):
    """The plan as the bytes of a .docx file, with the progress file embedded."""
    doc = new_document(plan.title, subject="Embedded research plan", author=plan.organisation)
    doc.add_heading(plan.title, level=0)
    doc.add_paragraph(f"Made on {_date(plan.made_on)}", style="Subtitle")

    doc.add_heading("Your organisation", level=1)
    rows = [("Organisation", plan.organisation)]
    rows += [
        (label, ", ".join(chosen) or "Not answered") for label, chosen in plan.organisation_facts
    ]
    two_columns(doc, rows, widths=(Mm(70), Mm(100)), bold_labels=True)

    for group in plan.groups:
        doc.add_heading(f"{group.label}: {group.asks.lower()}", level=1)
        for theme_plan in group.themes:
            doc.add_heading(theme_plan.theme.title, level=2)
            for question, chosen in theme_plan.choices:
                paragraph = doc.add_paragraph()
                paragraph.add_run(f"{question} ").bold = True
                paragraph.add_run(", ".join(chosen) or "Not answered")
            for number, question, answer in theme_plan.answers:
                asked = doc.add_paragraph()
                asked.add_run(f"{number}. {question}").bold = True
                asked.paragraph_format.keep_with_next = True
                if answer:
                    for line in answer.split("\n"):
                        doc.add_paragraph(line)
                else:
                    doc.add_paragraph().add_run("Not answered yet").italic = True

    doc.add_heading("What your answers suggest", level=1)
    doc.add_paragraph("This is our advice, drawn from the guidance, not a finding of the study.")
    doc.add_heading("Guidance to read next", level=2)
    if not plan.reading:
        doc.add_paragraph("No guidance is linked to these themes yet.")
    for suggestion in plan.reading:
        part = suggestion.item
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{part.title}").bold = True
        paragraph.add_run(f" ({part.guide.title}), {urljoin(base_url, part.get_absolute_url())}. ")
        paragraph.add_run(f"Helps with: {', '.join(suggestion.reasons)}.")
    doc.add_heading("Case studies with similar choices", level=2)
    if not plan.similar:
        doc.add_paragraph(
            "None yet: choose your kind of organisation, model, funding, public involvement "
            "or timescale to see case studies that made similar choices."
        )
    for suggestion in plan.similar:
        study = suggestion.item
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(study.title).bold = True
        paragraph.add_run(f", {urljoin(base_url, study.get_absolute_url())}. ")
        paragraph.add_run(f"{'; '.join(suggestion.reasons)}.")
    doc.add_heading("Questions left unanswered", level=2)
    if not plan.unanswered:
        doc.add_paragraph("You have answered every question.")
    for theme_plan in plan.unanswered:
        doc.add_heading(theme_plan.theme.title, level=3)
        for number, question in theme_plan.unanswered:
            doc.add_paragraph(f"{number}. {question}")

    doc.add_heading("About this plan", level=1)
    planner = urljoin(base_url, "/framework/plan/")
    doc.add_paragraph(
        f"Made with the Embedded Research project's planner ({planner}), which is built on the "
        "framework of ten design themes from the study by Ward and colleagues (2021). Nothing "
        "you entered was kept on our server. To carry on planning, upload this Word file, or "
        "the progress file you saved, on the planner's first page."
    )
    _embed_progress(doc, progress_file)
    return to_bytes(doc)


def _embed_progress(doc, progress_file):
    """The progress file, compressed, in the document's custom properties."""
    packed = base64.b64encode(zlib.compress(progress_file, 9)).decode("ascii")
    root = etree.Element(f"{{{PROPERTIES_NS}}}Properties", nsmap={None: PROPERTIES_NS, "vt": VT_NS})
    chunks = [packed[i : i + CHUNK] for i in range(0, len(packed), CHUNK)] or [""]
    for number, chunk in enumerate(chunks, start=1):
        prop = etree.SubElement(
            root,
            f"{{{PROPERTIES_NS}}}property",
            fmtid=PROPERTY_SET,
            pid=str(number + 1),
            name=f"{PROGRESS_PROPERTY}{number:04d}",
        )
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = chunk
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = doc.part.package
    part = Part(PackURI(CUSTOM_PROPERTIES), CUSTOM_TYPE, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
