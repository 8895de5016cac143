"""The Markdown pipeline: what an editor writes is shown, and nothing an attacker writes runs."""

import re
from html.parser import HTMLParser

import pytest

from embedded.markdown import markdownify, render

# Rendering links glossary terms, which it reads from the database.
pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=//evil.example></iframe>",
    "<object data=//evil.example></object>",
    "<embed src=//evil.example>",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="color:red">x</p>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="//evil.example"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "<base href=//evil.example/>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java&#09;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[click](https://ok.example "title" onmouseover="alert(1)")',
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<a href='https://ok.example' onclick='alert(1)'>x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "## Heading <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
]

SAFE_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip


class Markup(HTMLParser):
    """Collects the elements a browser would build from the HTML (text is ignored)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def dangers(html):
    found = []
    for tag, attrs in Markup(html).elements:
        if tag not in SAFE_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                found.append(f"{tag}[{name}]")
            if name in {"href", "src"}:
                scheme = re.sub(r"[\x00-\x20]", "", value or "").split(":", 1)
                if len(scheme) == 2 and scheme[0].lower() not in {"http", "https", "mailto"}:
                    found.append(f"{tag}[{name}={value}]")
    return found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup(payload):
    html = render(payload).html
    assert dangers(html) == [], html


def test_the_checker_itself_catches_dangerous_markup():
    assert dangers('<p onclick="x">a</p><script></script><a href=" javascript:x">') == [
        "p[onclick]",
        "<script>",
        "a[href= javascript:x]",
    ]


def test_script_tag_is_shown_as_text():
    html = render("Before <script>alert(1)</script> after").html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_admin_preview_is_the_same_safe_html():
    payload = "## Title\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    assert markdownify(payload) == render(payload).html
    assert "onerror" not in markdownify(payload).replace("onerror=alert(1)&gt;", "")


def test_allowed_links_keep_their_address():
    html = render("[a](https://example.org/x) [b](/guidance/) [c](mailto:team@example.org)").html
    assert 'href="https://example.org/x"' in html
    assert 'href="/guidance/"' in html
    assert 'href="mailto:team@example.org"' in html


def test_external_links_get_noopener_and_internal_links_do_not():
    html = render("[out](https://example.org) [in](/about/)").html
    assert '<a href="https://example.org" rel="noopener noreferrer" class="external-link">' in html
    assert '<a href="/about/">in</a>' in html


def test_headings_get_stable_ids_and_a_link_to_the_section():
    first = render("## Who pays for it?\n\nText").html
    assert first == render("## Who pays for it?\n\nText").html
    assert '<h2 id="who-pays-for-it">' in first
    assert 'href="#who-pays-for-it"' in first
    assert "Link to the section: Who pays for it?" in first


def test_contents_lists_section_headings_in_order():
    contents = render("## One\n\ntext\n\n### One a\n\n## Two\n\ntext").contents
    assert [(h["level"], h["title"], h["id"]) for h in contents] == [
        (2, "One", "one"),
        (3, "One a", "one-a"),
        (2, "Two", "two"),
    ]


def test_tables_render_with_the_design_system_class_and_header_scope():
    html = render("| Model | Who employs |\n|---|---|\n| Joint | Both |").html
    assert '<table class="nhsuk-table">' in html
    assert '<th scope="col">Model</th>' in html
    assert "<td>Both</td>" in html


def test_wide_tables_scroll_in_a_labelled_region_a_keyboard_can_reach():
    html = render("| Model | Who employs |\n|---|---|\n| Joint | Both |").html
    wrapper = '<div aria-label="Table: Model, Who employs" class="table-scroll" role="region"'
    assert html.startswith(wrapper + ' tabindex="0">')
    assert html.rstrip().endswith("</table></div>")


def test_images_are_lazy_loaded():
    html = render("![A chart of the models](/media/uploads/chart.png)").html
    assert 'loading="lazy"' in html
    assert 'alt="A chart of the models"' in html


def test_classes_other_than_our_own_are_removed():
    html = render("text").html + render("## h").html
    assert re.findall(r'class="([^"]+)"', html) == ["heading-anchor", "nhsuk-u-visually-hidden"]


def test_headings_with_ampersands_are_listed_once_escaped():
    contents = render("## Fish & chips\n\ntext\n\n## Q&A\n\ntext").contents
    assert [heading["title"] for heading in contents] == ["Fish & chips", "Q&A"]
