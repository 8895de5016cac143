"""Links added to a body after it is sanitised: glossary terms, and marks on external links.

`annotate(html)` takes the sanitiser's output and returns it with

- the first use of each glossary term linked to its entry on /glossary/
  (never inside a heading, a link or code, and never an entry to itself);
- every link to another website marked as such: an icon people can see (an
  empty span the stylesheet draws), and words a screen reader says
  ("(another website)").

It works on HTML, not on Markdown, so it does not care which Markdown
renderer produced the body. It runs after the sanitiser, so everything it
adds is built here: text is re-escaped, attribute values are escaped, and
the only new markup is a link to a glossary anchor (a checked slug), a class,
and two spans of fixed text: no tag the sanitiser's allow-list does not have.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import reverse

from embedded import glossary

# Text inside these is never linked to the glossary.
NO_GLOSSARY_LINKS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style"}

EXTERNAL_CLASS = "external-link"
EXTERNAL_TEXT = " (another website)"
# The icon is drawn by the stylesheet (a box with an arrow leaving it), in the link's colour.
EXTERNAL_ICON = '<span class="external-link__icon" aria-hidden="true"></span>'
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_external(url):
    """A link to another website: an absolute http(s) address or one starting with //."""
    parts = urlsplit(url.strip())
    return parts.scheme in {"http", "https"} or (not parts.scheme and bool(parts.netloc))


def annotate(html):
    """The body with glossary terms linked at first use and external links marked."""
    rewriter = _Rewriter(glossary.current_matcher(), glossary.being_defined())
    rewriter.feed(html)
    rewriter.close()
    return rewriter.result()


class _Rewriter(HTMLParser):
    """Copies sanitised HTML through unchanged, except for the links it adds or marks.

    Tags are copied as written (the sanitiser wrote them), entity references
    are kept as they were, and only text that gains a link is re-escaped.
    """

    def __init__(self, matcher, own_slug):
        super().__init__(convert_charrefs=False)
        self.matcher, self.own_slug = matcher, own_slug
        self.glossary_url = reverse("glossary")
        self.out, self.text = [], []
        self.closed_to_links = 0
        self.open_links = []  # for each open <a>: whether it goes to another website
        self.linked = {own_slug} if own_slug else set()

    def result(self):
        self._flush()
        return "".join(self.out)

    def handle_starttag(self, tag, attrs):
        self._flush()
        if tag == "a":
            external = is_external(dict(attrs).get("href") or "")
            self.open_links.append(external)
            self.out.append(self._external_start(attrs) if external else self.get_starttag_text())
        else:
            self.out.append(self.get_starttag_text())
        if tag in NO_GLOSSARY_LINKS:
            self.closed_to_links += 1

    def handle_startendtag(self, tag, attrs):
        self._flush()
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._flush()
        if tag == "a" and self.open_links and self.open_links.pop():
            self.out.append(f'<span class="nhsuk-u-visually-hidden">{EXTERNAL_TEXT}</span>')
            self.out.append(EXTERNAL_ICON)
        self.out.append(f"</{tag}>")
        if tag in NO_GLOSSARY_LINKS:
            self.closed_to_links = max(self.closed_to_links - 1, 0)

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        self.text.append(f"&{name};")

    def handle_charref(self, name):
        self.text.append(f"&#{name};")

    def handle_comment(self, data):
        self._flush()
        self.out.append(f"<!--{data}-->")

    @staticmethod
    def _external_start(attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        attrs["class"] = " ".join([*classes, EXTERNAL_CLASS])
        written = "".join(
            f' {name}="{escape(value, quote=True)}"' if value is not None else f" {name}"
            for name, value in attrs.items()
        )
        return f"<a{written}>"

    def _flush(self):
        if not self.text:
            return
        raw, self.text = "".join(self.text), []
        if self.closed_to_links or self.matcher is None:
            self.out.append(raw)
        else:
            self.out.append(self._link_terms(raw))

    def _link_terms(self, raw):
        text = unescape(raw)
        pieces, position = [], 0
        for match in self.matcher.pattern.finditer(text):
            slug = self.matcher.slug_for(match.group())
            if not slug or slug in self.linked or not SLUG.fullmatch(slug):
                continue
            self.linked.add(slug)
            pieces.append(escape(text[position : match.start()], quote=False))
            href = f"{self.glossary_url}#{slug}"
            words = escape(match.group(), quote=False)
            pieces.append(f'<a class="glossary-link" href="{href}">{words}</a>')
            position = match.end()
        if not pieces:
            return raw
        pieces.append(escape(text[position:], quote=False))
        return "".join(pieces)
