"""Sanitised body HTML written into a Word document, keeping its structure.

The HTML comes from `embedded.markdown`, so only its allow-listed tags
arrive: headings, paragraphs, bullet and numbered lists (nested too), bold
and italic, links, line breaks and tables. The parser turns them into a short
list of blocks, and the writer puts each into Word with a built-in style:
`## ` headings become Heading 1 (the document's title is the page's), lists
become List Bullet and List Number (each numbered list starting again at 1),
and a table's header row is shaded, bold and repeated on every page. Links
keep their text and gain their address in brackets; "link to this section"
anchors and images are left out; fill-in fields in square brackets are
highlighted.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm

from embedded.worddoc import repeat_as_header, shade
from toolkit.fill_ins import split_fill_ins

HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
BLOCKS = {"p", "blockquote", "pre", "dt", "dd"}


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """A heading, paragraph or list item (with its runs), or a table (with its rows)."""

    kind: str  # heading, paragraph, item, table
    level: int = 0  # a heading's level; a list item's depth (1 = top)
    ordered: bool = False
    list_id: int = 0  # items of one list share it, so numbering restarts per list
    style: str = ""
    runs: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(is_header, [cell: [paragraph: [Run]]])]

    @property
    def text(self):
        return "".join(run.text for run in self.runs)


class BlockParser(HTMLParser):
    def __init__(self, base_url=""):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.blocks = []
        self.runs = None  # the paragraph being filled
        self.lists = []  # (ordered, list id)
        self.list_count = 0
        self.bold = self.italic = 0
        self.links = []
        self.skipping = 0
        self.table = None  # the table block being read
        self.cell = None  # the current cell's paragraphs

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            self.skipping += tag not in {"br", "img", "hr"}
            return
        classes = (attrs.get("class") or "").split()
        # Left out: "link to this section" anchors, and words only screen readers hear.
        if (tag == "a" and "heading-anchor" in classes) or "nhsuk-u-visually-hidden" in classes:
            self.skipping = 1
        elif tag in HEADINGS:
            self._open(Block("heading", level=HEADINGS[tag]))
        elif tag in {"ul", "ol"}:
            self.list_count += 1
            self.lists.append((tag == "ol", self.list_count))
        elif tag == "li":
            ordered, list_id = self.lists[-1] if self.lists else (False, 0)
            self._open(Block("item", level=len(self.lists), ordered=ordered, list_id=list_id))
        elif tag in BLOCKS:
            if not (self.runs is not None and not self._text_of(self.runs) and self.lists):
                style = "Quote" if tag == "blockquote" else ""
                self._open(Block("paragraph", style=style))
            if tag == "dt":
                self.bold += 1
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "a":
            # A glossary link is the site's help for readers, not part of the document.
            glossary = "glossary-link" in (attrs.get("class") or "").split()
            self.links.append("" if glossary else attrs.get("href") or "")
        elif tag == "br":
            self._add("\n")
        elif tag == "table" and self.table is None:
            self.table = Block("table")
            self.blocks.append(self.table)
            self.runs = None
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([True, []])
        elif tag in {"td", "th"} and self.table is not None and self.table.rows:
            row = self.table.rows[-1]
            row[0] = row[0] and tag == "th"
            self.cell = [[]]
            row[1].append(self.cell)
            self.runs = self.cell[0]

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        if tag in HEADINGS or tag in BLOCKS or tag == "li":
            if tag == "dt":
                self.bold = max(self.bold - 1, 0)
            self.runs = None
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self.runs = None
        elif tag in {"strong", "b"}:
            self.bold = max(self.bold - 1, 0)
        elif tag in {"em", "i"}:
            self.italic = max(self.italic - 1, 0)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                self._add(f" ({urljoin(self.base_url, href)})")
        elif tag in {"td", "th"}:
            self.cell, self.runs = None, None
        elif tag == "table":
            self.table, self.cell, self.runs = None, None, None

    def handle_data(self, data):
        if not self.skipping:
            self._add(re.sub(r"\s+", " ", data))

    def _open(self, block):
        if self.cell is not None:
            if self.runs is not None and not self._text_of(self.runs):
                return  # the cell's first paragraph is still empty: use it
            self.runs = []
            self.cell.append(self.runs)
            return
        self.blocks.append(block)
        self.runs = block.runs

    def _add(self, text):
        if self.runs is None:
            if not text.strip() or (self.table is not None and self.cell is None):
                return
            self._open(Block("paragraph"))
        if not self._text_of(self.runs):
            text = text.lstrip(" ")
        if text:
            self.runs.append(Run(text, bold=bool(self.bold), italic=bool(self.italic)))

    @staticmethod
    def _text_of(runs):
        return "".join(run.text for run in runs)


def parse(html, base_url=""):
    parser = BlockParser(base_url)
    parser.feed(str(html))
    parser.close()
    return [block for block in parser.blocks if block.kind == "table" or block.text.strip()]


def write(doc, html, base_url="", heading_offset=0):
    """Writes the HTML's blocks at the end of the document."""
    numbered = {}  # list id -> Word numbering id, so each numbered list starts at 1
    for block in parse(html, base_url):
        if block.kind == "heading":
            paragraph = doc.add_heading(level=min(block.level + heading_offset, 9))
            add_runs(paragraph, block.runs)
        elif block.kind == "item":
            base = "List Number" if block.ordered else "List Bullet"
            style = base if block.level <= 1 else f"{base} {min(block.level, 3)}"
            paragraph = doc.add_paragraph(style=style)
            if block.ordered and block.level <= 1:
                if block.list_id not in numbered:
                    numbered[block.list_id] = _new_numbering(doc)
                _use_numbering(paragraph, numbered[block.list_id])
            add_runs(paragraph, block.runs)
        elif block.kind == "paragraph":
            paragraph = doc.add_paragraph(style=block.style or None)
            add_runs(paragraph, block.runs)
        elif block.kind == "table":
            _write_table(doc, block)


def add_runs(paragraph, runs):
    """The runs, trimmed at the paragraph's end, with fill-ins highlighted."""
    runs = list(runs)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
    for run in runs:
        lines = run.text.split("\n")
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            for piece, is_fill_in in split_fill_ins(line):
                written = paragraph.add_run(piece)
                written.bold = run.bold or None
                written.italic = run.italic or None
                if is_fill_in:
                    written.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _write_table(doc, block):
    rows = [row for row in block.rows if row[1]]
    if not rows:
        return
    columns = max(len(cells) for _header, cells in rows)
    table = doc.add_table(rows=0, cols=columns, style="Table Grid")
    for is_header, cells in rows:
        row = table.add_row()
        for cell, paragraphs in zip(row.cells, cells, strict=False):  # rows may be ragged
            for number, runs in enumerate(paragraphs):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                if is_header:
                    runs = [Run(run.text, True, run.italic) for run in runs]
                add_runs(paragraph, runs)
            if is_header:
                shade(cell)
        if is_header:
            repeat_as_header(row)
        else:
            # Room to write in by hand on a printed copy.
            row.height, row.height_rule = Mm(8), WD_ROW_HEIGHT_RULE.AT_LEAST


def _new_numbering(doc):
    """A new numbering instance of the List Number style's list, starting at 1."""
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    style_num_id = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _use_numbering(paragraph, num_id):
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id
