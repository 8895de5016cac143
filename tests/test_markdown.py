"""The Markdown pipeline: what an editor writes is shown, and nothing an attacker writes runs."""

import re
import time
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from embedded.markdown import check_body, markdownify, render

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


# Hostile input: every body an editor can save renders in full, quickly.


def repeat(unit, length):
    return (unit * (length // len(unit) + 1))[:length]


def deepest_lists(length):
    """Five lists inside one another (the most allowed), repeated to fill the length."""
    block = "".join("  " * depth + f"- item{depth}\n" for depth in range(5)) + "\n"
    return repeat(block, length)


HOSTILE = {
    # name: (make the body from the limit, check what was rendered)
    "unmatched [": (lambda n: "[" * n, lambda html, n: html.count("[") == n),
    "unmatched ![": (lambda n: repeat("![", n), lambda html, n: html.count("![") == n // 2),
    "emphasis and brackets": (lambda n: repeat("*[", n), lambda html, n: html.count("[") == n // 2),
    "brackets then one ]": (lambda n: "[" * (n - 1) + "]", lambda html, n: "[" * 100 in html),
    "nested brackets": (
        lambda n: repeat("[[[[[[[[[[a]]]]]]]]]](", n),
        lambda html, n: html.count("a") == n // 22 or html.count("a") == n // 22 + 1,
    ),
    "unclosed links": (lambda n: repeat("[a](", n), lambda html, n: "[a](" in html),
    "run of *": (lambda n: "a" + "*" * (n - 1), lambda html, n: html.count("*") == n - 1),
    "emphasis openers": (lambda n: repeat("*a ", n), lambda html, n: html.count("*") > n // 4),
    "underscores": (lambda n: repeat("_a ", n), lambda html, n: html.count("_") > n // 4),
    "run of backticks": (lambda n: "a" + "`" * (n - 1), lambda html, n: html.count("`") == n - 1),
    "code spans": (lambda n: repeat("`a ``", n), lambda html, n: "<code>" in html),
    "run of <": (lambda n: "<" * n, lambda html, n: html.count("&lt;") == n),
    "tag openers": (lambda n: repeat("<a ", n), lambda html, n: html.count("&lt;a") >= n // 3),
    "backslashes": (lambda n: "\\" * n, lambda html, n: html.count("\\") == n // 2),
    "headings": (lambda n: repeat("## a\n", n), lambda html, n: f'id="a_{n // 5 - 1}"' in html),
    "table rows": (
        lambda n: "| a | b |\n|---|---|\n" + repeat("| x | y |\n", n - 20),
        lambda html, n: html.count("<tr>") > n // 11,
    ),
    "deep quotes": (
        lambda n: repeat("> " * 11 + "deep\n", n),
        lambda html, n: html.count("deep") == n // 27 or html.count("deep") == n // 27 + 1,
    ),
    "deep lists": (deepest_lists, lambda html, n: "item4" in html),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_the_most_hostile_body_that_can_be_saved_renders_in_under_a_second(settings, name):
    """CPU time, not wall time: on a shared machine wall time measures the neighbours too."""
    make, rendered_in_full = HOSTILE[name]
    length = settings.MARKDOWN_MAX_LENGTH
    body = make(length)
    assert len(body) == length
    check_body(body)  # an editor can save it
    started = time.process_time()
    html = render(body).html
    assert time.process_time() - started < 1.0
    assert rendered_in_full(html, length), html[:300]


@pytest.mark.parametrize("depth", [12, 100, 5000])
def test_deep_nesting_is_refused_with_a_message_not_a_crash(depth):
    lists = "".join("  " * level + "- x\n" for level in range(min(depth, 100)))
    for body in ["> " * depth + "text", lists]:
        assert "<blockquote>" in render(body).html or "<ul>" in render(body).html
        with pytest.raises(ValidationError, match="nested too deeply"):
            check_body(body)


def test_the_deepest_nesting_allowed_keeps_all_its_text():
    body = "".join("  " * depth + f"- item{depth}\n" for depth in range(5))
    check_body(body)
    assert all(f"item{depth}" in render(body).html for depth in range(5))
    check_body("> " * 11 + "quoted")
    assert "quoted" in render("> " * 11 + "quoted").html


def test_a_body_over_the_limit_is_refused_with_a_clear_message(settings):
    settings.MARKDOWN_MAX_LENGTH = 1000
    check_body("x" * 1000)
    with pytest.raises(ValidationError) as error:
        check_body("x" * 1001)
    assert error.value.messages == [
        "The text is 1,001 characters long; a page can hold at most 1,000. "
        "Shorten it, or split it into more than one page or part."
    ]


def test_repeated_and_accented_headings_keep_the_ids_they_had():
    """As Python-Markdown made them, so links to sections made before keep working."""
    html = render("## Café crème\n\n## Dup\n\n## Dup\n\n## Dup_1\n\n## Dup\n\n## !!!").html
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert ids == ["cafe-creme", "dup", "dup_1", "dup_2", "dup_3", "_1"]


def test_markdown_features_editors_use_all_render():
    body = (
        "## Section\n\nSome **bold**, *italic* and `code`.  \nA new line.\n\n"
        "1. First\n2. Second\n\n- Bullet\n    - Nested\n\n> A quote\n\n"
        '[A link](/about/) and ![An image](/media/uploads/x.png "Title")\n\n---\n\n'
        "| Left | Right |\n|:-----|------:|\n| a | b |\n"
    )
    html = render(body).html
    for expected in [
        '<h2 id="section">',
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<code>code</code>",
        "<br>",
        "<ol>",
        "<li>First</li>",
        "<ul>",
        "<blockquote>",
        '<a href="/about/">A link</a>',
        'alt="An image"',
        'title="Title"',
        "<hr>",
        '<th align="left" scope="col">Left</th>',
        '<td align="right">b</td>',
    ]:
        assert expected in html, expected
    assert re.search(r"<li>Bullet\s*<ul>\s*<li>Nested</li>", html)
