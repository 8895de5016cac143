"""Markdown in, safe HTML and a contents list out.

Every body on the site, and the admin's live preview, goes through `render`.
Two locks keep it safe, so that either alone would do:

1. The parser runs without raw-HTML support: `<script>` typed into a body
   comes out as the text "<script>", never as a tag.
2. nh3 then cleans the result against an allow-list of tags, attributes,
   classes and URL schemes (http, https, mailto and relative links only).

The parser is markdown-it-py (CommonMark with tables). Python-Markdown, used
before, took time that grew with the square of hostile input (4,000 unmatched
`[` took seconds, 16,000 over a minute) and raised RecursionError on deep
nesting; markdown-it-py stays linear on every pathological input we measured
and caps nesting at MAX_NESTING levels. A body is also limited to
MARKDOWN_MAX_LENGTH characters, and `check_body` refuses one nested so deeply
that text would be left out, so any body an editor can save renders in full,
in well under a second.

Headings get the same ids as before (Python-Markdown's slugs, with `_1`, `_2`
for repeats), and a "link to this section" anchor, so a reader can send a
colleague straight to a section. After sanitising, `embedded.links` links
glossary terms and marks links to other websites.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from markdown_it import MarkdownIt
from PIL import Image

from embedded.links import annotate

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "span": {"aria-hidden"},
    "div": {"role", "tabindex", "aria-label"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
ALLOWED_CLASSES = {
    "a": {"heading-anchor"},
    "div": {"table-scroll"},
    "span": {"nhsuk-u-visually-hidden"},
    "table": {"nhsuk-table"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# How deep blocks and inline markup may nest: five lists inside one another, or eleven
# quotes, far more than any page needs. Each level multiplies the work a run of unmatched
# "[" costs, so this stays well below markdown-it's default of 20.
MAX_NESTING = 12
CONTENTS_LEVELS = {"h2": 2, "h3": 3}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Rendered:
    html: str
    contents: list = field(default_factory=list)


def is_external(url):
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} or (not parts.scheme and bool(parts.netloc))


def check_length(text):
    """Raises a ValidationError when a body is longer than MARKDOWN_MAX_LENGTH characters."""
    limit = settings.MARKDOWN_MAX_LENGTH
    if len(text or "") > limit:
        raise ValidationError(
            "The text is %(length)s characters long; a page can hold at most %(limit)s. "
            "Shorten it, or split it into more than one page or part.",
            code="too_long",
            params={"length": f"{len(text):,}", "limit": f"{limit:,}"},
        )


def check_body(text):
    """Raises a ValidationError for a body that cannot be shown in full: too long, or
    nested so deeply that the parser would leave its innermost text out."""
    check_length(text)
    env = {}
    PARSER.parse(text or "", env)
    if env.get("too_deep"):
        raise ValidationError(
            "Some lists or quotes are nested too deeply to show (more than five lists "
            "inside one another). Flatten them so that none of the text is lost.",
            code="too_deep",
        )


# Heading ids, exactly as Python-Markdown's contents extension made them, so that
# links to sections made before the change of parser keep working.

_ID_COUNT = re.compile(r"^(.*)_([0-9]+)$")
_NOT_IN_SLUG = re.compile(r"[^\w\s-]")
_SLUG_SEPARATORS = re.compile(r"[-\s]+")


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_SEPARATORS.sub("-", _NOT_IN_SLUG.sub("", text).strip().lower())


def unique(slug, used, highest):
    """`slug`, or `slug_1`, `slug_2`...: the first not yet used. `highest` remembers, for
    each slug, the last suffix taken, so many equal headings cost no more than one each."""
    if slug in used or not slug:
        match = _ID_COUNT.match(slug)
        base, count = (match.group(1), int(match.group(2))) if match else (slug, 0)
        count = max(count, highest.get(base, 0))
        while slug in used or not slug:
            count += 1
            slug = f"{base}_{count}"
        highest[base] = count
    used.add(slug)
    return slug


def plain_text(inline):
    """What a reader sees of an inline run: its text and code, without images."""
    parts = []
    for token in inline.children or []:
        if token.type in {"text", "code_inline", "text_special"}:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def site_conventions(state):
    """Gives headings, tables, links and images the site's markup, and lists the contents."""
    tokens = state.tokens
    used, highest, contents = set(), {}, []
    label = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = plain_text(tokens[index + 1])
            slug = unique(slugify(text), used, highest)
            token.attrSet("id", slug)
            if token.tag in CONTENTS_LEVELS:
                title = " ".join(text.split())
                contents.append({"id": slug, "title": title, "level": CONTENTS_LEVELS[token.tag]})
                tokens[index + 2].meta["anchor"] = (slug, text.strip())
        elif token.type == "table_open":
            token.attrSet("class", "nhsuk-table")
            label = token.meta["headers"] = []
        elif token.type == "thead_close":
            label = None
        elif token.type in {"th_open", "td_open"}:
            align = (token.attrs.pop("style", "") or "").removeprefix("text-align:")
            if align:
                token.attrSet("align", align)
            if token.type == "th_open":
                token.attrSet("scope", "col")
                if label is not None:
                    label.append(" ".join(plain_text(tokens[index + 1]).split()))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    link(child)
                elif child.type == "image":
                    child.attrSet("loading", "lazy")
                    child.attrSet("decoding", "async")
                    size_image(child)
                child.attrs = dict(sorted(child.attrs.items()))
        token.attrs = dict(sorted(token.attrs.items()))  # as before, and as diffs expect
    state.env["contents"] = contents


def link(token):
    """Marks a link to another site, and drops an address that hides a scheme we refuse
    (`java%09script:`): browsers would not run it, but no reader needs it either."""
    href = token.attrGet("href") or ""
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", unquote(href)))
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        del token.attrs["href"]
    elif is_external(href):
        token.attrSet("rel", "noopener noreferrer")


def size_image(image):
    """Gives an uploaded image its width and height, so the page does not jump as it loads."""
    src = image.attrGet("src") or ""
    if not src.startswith(settings.MEDIA_URL):
        return
    try:
        with default_storage.open(src.removeprefix(settings.MEDIA_URL)) as file:
            width, height = Image.open(file).size
    except (OSError, ValueError, SuspiciousFileOperation):
        return
    image.attrSet("width", str(width))
    image.attrSet("height", str(height))


def table_open(renderer, tokens, index, options, env):
    """A wide table scrolls inside a box a keyboard can reach, not the whole page."""
    headers = tokens[index].meta.get("headers")
    label = html.escape(f"Table: {', '.join(headers)}" if headers else "Table")
    wrapper = f'<div aria-label="{label}" class="table-scroll" role="region" tabindex="0">'
    return wrapper + renderer.renderToken(tokens, index, options, env)


def table_close(renderer, tokens, index, options, env):
    return renderer.renderToken(tokens, index, options, env).rstrip("\n") + "</div>\n"


def heading_close(renderer, tokens, index, options, env):
    closing = renderer.renderToken(tokens, index, options, env)
    anchor = tokens[index].meta.get("anchor")
    if anchor is None:
        return closing
    slug, text = anchor
    return (
        f'<a class="heading-anchor" href="#{html.escape(slug)}">'
        f'<span class="nhsuk-u-visually-hidden">Link to the section: {html.escape(text)}</span>'
        f'<span aria-hidden="true">#</span></a>{closing}'
    )


def _noting_lost_text(tokenize):
    """The block parser, noting in `env` when nesting deeper than MAX_NESTING makes it
    leave text out (markdown-it stops there without a word)."""

    def checked(state, start, end):
        if state.level >= MAX_NESTING and any(
            state.bMarks[line] + state.tShift[line] < state.eMarks[line]
            for line in range(start, end)
        ):
            state.env["too_deep"] = True
        return tokenize(state, start, end)

    return checked


def _parser():
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    md.block.tokenize = _noting_lost_text(md.block.tokenize)
    md.core.ruler.push("site_conventions", site_conventions)
    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    md.add_render_rule("heading_close", heading_close)
    return md


PARSER = _parser()


def sanitise(markup):
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render(text):
    """Renders Markdown into sanitised HTML and the list of its ## and ### headings."""
    env = {}
    converted = PARSER.render(text or "", env)
    # Glossary links and external-link marks are added to the sanitised HTML (see embedded.links).
    html = annotate(sanitise(converted))
    return Rendered(html=html, contents=env.get("contents", []))


def markdownify(text):
    """The admin's live preview: exactly what the public page will show."""
    return render(text).html
