"""Templates as Word files: the HTML-to-Word writer, fill-ins, each template against its page."""

import copy
import io

import docx
import lxml.html
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.table import Table

from embedded.markdown import render
from embedded.worddoc import new_document, to_bytes
from toolkit import wordhtml
from toolkit.fill_ins import mark_fill_ins, split_fill_ins
from toolkit.models import DocumentTemplate

# Rendering reads the glossary, so every test here uses the database.
pytestmark = pytest.mark.django_db


def written(markdown, base_url="https://example.org/"):
    """Markdown rendered as the site renders it, then written to Word and read back."""
    doc = new_document("A test", subject="Tests")
    wordhtml.write(doc, render(markdown).html, base_url=base_url)
    return docx.Document(io.BytesIO(to_bytes(doc)))


def styled(document):
    return [(p.style.name, p.text) for p in document.paragraphs]


# The writer


def test_headings_become_word_headings_one_level_down_without_their_anchors():
    document = written("## Section\n\nText.\n\n### Sub-section\n\nMore.")
    assert styled(document) == [
        ("Heading 1", "Section"),
        ("Normal", "Text."),
        ("Heading 2", "Sub-section"),
        ("Normal", "More."),
    ]


def test_bold_and_italic_keep_their_runs():
    [paragraph] = written("Some **bold** and *italic* words.").paragraphs
    runs = [(run.text, run.bold, run.italic) for run in paragraph.runs]
    assert runs == [
        ("Some ", None, None),
        ("bold", True, None),
        (" and ", None, None),
        ("italic", None, True),
        (" words.", None, None),
    ]


def test_lists_use_word_list_styles_nested_lists_a_level_deeper():
    document = written("- One\n- Two\n    - Two and a half\n\n1. First\n2. Second")
    assert styled(document) == [
        ("List Bullet", "One"),
        ("List Bullet", "Two"),
        ("List Bullet 2", "Two and a half"),
        ("List Number", "First"),
        ("List Number", "Second"),
    ]


def test_each_numbered_list_starts_again_at_one():
    document = written("1. A\n2. B\n\nBetween.\n\n1. C\n2. D")
    numbers = [
        p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"
    ]
    assert numbers[0] == numbers[1] != numbers[2] == numbers[3]
    numbering = document.part.numbering_part.numbering_definitions._numbering
    for num_id in {numbers[0], numbers[2]}:
        start = numbering.num_having_numId(num_id).xpath("./w:lvlOverride/w:startOverride/@w:val")
        assert start == ["1"]


def test_tables_keep_their_cells_with_a_shaded_bold_header_repeated_on_each_page():
    document = written("| Who | What |\n|---|---|\n| **Host** | [name] |\n| University | |")
    [table] = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Who", "What"],
        ["Host", "[name]"],
        ["University", ""],
    ]
    header = table.rows[0]
    assert header._tr.trPr.xpath("./w:tblHeader")
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert table.rows[1].cells[0].paragraphs[0].runs[0].bold


def test_fill_ins_are_highlighted_and_keep_their_brackets():
    [paragraph] = written("Signed by [name of host organisation] on [date].").paragraphs
    highlighted = [
        r.text for r in paragraph.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert highlighted == ["[name of host organisation]", "[date]"]
    assert paragraph.text == "Signed by [name of host organisation] on [date]."


def test_links_keep_their_text_and_gain_their_full_address():
    [paragraph] = written(
        "See [the guidance](/guidance/) or [NIHR](https://www.nihr.ac.uk/)."
    ).paragraphs
    assert paragraph.text == (
        "See the guidance (https://example.org/guidance/) or NIHR (https://www.nihr.ac.uk/)."
    )


def test_markup_typed_into_a_body_arrives_as_text_never_as_structure():
    [paragraph] = written("<script>alert(1)</script> & <b>not bold</b>").paragraphs
    assert paragraph.text == "<script>alert(1)</script> & <b>not bold</b>"
    assert not any(run.bold for run in paragraph.runs)


def test_an_empty_body_writes_nothing():
    assert written("").paragraphs == []


# Fill-ins on the page


def test_fill_ins_are_marked_in_text_but_never_inside_tags_or_attributes():
    html = '<div aria-label="Table: [who]"><p>Ask [name] &amp; [role]</p></div><a href="/x">[y]</a>'
    assert str(mark_fill_ins(html)) == (
        '<div aria-label="Table: [who]"><p>Ask <span class="fill-in">[name]</span> &amp; '
        '<span class="fill-in">[role]</span></p></div>'
        '<a href="/x"><span class="fill-in">[y]</span></a>'
    )


def test_split_fill_ins_finds_each_bracketed_field_in_order():
    assert split_fill_ins("a [b] c [d]") == [
        ("a ", False),
        ("[b]", True),
        (" c ", False),
        ("[d]", True),
    ]
    assert split_fill_ins("no fields [ here") == [("no fields [ here", False)]


# Every shipped template: its Word file says what its page says


def page_blocks(html):
    """The template body's headings and text blocks, in order, as a reader sees them."""
    body = lxml.html.fromstring(html).find_class("template-body")[0]
    for anchor in body.find_class("heading-anchor"):
        anchor.drop_tree()
    blocks = []
    for element in body.iter("h2", "h3", "p", "li", "th", "td"):
        if element.tag == "li":
            element = copy.deepcopy(element)
            for nested in element.findall(".//ul") + element.findall(".//ol"):
                nested.drop_tree()
        elif element.tag == "p" and element.getparent().tag == "li":
            continue
        blocks.append(" ".join(element.text_content().split()))
    return blocks


def word_blocks(document):
    """The Word file's body headings and text blocks (table cells in reading order), in order."""
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks += [" ".join(cell.text.split()) for row in item.rows for cell in row.cells]
        elif item.style.name in {"Title", "Subtitle"}:
            continue
        elif item.text == "About this template":
            break
        else:
            blocks.append(" ".join(item.text.split()))
    return blocks


def headings(document):
    return [p.text for p in document.paragraphs if p.style.name in {"Heading 1", "Heading 2"}]


def shipped_templates():
    from django.conf import settings

    from embedded.content import read_source, registry

    kind = next(kind for kind in registry.kinds if kind.model is DocumentTemplate)
    for path in kind.paths(settings.CONTENT_DIR):
        yield kind.parse(read_source(path, settings.CONTENT_DIR))["slug"]


@pytest.mark.parametrize("slug", list(shipped_templates()))
def test_each_templates_word_file_opens_and_says_what_its_page_says(client, slug):
    template = DocumentTemplate.objects.get(slug=slug)
    html = client.get(template.get_absolute_url()).content.decode()
    document = docx.Document(io.BytesIO(client.get(template.get_word_url()).content))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == template.title
    assert document.paragraphs[1].text == template.summary
    assert headings(document)[:-1] == [h["title"] for h in template.contents]
    assert headings(document)[-1] == "About this template"
    assert word_blocks(document) == page_blocks(html)
    assert document.core_properties.title == template.title
